import type { Catalogue } from '../catalogue/types.js';
import { pick, t, type Lang } from '../i18n/messages.js';
import type { CardView } from './card-view.js';
import { button, helpButton, languageButton, processListButton } from './shared-buttons.js';

/** The welcome card, sent once when Pandu is installed for a person, a team or a group chat. */
export function welcomeView(lang: Lang): CardView {
  const examples = [t(lang, 'welcome.example1'), t(lang, 'welcome.example2'), t(lang, 'welcome.example3')];
  return {
    template: 'welcome',
    data: {
      lang,
      fallback: `${t(lang, 'welcome.title')}. ${t(lang, 'welcome.body')}`,
      title: t(lang, 'welcome.title'),
      body: t(lang, 'welcome.body'),
      tryLabel: t(lang, 'welcome.try'),
      examples: examples.map((text) => ({ text: `“${text}”` })),
      actions: [button(t(lang, 'onboarding.button.start'), { verb: 'onboarding.start' }), processListButton(lang), helpButton(lang), languageButton(lang)],
    },
  };
}

/** The help card: what Pandu understands, with examples. */
export function helpView(lang: Lang): CardView {
  const lines = (['help.ask', 'help.unit', 'help.list', 'help.code', 'onboarding.help', 'help.lang'] as const).map((k) => t(lang, k));
  return {
    template: 'help',
    data: {
      lang,
      fallback: `${t(lang, 'help.title')}. ${t(lang, 'help.intro')} ${lines.join('; ')}`,
      title: t(lang, 'help.title'),
      intro: t(lang, 'help.intro'),
      lines: lines.map((text) => ({ text: `• ${text}` })),
      privacy: t(lang, 'help.privacy'),
      actions: [processListButton(lang), languageButton(lang)],
    },
  };
}

/** The process map to browse: main and support processes, each row opens the process. */
export function processListView(catalogue: Catalogue, lang: Lang): CardView {
  const row = (p: Catalogue['processes'][number]) => ({ code: p.code, title: pick(lang, p.title, p.titleEn), data: { verb: 'lookup.show', kind: 'process', code: p.code } });
  return {
    template: 'process-list',
    data: {
      lang,
      fallback: t(lang, 'list.summary', { count: catalogue.processes.length }),
      title: t(lang, 'list.title'),
      mainLabel: t(lang, 'list.main'),
      main: catalogue.processes.filter((p) => p.kind === 'utama').map(row),
      supportLabel: t(lang, 'list.support'),
      support: catalogue.processes.filter((p) => p.kind === 'pendukung').map(row),
      actions: [helpButton(lang)],
    },
  };
}

export { button };
