/**
 * The closed table of verbs a card button can carry. Button data holds a verb and ids only, never
 * state; the router checks every incoming verb against this table.
 */
export const VERBS = ['lookup.show', 'process.list', 'help', 'lang.set', 'cfm.steps', 'guide.start', 'guide.next', 'guide.branch', 'guide.back', 'guide.stop', 'guide.diagram', 'guide.list', 'guide.resume', 'run.done', 'run.snooze', 'run.open', 'roster.set', 'remind.form', 'remind.set', 'onboarding.start', 'onboarding.next', 'onboarding.pick', 'onboarding.unit', 'onboarding.open', 'onboarding.done', 'onboarding.skip', 'onboarding.answer', 'onboarding.tour', 'onboarding.list', 'onboarding.team', 'review.start', 'review.ok', 'review.change', 'review.finish'] as const;
export type Verb = (typeof VERBS)[number];

export type ButtonData =
  | { readonly verb: 'review.start' | 'review.ok'; readonly cfm: string; readonly step?: string }
  | { readonly verb: 'review.change'; readonly cfm: string; readonly step: string; readonly aspects?: string; readonly comment?: string }
  | { readonly verb: 'review.finish'; readonly cfm: string; readonly decision: 'confirmed' | 'returned' }
  | { readonly verb: 'lookup.show'; readonly kind: 'process' | 'subprocess' | 'cfm' | 'unit'; readonly code: string }
  | { readonly verb: 'process.list' }
  | { readonly verb: 'help' }
  | { readonly verb: 'lang.set'; readonly lang: 'id' | 'en' }
  | { readonly verb: 'cfm.steps'; readonly code: string }
  | { readonly verb: 'guide.start'; readonly cfm: string }
  | { readonly verb: 'guide.next' | 'guide.back' | 'guide.stop'; readonly cfm: string; readonly step: string; readonly rev: string }
  | { readonly verb: 'guide.branch'; readonly cfm: string; readonly step: string; readonly rev: string; readonly branch: string }
  | { readonly verb: 'guide.diagram'; readonly cfm: string; readonly step?: string }
  | { readonly verb: 'guide.list' }
  | { readonly verb: 'guide.resume'; readonly cfm: string }
  | { readonly verb: 'run.done'; readonly run: string; readonly step: string; readonly rev: string; readonly branch?: string }
  | { readonly verb: 'run.snooze'; readonly run: string; readonly step: string; readonly rev: string }
  | { readonly verb: 'run.open'; readonly run: string }
  | { readonly verb: 'roster.set'; readonly person: string; readonly unit: string; readonly role: string; readonly actingFrom?: string; readonly actingTo?: string }
  | { readonly verb: 'remind.form'; readonly cfm?: string; readonly run?: string }
  | { readonly verb: 'remind.set'; readonly date: string; readonly time: string; readonly note?: string; readonly cfm?: string; readonly run?: string }
  | { readonly verb: 'onboarding.start' | 'onboarding.next' | 'onboarding.pick' | 'onboarding.list' | 'onboarding.team' }
  | { readonly verb: 'onboarding.unit'; readonly unit: string }
  | { readonly verb: 'onboarding.open' | 'onboarding.done' | 'onboarding.skip'; readonly item: string }
  | { readonly verb: 'onboarding.answer'; readonly item: string; readonly choice: string }
  | { readonly verb: 'onboarding.tour'; readonly cfm: string };


export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && (VERBS as readonly string[]).includes(value);
}
