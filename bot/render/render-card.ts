import { readFileSync } from 'node:fs';
import { Template } from 'adaptivecards-templating';
import type { CardView, TemplateName } from '../core/views/card-view.js';

const CARDS_DIR = new URL('../../cards/', import.meta.url);
const templates = new Map<TemplateName, Template>();

/** An Adaptive Card as sent to Teams. */
export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly version: string;
  readonly [key: string]: unknown;
}

function templateOf(name: TemplateName): Template {
  let template = templates.get(name);
  if (!template) {
    template = new Template(JSON.parse(readFileSync(new URL(`${name}.json`, CARDS_DIR), 'utf8')));
    templates.set(name, template);
  }
  return template;
}

/**
 * Expands a card template with its view model. The one place where cards are rendered; it refuses
 * to return a card that still holds an unexpanded `${…}`, so a template bug cannot reach a user.
 */
export function renderCard(view: CardView): AdaptiveCard {
  const card = templateOf(view.template).expand({ $root: view.data }) as AdaptiveCard;
  const text = JSON.stringify(card);
  const left = /\$\{[^}]*\}/.exec(text);
  if (left) throw new Error(`Card template "${view.template}" left "${left[0]}" unexpanded: its view model lacks that field.`);
  return card;
}
