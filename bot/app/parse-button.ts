import { isObj } from '../core/catalogue/field-reader.js';
import { isVerb, type ButtonData } from '../core/views/verbs.js';

export type ParsedButton = { readonly ok: true; readonly data: ButtonData } | { readonly ok: false; readonly reason: string };

const KINDS = ['process', 'subprocess', 'cfm', 'unit'] as const;
const CODE = /^[a-z0-9.-]{1,40}$/;
/** An onboarding item id: made of catalogue codes only (see buildOnboardingPath). */
const ITEM = /^(?:intro|process-map|complete|unit:[a-z0-9-]{1,40}|tour:[a-z0-9.-]{1,40}|check:who:[a-z0-9.-]{1,40}|check:next:[a-z0-9.-]{1,40}:[a-z0-9-]{1,60})$/;

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
    case 'guide.start':
    case 'guide.resume':
      return isCode(value['cfm']) ? { ok: true, data: { verb, cfm: value['cfm'] } } : { ok: false, reason: 'bad cfm' };
    case 'guide.list':
      return { ok: true, data: { verb } };
    case 'guide.diagram':
      if (!isCode(value['cfm'])) return { ok: false, reason: 'bad cfm' };
      if (value['step'] !== undefined && !isCode(value['step'])) return { ok: false, reason: 'bad step' };
      return { ok: true, data: { verb, cfm: value['cfm'], ...(typeof value['step'] === 'string' ? { step: value['step'] } : {}) } };
    case 'guide.next':
    case 'guide.back':
    case 'guide.stop':
    case 'guide.branch': {
      const { cfm, step, rev, branch } = value as Record<string, unknown>;
      if (!isCode(cfm) || !isCode(step) || !isNumberText(rev)) return { ok: false, reason: 'bad guide ids' };
      if (verb !== 'guide.branch') return { ok: true, data: { verb, cfm, step, rev } };
      return isNumberText(branch) ? { ok: true, data: { verb, cfm, step, rev, branch } } : { ok: false, reason: 'bad branch' };
    }
    case 'run.open':
      return isCode(value['run']) ? { ok: true, data: { verb, run: value['run'] } } : { ok: false, reason: 'bad run' };
    case 'run.done':
    case 'run.snooze': {
      const { run, step, rev, branch } = value as Record<string, unknown>;
      if (!isCode(run) || !isCode(step) || !isNumberText(rev)) return { ok: false, reason: 'bad run ids' };
      if (verb === 'run.snooze') return { ok: true, data: { verb, run, step, rev: String(rev) } };
      if (branch !== undefined && !isNumberText(branch)) return { ok: false, reason: 'bad branch' };
      return { ok: true, data: { verb, run, step, rev: String(rev), ...(branch !== undefined ? { branch: String(branch) } : {}) } };
    }
    case 'roster.set': {
      const { person, unit, role, actingFrom, actingTo } = value as Record<string, unknown>;
      if (typeof person !== 'string' || person.length > 100 || !isCode(unit) || !isCode(role)) return { ok: false, reason: 'bad roster form' };
      const dates = [actingFrom, actingTo].filter((d) => d !== undefined && d !== '');
      if (dates.some((d) => typeof d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d))) return { ok: false, reason: 'bad dates' };
      return { ok: true, data: { verb, person, unit, role, ...(actingFrom ? { actingFrom: String(actingFrom) } : {}), ...(actingTo ? { actingTo: String(actingTo) } : {}) } };
    }
    case 'remind.form':
    case 'remind.set': {
      const { cfm, run, date, time, note } = value as Record<string, unknown>;
      if ((cfm !== undefined && !isCode(cfm)) || (run !== undefined && !isCode(run))) return { ok: false, reason: 'bad reminder ref' };
      const ref = { ...(typeof cfm === 'string' ? { cfm } : {}), ...(typeof run === 'string' ? { run } : {}) };
      if (verb === 'remind.form') return { ok: true, data: { verb, ...ref } };
      if (typeof date !== 'string' || typeof time !== 'string' || (note !== undefined && (typeof note !== 'string' || note.length > 200))) return { ok: false, reason: 'bad reminder form' };
      return { ok: true, data: { verb, date, time, ...(typeof note === 'string' && note.trim() ? { note: note.trim() } : {}), ...ref } };
    }
    case 'onboarding.start':
    case 'onboarding.next':
    case 'onboarding.pick':
    case 'onboarding.list':
    case 'onboarding.team':
      return { ok: true, data: { verb } };
    case 'onboarding.unit':
      return isCode(value['unit']) ? { ok: true, data: { verb, unit: value['unit'] } } : { ok: false, reason: 'bad unit' };
    case 'onboarding.tour':
      return isCode(value['cfm']) ? { ok: true, data: { verb, cfm: value['cfm'] } } : { ok: false, reason: 'bad cfm' };
    case 'onboarding.open':
    case 'onboarding.done':
    case 'onboarding.skip':
    case 'onboarding.answer': {
      const { item, choice } = value as Record<string, unknown>;
      if (typeof item !== 'string' || !ITEM.test(item)) return { ok: false, reason: 'bad onboarding item' };
      if (verb !== 'onboarding.answer') return { ok: true, data: { verb, item } };
      return isCode(choice) ? { ok: true, data: { verb, item, choice } } : { ok: false, reason: 'bad choice' };
    }
    case 'review.start':
    case 'review.ok':
      if (!isCode(value['cfm']) || (value['step'] !== undefined && !isCode(value['step'])) || (verb === 'review.ok' && value['step'] === undefined)) return { ok: false, reason: 'bad review ids' };
      return { ok: true, data: { verb, cfm: value['cfm'], ...(typeof value['step'] === 'string' ? { step: value['step'] } : {}) } };
    case 'review.change': {
      const { cfm, step, aspects, comment } = value as Record<string, unknown>;
      if (!isCode(cfm) || !isCode(step)) return { ok: false, reason: 'bad review ids' };
      if ((aspects !== undefined && (typeof aspects !== 'string' || aspects.length > 200)) || (comment !== undefined && (typeof comment !== 'string' || comment.length > 2000))) return { ok: false, reason: 'bad review form' };
      return { ok: true, data: { verb, cfm, step, ...(typeof aspects === 'string' ? { aspects } : {}), ...(typeof comment === 'string' ? { comment } : {}) } };
    }
    case 'review.finish':
      if (!isCode(value['cfm']) || (value['decision'] !== 'confirmed' && value['decision'] !== 'returned')) return { ok: false, reason: 'bad review decision' };
      return { ok: true, data: { verb, cfm: value['cfm'], decision: value['decision'] } };
    case 'lookup.show': {
      const kind = value['kind'];
      const code = value['code'];
      if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) return { ok: false, reason: 'bad kind' };
      if (typeof code !== 'string' || !CODE.test(code)) return { ok: false, reason: 'bad code' };
      return { ok: true, data: { verb, kind: kind as (typeof KINDS)[number], code } };
    }
  }
}

function isCode(value: unknown): value is string {
  return typeof value === 'string' && CODE.test(value);
}

function isNumberText(value: unknown): value is string {
  return (typeof value === 'string' && /^\d{1,6}$/.test(value)) || (typeof value === 'number' && Number.isInteger(value) && value >= 0);
}
