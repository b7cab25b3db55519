import { pick, t, type Lang } from '../i18n/messages.js';
import { shorten } from '../format/shorten.js';
import type { Match } from '../lookup/who-handles.js';
import type { CardView } from './card-view.js';
import { button, processListButton } from './shared-buttons.js';

const shown = (lang: Lang, m: Match): string => (m.kind === 'unit' ? pick(lang, m.title, m.titleEn) : `${m.code} ${pick(lang, m.title, m.titleEn)}`);
const quote = (query: string): string => (query.length > 80 ? `${query.slice(0, 80)}…` : query);

/** "Maksud Anda…?": up to three close candidates as buttons. */
export function choicesView(query: string, choices: readonly Match[], lang: Lang): CardView {
  const list = choices.slice(0, 3);
  return {
    template: 'choices',
    data: {
      lang,
      fallback: `${t(lang, 'choices.title')} ${list.map((m) => shown(lang, m)).join('; ')}`,
      title: t(lang, 'choices.title'),
      body: t(lang, 'choices.body', { query: quote(query) }),
      suggestLabel: '',
      hasSuggestions: false,
      actions: [...list.map((m) => button(shorten(shown(lang, m), 48), { verb: 'lookup.show', kind: m.kind, code: m.code })), processListButton(lang)],
    },
  };
}

/** Nothing good found: say so plainly, suggest the nearest topics (if any) and the process list. */
export function unknownView(query: string, suggestions: readonly Match[], lang: Lang): CardView {
  const list = suggestions.slice(0, 3);
  return {
    template: 'choices',
    data: {
      lang,
      fallback: `${t(lang, 'unknown.title')}. ${t(lang, 'unknown.tryList')}`,
      title: t(lang, 'unknown.title'),
      body: `${t(lang, 'unknown.body', { query: quote(query) })} ${t(lang, 'unknown.tryList')}`,
      suggestLabel: t(lang, 'unknown.suggest'),
      hasSuggestions: list.length > 0,
      actions: [...list.map((m) => button(shorten(shown(lang, m), 48), { verb: 'lookup.show', kind: m.kind, code: m.code })), processListButton(lang)],
    },
  };
}
