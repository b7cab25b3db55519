import { isObj } from '../core/catalogue/field-reader.js';
import { isVerb, type ButtonData } from '../core/views/verbs.js';

export type ParsedButton = { readonly ok: true; readonly data: ButtonData } | { readonly ok: false; readonly reason: string };

const KINDS = ['process', 'subprocess', 'cfm', 'unit'] as const;
const CODE = /^[a-z0-9.-]{1,40}$/;

/**
 * Checks the data a card button sent back: a verb from the closed table and well-formed ids.
 * Anything else (tampered, truncated, from an old version) is refused with a reason for the log.
 */
export function parseButton(value: unknown): ParsedButton {
  if (!isObj(value)) return { ok: false, reason: 'button data is not an object' };
  const verb = value['verb'];
  if (!isVerb(verb)) return { ok: false, reason: `unknown verb ${JSON.stringify(verb)?.slice(0, 40)}` };
  switch (verb) {
    case 'process.list':
    case 'help':
      return { ok: true, data: { verb } };
    case 'lang.set':
      return value['lang'] === 'id' || value['lang'] === 'en' ? { ok: true, data: { verb, lang: value['lang'] } } : { ok: false, reason: 'bad lang' };
    case 'cfm.steps':
      return typeof value['code'] === 'string' && CODE.test(value['code']) ? { ok: true, data: { verb, code: value['code'] } } : { ok: false, reason: 'bad code' };
    case 'lookup.show': {
      const kind = value['kind'];
      const code = value['code'];
      if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) return { ok: false, reason: 'bad kind' };
      if (typeof code !== 'string' || !CODE.test(code)) return { ok: false, reason: 'bad code' };
      return { ok: true, data: { verb, kind: kind as (typeof KINDS)[number], code } };
    }
  }
}
