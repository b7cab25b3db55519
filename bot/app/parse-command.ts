/**
 * Typed table of the text commands Pandu understands. Each pattern matches the whole message (after
 * mentions are stripped), so a question that merely contains "help" is still a question.
 * Anything that is not a command is a question for the lookup.
 */
export type Command =
  | { readonly intent: 'help' }
  | { readonly intent: 'processList' }
  | { readonly intent: 'setLanguage'; readonly lang: 'id' | 'en' }
  | { readonly intent: 'guide'; readonly query: string }
  | { readonly intent: 'resume' }
  | { readonly intent: 'myGuides' }
  | { readonly intent: 'ask'; readonly text: string };

const TABLE: readonly { readonly pattern: RegExp; readonly command: Command }[] = [
  { pattern: /^(bantuan|help|menu|\?|tolong|panduan|halo|hai|hallo|hi|hello|mulai|start)$/, command: { intent: 'help' } },
  { pattern: /^(daftar|list)( (semua )?(proses|processes|process))?$|^(peta proses|proses apa saja|process map|processes|all processes)$/, command: { intent: 'processList' } },
  { pattern: /^(english|bahasa inggris|in english|english please)$/, command: { intent: 'setLanguage', lang: 'en' } },
  { pattern: /^(bahasa indonesia|indonesia|indonesian|bahasa)$/, command: { intent: 'setLanguage', lang: 'id' } },
  { pattern: /^(lanjutkan|lanjut|lanjutkan walkthrough|resume|continue)$/, command: { intent: 'resume' } },
  { pattern: /^(walkthrough saya|panduan saya|pandu|my walkthroughs|my guides)$/, command: { intent: 'myGuides' } },
];

/** "pandu <matter>": walk a procedure; the rest of the message is looked up. */
const GUIDE = /^(?:pandu(?: saya)?(?: tentang| soal| untuk)?|guide me(?: through)?|walk me through)\s+(.+)$/;

export function parseCommand(text: string): Command {
  const normal = text.trim().toLowerCase().replace(/[.!]+$/, '').replace(/\s+/g, ' ');
  for (const row of TABLE) if (row.pattern.test(normal)) return row.command;
  const guide = GUIDE.exec(normal);
  if (guide) return { intent: 'guide', query: guide[1]! };
  return { intent: 'ask', text: text.trim() };
}
