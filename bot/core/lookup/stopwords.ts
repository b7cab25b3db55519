/**
 * Words that carry no topic in a staff question: question words, fillers, greetings, pronouns and
 * verbs of "handling", in Indonesian (formal and chat), Kupang Malay and English. They are removed
 * before matching, so "beta mau tanya sapa yang urus anak angkat" is matched as "anak angkat".
 */
const INDONESIAN = `
  siapa siapakah apa apakah apaan bagaimana bagaimanakah gimana gmn gmna bgmn bgm kemana kmana ke mana dimana dmn dmana di
  darimana dari kapan berapa mengapa kenapa knp yang yg dan atau dgn dengan untuk utk buat bwt pada oleh ini itu tsb tersebut
  saya sy aku aq gue gw kami kita anda kamu km mereka dia beliau bapak bpk pak ibu bu kak kk mas mbak bang om tante min admin
  mau mo ingin pengen pgn tanya nanya bertanya tny mohon tolong tlg minta bisa bs bisakah boleh dapat dpt harus hrs perlu prlu
  dong donk ya yah yaa iya ok oke okay sih nih deh kah lah tah pun aja saja sj juga jg lagi lg sudah udah udh sdh belum blm
  halo hallo hai hi selamat pagi siang sore malam terima kasih makasih mksh trims tks thx thanks salam shalom assalamualaikum
  urus urusan mengurus diurus ngurus mengurusi menangani tangani ditangani menanganinya handle pegang memegang bertanggung jawab
  tanggung jawab penanggung bagian kalau kalo klo kl jika bila apabila tentang soal mengenai terkait perihal hal sama seperti
  prosedur prosedurnya alur alurnya langkah langkahnya tahapan caranya cara gimanakah bagaimana adakah ada adalah ialah
  sebenarnya sebetulnya kira kira kira2 tuh tu kok ko koq sama2 dulu skrg sekarang nanti tadi mana mananya siapanya
  kepada kpd ke2 para hrus biar supaya agar sebab karena krn jadi jd punya bikin
  dinas dinsos provinsi prov propinsi ntt nusa tenggara timur pemprov kantor
  tidak tdk tak gak ga nggak ngga enggak engga gk ngk sendiri semua semuanya seluruh segala banyak sedikit
  hari minggu bulan tahun thn th taon tiap setiap kemarin kemaren besok lusa depan dpn lalu ini tadi sekarang skrg baru
`;

/**
 * Places in NTT: staff name the regency, town or quarter where something happened, which does not
 * change who handles it.
 */
const PLACES = `
  kupang kota kabupaten kab kec kecamatan kel kelurahan malaka belu tts ttu soe kefamenanu kefa atambua sikka maumere ende
  flores sumba timur barat tengah daya sba sbd waingapu waikabubak tambolaka rote ndao sabu raijua alor kalabahi lembata
  lewoleba flotim larantuka adonara solor manggarai ruteng mabar labuan bajo matim borong ngada bajawa nagekeo mbay
  oebobo oesapa oeba kelapa lima tenau bolok naikoten kuanino penfui camplong baun semau
`;

/** Kupang Malay (Melayu Kupang) and other eastern-Indonesian chat words. */
const KUPANG = `
  beta b bt sonde son sond tida tra trada bosong bosong dong katong ketong lu lo ose ale kasi kas pi pigi ko su sa deng par pung
  bilang omong mau ma ju jua tu itu ni ini sapa sapapa apa kermana bagemana bagaimana begimana mana sang ame kermana
  kaka kk bapa mama nona nyong usi bu om ade adi e ee o oo to toh te
`;

const ENGLISH = `
  who whom whose what which where when how why is are was were be been do does did done the a an of in on at to for from by
  with about into i me my we our us you your he she they them it its this that these those please can could would should
  may might must shall will need needs want wants ask asking question handles handle handling handled deals deal dealing
  responsible responsibility charge takes take care office person people someone somebody anyone there here hello hi thanks
  thank dear sir madam procedure process steps step way go goes get do does manage manages managing run runs
  department provincial province social services east nusa tenggara
`;

export const STOPWORDS: ReadonlySet<string> = new Set(`${INDONESIAN} ${KUPANG} ${ENGLISH} ${PLACES}`.split(/\s+/).filter(Boolean));

/** Words that ask what a unit does, as opposed to who handles a topic. */
export const UNIT_QUESTION_WORDS: ReadonlySet<string> = new Set(['apa', 'apakah', 'apa2', 'apaan', 'tugas', 'tugasnya', 'fungsi', 'fungsinya', 'kerja', 'kerjanya', 'ngapain', 'peran', 'perannya', 'urusannya', 'tanggung', 'what', 'role', 'duties', 'tasks']);

/** Words that ask "who" or "which": the question is about a topic, even if it names a unit type. */
export const WHO_WORDS: ReadonlySet<string> = new Set(['siapa', 'siapakah', 'sapa', 'mana', 'manakah', 'who', 'which', 'where', 'kemana', 'dimana']);
