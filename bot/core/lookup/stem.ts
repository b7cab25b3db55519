/**
 * A light Indonesian stemmer: strips particles, possessives, the common suffixes and prefixes, so
 * that "pengangkatan", "diangkat" and "angkat" meet, and "pemberdayaan" meets "daya". It is applied
 * the same way to the catalogue and to questions, so being consistent matters more than being
 * linguistically exact. Short and non-Indonesian words are left alone.
 */
const PARTICLES = ['lah', 'kah', 'tah', 'pun'];
const POSSESSIVES = ['nya', 'ku', 'mu'];
const SUFFIXES = ['kan', 'an', 'i'];
// Longest first; each with the letter a recoded stem starts with after a nasal prefix (meny-/peny- → s).
const PREFIXES: readonly [string, string][] = [
  ['meny', 's'], ['peny', 's'], ['meng', ''], ['peng', ''], ['mem', ''], ['pem', ''], ['men', ''], ['pen', ''],
  ['ber', ''], ['per', ''], ['ter', ''], ['me', ''], ['pe', ''], ['di', ''], ['ke', ''], ['se', ''], ['be', ''],
];
const MIN_STEM = 3;

/** Words the stemmer must not touch (loanwords and names whose endings look like suffixes). */
const KEEP = new Set([
  'rehabilitasi', 'informasi', 'evaluasi', 'verifikasi', 'validasi', 'aplikasi', 'organisasi', 'koordinasi', 'administrasi',
  'sosialisasi', 'dekonsentrasi', 'rekomendasi', 'disabilitas', 'panti', 'pahlawan', 'bantuan', 'pensiun', 'penyandang',
  'data', 'dana', 'desa', 'dinas', 'kemensos', 'sekretariat', 'lansia', 'anak', 'migran', 'pelaporan', 'perencanaan',
  'keluarga', 'pemerintah', 'pendidikan', 'kesehatan', 'kepegawaian', 'perlindungan', 'pengawasan', 'pengadaan', 'penganggaran',
  'pemberdayaan', 'pengangkatan', 'pengumpulan', 'penanganan', 'penerbitan', 'pemeliharaan', 'pengamanan', 'pengendalian',
  'ekonomi', 'listrik', 'subsidi', 'sembako', 'bencana', 'korban', 'taman', 'makam', 'aset', 'barang', 'uang', 'izin',
]);

/** Stems that the rules above would split wrongly; mapped by hand. */
const IRREGULAR = new Map<string, string>([
  ['pengangkatan', 'angkat'], ['pemberdayaan', 'daya'], ['penanganan', 'tangan'], ['menangani', 'tangan'], ['ditangani', 'tangan'],
  ['pengumpulan', 'kumpul'], ['mengumpulkan', 'kumpul'], ['penerbitan', 'terbit'], ['menerbitkan', 'terbit'], ['diterbitkan', 'terbit'],
  ['pemeliharaan', 'pelihara'], ['memelihara', 'pelihara'], ['dipelihara', 'pelihara'], ['pengamanan', 'aman'], ['mengamankan', 'aman'],
  ['pengendalian', 'kendali'], ['mengendalikan', 'kendali'], ['perlindungan', 'lindung'], ['melindungi', 'lindung'], ['dilindungi', 'lindung'],
  ['perencanaan', 'rencana'], ['merencanakan', 'rencana'], ['penganggaran', 'anggaran'], ['anggaran', 'anggaran'], ['pelaporan', 'lapor'],
  ['laporan', 'lapor'], ['melaporkan', 'lapor'], ['dilaporkan', 'lapor'], ['pengadaan', 'ada'], ['kepegawaian', 'pegawai'],
  ['penghapusan', 'hapus'], ['menghapus', 'hapus'], ['dihapus', 'hapus'], ['pemanfaatan', 'manfaat'], ['memanfaatkan', 'manfaat'],
  ['pemulangan', 'pulang'], ['memulangkan', 'pulang'], ['dipulangkan', 'pulang'], ['pendataan', 'data'], ['penyaluran', 'salur'],
  ['penyandang', 'sandang'], ['pengasuhan', 'asuh'], ['pengawasan', 'awas'], ['penempatan', 'tempat'], ['pembinaan', 'bina'],
  ['pengembangan', 'kembang'], ['pemutakhiran', 'mutakhir'], ['penetapan', 'tetap'], ['pengajuan', 'aju'], ['mengajukan', 'aju'],
  ['diajukan', 'aju'], ['permohonan', 'mohon'], ['pemohon', 'mohon'], ['bantuan', 'bantu'], ['membantu', 'bantu'], ['dibantu', 'bantu'],
  ['keluarga', 'keluarga'], ['kesejahteraan', 'sejahtera'], ['sejahtera', 'sejahtera'], ['kemiskinan', 'miskin'], ['ketelantaran', 'telantar'],
  ['terlantar', 'telantar'], ['penelantaran', 'telantar'], ['pengungsi', 'ungsi'], ['mengungsi', 'ungsi'], ['pengungsian', 'ungsi'],
]);

/** English plurals and verb endings, for English questions: "workers", "maintained" → "worker", "maintain". */
function stemEnglish(w: string): string {
  if (w.length > 5 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed') && !w.endsWith('eed')) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('s') && !/(ss|us|is|os)$/.test(w)) return w.slice(0, -1);
  return w;
}

export function stem(word: string): string {
  const indonesian = stemIndonesian(word);
  return indonesian === word ? stemEnglish(word) : indonesian;
}

function stemIndonesian(word: string): string {
  const irregular = IRREGULAR.get(word);
  if (irregular) return irregular;
  if (KEEP.has(word) || word.length <= 4 || /\d/.test(word)) return word;
  let w = word;
  for (const list of [PARTICLES, POSSESSIVES]) {
    for (const s of list) {
      if (w.endsWith(s) && w.length - s.length >= MIN_STEM + 1) {
        w = w.slice(0, -s.length);
        break;
      }
    }
  }
  const known = IRREGULAR.get(w) ?? (KEEP.has(w) ? w : undefined);
  if (known) return known;
  for (const [prefix, recode] of PREFIXES) {
    if (w.startsWith(prefix) && w.length - prefix.length >= MIN_STEM + 1) {
      w = recode + w.slice(prefix.length);
      // a second prefix: memper-, diper-, keber-, ...
      for (const [p2] of PREFIXES) {
        if (['per', 'ber', 'ter'].includes(p2) && w.startsWith(p2) && w.length - p2.length >= MIN_STEM + 1) {
          w = w.slice(p2.length);
          break;
        }
      }
      break;
    }
  }
  for (const s of SUFFIXES) {
    if (w.endsWith(s) && w.length - s.length >= MIN_STEM + 1) {
      w = w.slice(0, -s.length);
      break;
    }
  }
  return w;
}

/** Whether a word has a hand-made stem (so its stem is meaningful even if it looks like a filler). */
export function isIrregular(word: string): boolean {
  return IRREGULAR.has(word);
}
