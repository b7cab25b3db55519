import type { Lang } from '../i18n/messages.js';

const DAYS = { id: ['Min', 'Sen', 'Sel', 'Rab', 'Kam', 'Jum', 'Sab'], en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] };
const MONTHS = { id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'], en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] };

/** "Sen, 30 Nov 2026 16.00" in WITA (UTC+8), whatever the machine's time zone. */
export function formatWita(iso: string | Date, lang: Lang): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${DAYS[lang][d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[lang][d.getUTCMonth()]} ${d.getUTCFullYear()} ${hh}${lang === 'id' ? '.' : ':'}${mm}`;
}

/** The instant of a WITA date and time ("2026-11-30", "09:00"), or undefined if malformed. */
export function parseWita(date: string, time: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return undefined;
  const at = new Date(`${date}T${time}:00+08:00`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
