import type { Request, Response, Server } from 'restify';

/**
 * The pages the Teams app package links to (developer site, privacy, terms of use): short, plain
 * HTML with no outside resources, in Indonesian with an English summary. An operator may point the
 * package at other pages instead (PANDU_PRIVACY_URL, PANDU_TERMS_URL).
 */
const PAGES: Record<string, { title: string; body: string }> = {
  '/': {
    title: 'Pandu — Pemandu Proses Bisnis Dinas Sosial Provinsi NTT',
    body: `<p>Pandu adalah bot Microsoft Teams yang memandu pegawai Dinas Sosial Provinsi Nusa Tenggara Timur melalui prosedur kerja mereka, berdasarkan Peta Proses Bisnis Dinas Sosial Provinsi NTT 2018–2023 (Keputusan Gubernur NTT No. 419/KEP/HK/2021).</p>
<p lang="en">Pandu is a Microsoft Teams bot that guides the staff of the NTT Provincial Social Services Department through their procedures.</p>
<p><a href="/privacy">Privasi</a> · <a href="/terms">Ketentuan penggunaan</a></p>`,
  },
  '/privacy': {
    title: 'Pernyataan privasi Pandu',
    body: `<p>Pandu memandu prosedur; Pandu <strong>tidak menyimpan data penerima manfaat</strong>. Mohon jangan menuliskan data pribadi warga dalam percakapan dengan Pandu.</p>
<p>Yang disimpan Pandu, di penyimpanan milik Dinas Sosial: identitas Teams (Entra) Anda beserta nama tampilan, unit dan peran Anda, pilihan bahasa, kemajuan walkthrough dan orientasi, pelaksanaan kasus yang Anda mulai atau tangani (judul kasus, langkah, waktu), pengingat yang Anda pasang, dan alamat percakapan Teams untuk mengirim pengingat. Teks pertanyaan yang tidak terjawab hanya disimpan jika admin menyalakannya.</p>
<p>Log teknis tidak memuat isi pesan, kecuali saat admin menyalakan log debug untuk sementara.</p>
<p lang="en">Pandu stores no beneficiary data. It keeps your Teams identity, unit and role, language, walkthrough and onboarding progress, the cases you start or handle, your reminders and the address of your Teams chat. Message text is not logged unless debug logging is switched on.</p>`,
  },
  '/terms': {
    title: 'Ketentuan penggunaan Pandu',
    body: `<p>Pandu disediakan untuk pegawai Dinas Sosial Provinsi NTT sebagai alat bantu kerja. Langkah-langkah prosedur yang berstatus <em>draf</em> disusun ulang dari peraturan dan belum dikonfirmasi unit pemiliknya: gunakan sebagai panduan, dan ikuti aturan yang berlaku serta arahan atasan bila berbeda.</p>
<p lang="en">Pandu is a work aid for the department's staff. Procedures marked draft were rebuilt from the regulations and are not yet confirmed by their owner unit: follow the rules in force and your manager where they differ.</p>`,
  },
};

export function registerInfoPages(server: Server): void {
  for (const [route, page] of Object.entries(PAGES)) {
    server.get(route, async (_req: Request, res: Response) => {
      const html = `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${page.title}</title><style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1f2933}h1{color:#0f766e}</style></head><body><h1>${page.title}</h1>${page.body}</body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=3600' });
      res.end(html);
    });
  }
}
