import type { Catalogue, Cfm, Process, Step, Unit } from '../catalogue/types.js';

/**
 * A check question, as data: which CFM it is about, the choices (unit ids or step ids, already in
 * their shuffled order) and the right one. The texts are built by the view, in the person's language.
 */
export type CheckQuestion =
  /** "Siapa yang menangani <CFM>?": the choices are unit ids; the answer is the CFM's owner. */
  | { readonly type: 'who'; readonly cfm: string; readonly choices: readonly string[]; readonly answer: string }
  /** "Apa langkah setelah <step>?": the choices are step ids of the CFM; the answer is the step's `next`. */
  | { readonly type: 'next'; readonly cfm: string; readonly step: string; readonly choices: readonly string[]; readonly answer: string };

/**
 * One item of a person's onboarding path. Its id is derived from catalogue codes only, so the same
 * catalogue and unit always give the same ids, and progress can be matched to a changed path by id.
 */
export type OnboardingItem =
  | { readonly id: 'intro'; readonly kind: 'intro' }
  | { readonly id: 'process-map'; readonly kind: 'process-map' }
  | { readonly id: string; readonly kind: 'unit'; readonly unit: string }
  /** A CFM to tour; `steps` are the steps the unit acts in (may be empty). */
  | { readonly id: string; readonly kind: 'tour'; readonly cfm: string; readonly steps: readonly string[] }
  | { readonly id: string; readonly kind: 'check'; readonly check: CheckQuestion }
  | { readonly id: 'complete'; readonly kind: 'complete' };

/** At most this many CFM tours and check questions per path, so every unit's path stays short. */
export const MAX_TOURS = 8;
export const MAX_CHECKS = 6;
/** In the first pass at most this many tours come from one sub-process, so a path covers several. */
const PER_SUBPROCESS = 3;
/** Distractor units for "who" questions are Sekretariat, Bidang and UPT of the decree. */
const DISTRACTOR_TYPES: readonly Unit['type'][] = ['sekretariat', 'bidang', 'upt'];

/** The units a person can onboard into: the department's internal units, not roles such as "pegawai". */
export function onboardingUnits(catalogue: Catalogue): Unit[] {
  return catalogue.units.filter((u) => u.kind === 'internal' && u.type !== 'peran');
}

/**
 * The onboarding path of a unit, generated from the catalogue: the department in brief, the process
 * map, the unit in the relation map, tours of the CFMs most relevant to the unit (those whose steps it
 * acts in first), check questions generated from the relation map and those CFMs, and a completion
 * item. Pure and deterministic: the same catalogue and unit give the same items, ids and choice order.
 *
 * @example buildOnboardingPath(catalogue, 'bidang-dayasos').map((i) => i.id)
 *   // ['intro', 'process-map', 'unit:bidang-dayasos', 'tour:03.1.a', …, 'check:who:…', …, 'complete']
 */
export function buildOnboardingPath(catalogue: Catalogue, unitId: string): OnboardingItem[] {
  const unit = onboardingUnits(catalogue).find((u) => u.id === unitId);
  const tours = unit ? toursFor(catalogue, unit.id) : fallbackTours(catalogue);
  const actor = unit?.id ?? '';
  return [
    { id: 'intro', kind: 'intro' },
    { id: 'process-map', kind: 'process-map' },
    ...(unit ? [{ id: `unit:${unit.id}`, kind: 'unit' as const, unit: unit.id }] : []),
    ...tours.map((cfm) => ({ id: `tour:${cfm.code}`, kind: 'tour' as const, cfm: cfm.code, steps: cfm.steps.filter((s) => s.actor === actor).map((s) => s.id) })),
    ...checksFor(catalogue, actor, tours).map((check) => ({ id: checkId(check), kind: 'check' as const, check })),
    { id: 'complete', kind: 'complete' },
  ];
}

/** The stable id of a check question: `check:who:<cfm>` or `check:next:<cfm>:<step>`. */
export function checkId(check: CheckQuestion): string {
  return check.type === 'who' ? `check:who:${check.cfm}` : `check:next:${check.cfm}:${check.step}`;
}

/** The process a CFM belongs to (through its sub-process). */
export function processOfCfm(catalogue: Catalogue, cfm: Cfm): Process | undefined {
  const sub = catalogue.subprocesses.find((s) => s.code === cfm.subprocess);
  return catalogue.processes.find((p) => p.code === sub?.process);
}

/**
 * The CFMs to tour: first those whose steps the unit acts in (most steps first), then those of the
 * processes it takes part in (relation map); within each group at most three per sub-process before
 * the rest fill up, so a path covers several sub-processes. Shown in code order.
 */
function toursFor(catalogue: Catalogue, unit: string): Cfm[] {
  const acts = (c: Cfm): number => c.steps.filter((s) => s.actor === unit).length;
  const byCode = [...catalogue.cfms].sort((a, b) => a.code.localeCompare(b.code));
  const acting = byCode.filter((c) => acts(c) > 0).sort((a, b) => acts(b) - acts(a));
  const inMap = byCode.filter((c) => acts(c) === 0 && (processOfCfm(catalogue, c)?.units.includes(unit) ?? false));
  const chosen: Cfm[] = [];
  const perSub = new Map<string, number>();
  const take = (list: readonly Cfm[], cap: number): void => {
    for (const c of list) {
      if (chosen.length >= MAX_TOURS) return;
      const n = perSub.get(c.subprocess) ?? 0;
      if (chosen.includes(c) || n >= cap) continue;
      chosen.push(c);
      perSub.set(c.subprocess, n + 1);
    }
  };
  take(acting, PER_SUBPROCESS);
  take(acting, Infinity);
  take(inMap, PER_SUBPROCESS);
  take(inMap, Infinity);
  return chosen.length > 0 ? chosen.sort((a, b) => a.code.localeCompare(b.code)) : fallbackTours(catalogue);
}

