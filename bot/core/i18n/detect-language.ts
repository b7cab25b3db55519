import type { Lang } from './messages.js';

const ENGLISH = new Set(['who', 'what', 'which', 'where', 'how', 'the', 'does', 'do', 'is', 'are', 'handles', 'handle', 'of', 'for', 'please', 'can', 'i', 'my', 'with', 'and', 'to', 'in', 'about', 'help', 'hello', 'hi']);
const INDONESIAN = new Set(['siapa', 'apa', 'yang', 'yg', 'di', 'ke', 'dan', 'untuk', 'utk', 'dengan', 'saya', 'sy', 'beta', 'sapa', 'bagaimana', 'gimana', 'mana', 'ini', 'itu', 'tolong', 'mohon', 'mau', 'ada', 'tidak', 'son', 'sonde', 'pak', 'bu', 'kak', 'tanya']);

/**
 * The language to answer in: the user's own choice if they made one ("english", "bahasa indonesia");
 * else the language the message is written in; else English when the Teams locale is English;
 * else Indonesian.
 */
export function detectLanguage(text: string, locale: string | undefined, chosen: Lang | undefined): Lang {
  if (chosen) return chosen;
  const words = text.toLowerCase().split(/[^a-z']+/).filter(Boolean);
  const en = words.filter((w) => ENGLISH.has(w)).length;
  const id = words.filter((w) => INDONESIAN.has(w)).length;
  // The language the person writes wins: a staff member whose Teams is set to English but who asks
  // in Indonesian is answered in Indonesian. The locale decides when the text says nothing
  // (a button press, an install, a bare topic like "izin PUB").
  if (id > en) return 'id';
  if (en > id) return 'en';
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'id';
}
