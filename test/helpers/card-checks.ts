import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { VERBS } from '../../bot/core/views/verbs.js';

const require = createRequire(import.meta.url);
// The package entry of adaptivecards 3 does not load in plain Node; its UMD build does, without a DOM.
const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => { parse(json: unknown, ctx: unknown): void; validateProperties(): { validationEvents: { message: string }[] } };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

let schemaValidator: ValidateFunction | undefined;

/** The official Adaptive Cards 1.5 JSON schema, set up for ajv 8 (draft-06, id → $id). */
function schema(): ValidateFunction {
  if (!schemaValidator) {
    const raw = JSON.parse(readFileSync(new URL('../fixtures/schemas/adaptive-card-1.5.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    raw['$id'] = raw['id'];
    delete raw['id'];
    const ajv = new Ajv({ allErrors: false, strict: false });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
    ajv.addVocabulary(['version', 'features']);
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    schemaValidator = ajv.compile(raw);
  }
  return schemaValidator;
}

/**
 * Every problem a card has for Teams: validation events of the official parser, errors against the
 * 1.5 JSON schema, a version above 1.5, unexpanded `${…}`, a size of 28 KB or more, a button verb
 * outside the closed table, unwrapped text, images without altText, no fallbackText.
 */
export function cardProblems(card: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const text = JSON.stringify(card);
  if (Buffer.byteLength(text) >= 28 * 1024) problems.push(`card is ${Buffer.byteLength(text)} bytes (limit 28 KB)`);
  if (/\$\{/.test(text)) problems.push('unexpanded ${…}');
  if (Number(card['version']) > 1.5) problems.push(`version ${String(card['version'])} > 1.5`);
  if (typeof card['fallbackText'] !== 'string' || (card['fallbackText'] as string).trim() === '') problems.push('no fallbackText');

  const parsed = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  parsed.parse(card, ctx);
  for (let i = 0; i < ctx.eventCount; i++) problems.push(`parser: ${ctx.getEventAt(i).message}`);
  for (const event of parsed.validateProperties().validationEvents) problems.push(`validation: ${event.message}`);

  const withoutTeams = { ...card };
  delete withoutTeams['msteams'];
  const validate = schema();
  if (!validate(withoutTeams)) problems.push(`schema: ${validate.errors?.slice(0, 3).map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);

  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o['type'] === 'TextBlock' && o['wrap'] !== true) problems.push(`${path}: TextBlock without wrap`);
    if (o['type'] === 'Image' && !o['altText']) problems.push(`${path}: Image without altText`);
    if (o['type'] === 'Action.Submit' || o['type'] === 'Action.Execute') {
      const verb = (o['data'] as Record<string, unknown> | undefined)?.['verb'] ?? o['verb'];
      if (!(VERBS as readonly unknown[]).includes(verb)) problems.push(`${path}: verb ${JSON.stringify(verb)} not in the table`);
    }
    for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`);
  };
  walk(card, '$');
  return problems;
}