/** For a unit the relation map and the CFMs do not name (e.g. a newer Bidang): one CFM per main process. */
function fallbackTours(catalogue: Catalogue): Cfm[] {
  return catalogue.processes
    .filter((p) => p.kind === 'utama')
    .flatMap((p) => {
      const first = catalogue.cfms.filter((c) => processOfCfm(catalogue, c)?.code === p.code).sort((a, b) => a.code.localeCompare(b.code))[0];
      return first ? [first] : [];
    })
    .slice(0, MAX_TOURS)
    .sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * Check questions for the toured CFMs: "who" questions (one per sub-process, CFMs owned by other units
 * first: they teach with whom the unit works) and "next step" questions (on a step the unit acts in
 * when there is one), interleaved, at most MAX_CHECKS.
 */
function checksFor(catalogue: Catalogue, unit: string, tours: readonly Cfm[]): CheckQuestion[] {
  const seenSub = new Set<string>();
  const who = [...tours]
    .sort((a, b) => Number(a.owner === unit) - Number(b.owner === unit))
    .flatMap((cfm) => {
      if (seenSub.has(cfm.subprocess)) return [];
      const question = whoQuestion(catalogue, cfm);
      if (question) seenSub.add(cfm.subprocess);
      return question ? [question] : [];
    });
  const next = [...tours]
    .sort((a, b) => b.steps.filter((s) => s.actor === unit).length - a.steps.filter((s) => s.actor === unit).length)
    .flatMap((cfm) => {
      const question = nextQuestion(cfm, unit);
      return question ? [question] : [];
    });
  const out: CheckQuestion[] = [];
  for (let i = 0; out.length < MAX_CHECKS && (i < who.length || i < next.length); i++) {
    for (const q of [who[i], next[i]]) if (q && out.length < MAX_CHECKS) out.push(q);
  }
  return out;
}

/**
 * "Siapa yang menangani <CFM>?": the owner is right; the wrong choices are units of the decree that
 * take no part in the CFM (not in its process's relation map, not acting in any step), of the owner's
 * own kind first. Three or four choices, or no question when there are too few such units.
 */
function whoQuestion(catalogue: Catalogue, cfm: Cfm): CheckQuestion | undefined {
  const process = processOfCfm(catalogue, cfm);
  const owner = catalogue.units.find((u) => u.id === cfm.owner);
  if (!process || !owner) return undefined;
  const id = `check:who:${cfm.code}`;
  const involved = new Set([cfm.owner, ...process.units, ...cfm.steps.map((s) => s.actor)]);
  const eligible = catalogue.units
    .filter((u) => u.kind === 'internal' && u.inDecree && DISTRACTOR_TYPES.includes(u.type) && !involved.has(u.id))
    .sort((a, b) => a.id.localeCompare(b.id));
  const sameKind = seededShuffle(eligible.filter((u) => u.type === owner.type), `${id}:same`);
  const otherKind = seededShuffle(eligible.filter((u) => u.type !== owner.type), `${id}:other`);
  const wrong = [...sameKind, ...otherKind].slice(0, 3).map((u) => u.id);
  if (wrong.length < 2) return undefined;
  return { type: 'who', cfm: cfm.code, choices: seededShuffle([cfm.owner, ...wrong], id), answer: cfm.owner };
}

/**
 * "Apa langkah setelah <step>?": a task step (one the unit acts in when there is one) whose next step
 * is right; the wrong choices are other steps of the same CFM with other actions. Four choices.
 */
function nextQuestion(cfm: Cfm, unit: string): CheckQuestion | undefined {
  const byId = new Map(cfm.steps.map((s) => [s.id, s]));
  const askable = cfm.steps.filter((s): s is Extract<Step, { kind: 'task' }> => s.kind === 'task' && s.next !== s.id && byId.has(s.next));
  const own = askable.filter((s) => s.actor === unit);
  const pool = own.length > 0 ? own : askable;
  const step = seededShuffle(pool, `check:next:${cfm.code}:${unit}`)[0];
  if (!step) return undefined;
  const right = byId.get(step.next)!;
  const id = `check:next:${cfm.code}:${step.id}`;
  // Wrong choices: other steps whose action reads differently from the asked step, the right one and each other.
  const texts = new Set([step.action, right.action]);
  const wrong = seededShuffle(cfm.steps, `${id}:wrong`)
    .filter((s) => {
      if (texts.has(s.action)) return false;
      texts.add(s.action);
      return true;
    })
    .slice(0, 3)
    .map((s) => s.id);
  if (wrong.length < 2) return undefined;
  return { type: 'next', cfm: cfm.code, step: step.id, choices: seededShuffle([right.id, ...wrong], id), answer: right.id };
}

/**
 * A deterministic shuffle (Fisher–Yates driven by a small PRNG seeded with the FNV-1a hash of `seed`):
 * the same items and seed always give the same order, so a card shows the same choices when shown again.
 */
export function seededShuffle<T>(items: readonly T[], seed: string): T[] {
  let state = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
