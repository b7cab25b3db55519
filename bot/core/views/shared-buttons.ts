import { t, type Lang } from '../i18n/messages.js';
import type { ButtonView } from './card-view.js';
import type { ButtonData } from './verbs.js';

export function button(title: string, data: ButtonData): ButtonView {
  return { title, data: data as unknown as Record<string, string> };
}

export const processListButton = (lang: Lang): ButtonView => button(t(lang, 'button.processList'), { verb: 'process.list' });
export const helpButton = (lang: Lang): ButtonView => button(t(lang, 'button.help'), { verb: 'help' });
export const languageButton = (lang: Lang): ButtonView =>
  lang === 'id' ? button(t(lang, 'button.english'), { verb: 'lang.set', lang: 'en' }) : button(t(lang, 'button.indonesian'), { verb: 'lang.set', lang: 'id' });
