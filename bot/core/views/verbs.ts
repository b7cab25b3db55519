/**
 * The closed table of verbs a card button can carry. Button data holds a verb and ids only, never
 * state; the router checks every incoming verb against this table.
 */
export const VERBS = ['lookup.show', 'process.list', 'help', 'lang.set', 'cfm.steps'] as const;
export type Verb = (typeof VERBS)[number];

export type ButtonData =
  | { readonly verb: 'lookup.show'; readonly kind: 'process' | 'subprocess' | 'cfm' | 'unit'; readonly code: string }
  | { readonly verb: 'process.list' }
  | { readonly verb: 'help' }
  | { readonly verb: 'lang.set'; readonly lang: 'id' | 'en' }
  | { readonly verb: 'cfm.steps'; readonly code: string };

export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && (VERBS as readonly string[]).includes(value);
}
