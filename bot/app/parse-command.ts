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
  | { readonly intent: 'whoami' }
  | { readonly intent: 'setUnit'; readonly query: string }
  | { readonly intent: 'manageRoles' }
  | { readonly intent: 'linkChannel'; readonly query: string }
  | { readonly intent: 'startRun'; readonly query: string; readonly title: string }
  | { readonly intent: 'runUsage' }
  | { readonly intent: 'myTasks' }
  | { readonly intent: 'unitTasks' }
  | { readonly intent: 'myRuns' }
  | { readonly intent: 'unreachable' }
  /** Onboarding: start or resume the path, the person's checklist, a manager's team view. */
  | { readonly intent: 'onboarding' | 'myOnboarding' | 'teamOnboarding'; readonly english: boolean }
  | { readonly intent: 'reviews' }
  | { readonly intent: 'reload' }
  | { readonly intent: 'ask'; readonly text: string };

const TABLE: readonly { readonly pattern: RegExp; readonly command: Command }[] = [
  { pattern: /^(orientasi|mulai orientasi|lanjutkan orientasi|lanjut orientasi)$/, command: { intent: 'onboarding', english: false } },
  { pattern: /^(orientation|onboarding|start (the )?orientation|continue (the |my )?orientation)$/, command: { intent: 'onboarding', english: true } },
  { pattern: /^(orientasi saya|progres orientasi saya|daftar periksa orientasi)$/, command: { intent: 'myOnboarding', english: false } },
  { pattern: /^(my orientation|my onboarding|my orientation progress)$/, command: { intent: 'myOnboarding', english: true } },
  { pattern: /^(progres orientasi tim|orientasi tim|progres orientasi pegawai baru)$/, command: { intent: 'teamOnboarding', english: false } },
  { pattern: /^(team orientation progress|team orientation|team onboarding)$/, command: { intent: 'teamOnboarding', english: true } },
  { pattern: /^(bantuan|help|menu|\?|tolong|panduan|halo|hai|hallo|hi|hello|mulai|start)$/, command: { intent: 'help' } },
  { pattern: /^(daftar|list)( (semua )?(proses|processes|process))?$|^(peta proses|proses apa saja|process map|processes|all processes)$/, command: { intent: 'processList' } },
  { pattern: /^(english|bahasa inggris|in english|english please)$/, command: { intent: 'setLanguage', lang: 'en' } },
  { pattern: /^(bahasa indonesia|indonesia|indonesian|bahasa)$/, command: { intent: 'setLanguage', lang: 'id' } },
  { pattern: /^(lanjutkan|lanjut|lanjutkan walkthrough|resume|continue)$/, command: { intent: 'resume' } },
  { pattern: /^(walkthrough saya|panduan saya|pandu|my walkthroughs|my guides)$/, command: { intent: 'myGuides' } },
  { pattern: /^(tinjau cfm|tinjau|tinjauan cfm|review cfms?|reviews)$/, command: { intent: 'reviews' } },
  { pattern: /^(muat ulang katalog|muat ulang|reload catalogue|reload catalog|reload)$/, command: { intent: 'reload' } },
  { pattern: /^(siapa saya|saya siapa|who am i)$/, command: { intent: 'whoami' } },
  { pattern: /^(kelola peran|atur peran|manage roles)$/, command: { intent: 'manageRoles' } },
  { pattern: /^(tugas saya|my tasks)$/, command: { intent: 'myTasks' } },
  { pattern: /^(tugas unit saya|tugas unit|my unit'?s tasks|unit tasks)$/, command: { intent: 'unitTasks' } },
  { pattern: /^(pelaksanaan saya|kasus saya|my runs|my cases)$/, command: { intent: 'myRuns' } },
  { pattern: /^(belum terjangkau|tidak terjangkau|siapa yang belum terjangkau|unreachable)$/, command: { intent: 'unreachable' } },
  { pattern: /^(mulai pelaksanaan|start run|mulai kasus)$/, command: { intent: 'runUsage' } },
];

/** Commands with an argument, matched on the original text so that names keep their capitals. */
const WITH_ARGUMENT: readonly { readonly pattern: RegExp; readonly build: (m: RegExpExecArray) => Command }[] = [
  { pattern: /^(?:mulai pelaksanaan|mulai kasus|start run)\s+(.+?)\s+(?:untuk|for)\s+(.+)$/i, build: (m) => ({ intent: 'startRun', query: m[1]!.trim(), title: m[2]!.trim() }) },
  { pattern: /^(?:mulai pelaksanaan|mulai kasus|start run)\s+.+$/i, build: () => ({ intent: 'runUsage' }) },
  { pattern: /^(?:unit saya|my unit is|my unit)\s+(?:adalah\s+|ialah\s+)?(.+)$/i, build: (m) => ({ intent: 'setUnit', query: m[1]!.trim() }) },
  { pattern: /^(?:hubungkan kanal ini (?:ke|dengan)|link this channel to)\s+(.+)$/i, build: (m) => ({ intent: 'linkChannel', query: m[1]!.trim() }) },
];

/** "pandu <matter>": walk a procedure; the rest of the message is looked up. */
const GUIDE = /^(?:pandu(?: saya)?(?: tentang| soal| untuk)?|guide me(?: through)?|walk me through)\s+(.+)$/;

export function parseCommand(text: string): Command {
  const normal = text.trim().toLowerCase().replace(/[.!]+$/, '').replace(/\s+/g, ' ');
  for (const row of TABLE) if (row.pattern.test(normal)) return row.command;
  const original = text.trim().replace(/\s+/g, ' ');
  for (const row of WITH_ARGUMENT) {
    const m = row.pattern.exec(original);
    if (m) return row.build(m);
  }
  const guide = GUIDE.exec(normal);
  if (guide) return { intent: 'guide', query: guide[1]! };
  return { intent: 'ask', text: text.trim() };
}
