import type { EntryKind, IndexEntry, LookupIndex } from './build-index.js';
import { topicTokens, words } from './tokens.js';
import { UNIT_QUESTION_WORDS, WHO_WORDS } from './stopwords.js';
import { damerau } from './damerau.js';

/** A candidate answer with its score in [0, 1]: the share of the question's meaning it covers. */
export interface Match {
  readonly kind: EntryKind;
  readonly code: string;
  readonly title: string;
  readonly titleEn: string;
  readonly score: number;
}

/** The outcome of a "who handles X?" lookup. Confidence is explicit in the status. */
export type LookupResult =
  /** One clear answer; `others` are the next candidates, to offer as buttons. */
  | { readonly status: 'answer'; readonly match: Match; readonly others: readonly Match[] }
  /** Several close candidates: ask "Maksud Anda…?". */
  | { readonly status: 'ambiguous'; readonly choices: readonly Match[] }
  /** Nothing good: say so, and suggest the nearest topics (maybe none). */
  | { readonly status: 'unknown'; readonly suggestions: readonly Match[] }
  /** The question has no topic words at all ("halo", "siapa?"). */
  | { readonly status: 'empty' };

/** Tuning of the confidence rules; measured on the labelled question set (see test/fixtures). */
export const LOOKUP_TUNING = {
  /** Below this coverage nothing is answered. */
  answerMin: 0.42,
  /** Below this coverage a candidate is not even suggested. */
  suggestMin: 0.2,
  /** A second candidate this close to the first (and not of its family) makes the answer ambiguous. */
  ambiguityRatio: 0.93,
  /** Candidates this close to the first count as "the same answer" for family promotion. */
  familyRatio: 0.9,
  /** Weight of a word matched only through a typo correction. */
  typoWeight: 0.85,
  /** Share of an unknown word's weight that counts against coverage. */
  unknownPenalty: 0.9,
  /** Bonus for each adjacent word pair that matches a name's pair, in idf units. */
  pairBonus: 0.35,
  /** Bonus (in coverage) for a question that names every word of an entry's name. */
  nameBonus: 0.15,
} as const;

/** A code in a question: "03.1.a", "02.1.a.4", "03.1"; a bare "03" only when it is the whole question. */
const CODE_PATTERN = /\b\d{2}\.\d{1,2}(?:\.[a-z](?:\.\d)?)?(?![\w.])/g;
const MAX_QUESTION_CHARS = 500;
const MAX_WORD_CHARS = 30;
const BARE_CODE = /^\s*(?:proses\s+|process\s+|dinsos\s+)?(\d{2})\s*$/;

interface QueryTerm {
  readonly stem: string;
  readonly weight: number;
}

/**
 * Finds what a free-text question is about among the catalogue's processes, sub-processes, CFMs and
 * units. Pure: the same index and question always give the same result.
 */
export function whoHandles(index: LookupIndex, question: string, opts: { limit?: number } = {}): LookupResult {
  const limit = opts.limit ?? 5;
  const byCode = new Map(index.entries.map((e) => [e.code, e]));
  const bare = BARE_CODE.exec(question.toLowerCase())?.[1];
  for (const code of [...(question.toLowerCase().match(CODE_PATTERN) ?? []), ...(bare ? [bare] : [])]) {
    const e = byCode.get(code);
    if (e) return { status: 'answer', match: toMatch(e, 1), others: [] };
  }
  // A question is a sentence or two: longer input is cut, so lookup time stays bounded.
  const tokens = topicTokens(question.slice(0, MAX_QUESTION_CHARS));
  if (tokens.length === 0) return { status: 'empty' };

  const terms: QueryTerm[] = [];
  let unknownMass = 0;
  for (const token of tokens) {
    const resolved = resolve(index, token.word, token.stem);
    if (resolved) terms.push(resolved);
    else unknownMass += index.maxIdf * LOOKUP_TUNING.unknownPenalty;
  }
  const seen = new Set<string>();
  const unique = terms.filter((t) => (seen.has(t.stem) ? false : (seen.add(t.stem), true)));
  const mass = unique.reduce((sum, t) => sum + idf(index, t.stem) * t.weight, 0) + unknownMass;
  if (mass === 0) return { status: 'empty' };

  const scores = new Map<number, number>();
  for (const term of unique) {
    const weightOfTerm = idf(index, term.stem) * term.weight;
    for (const i of index.postings.get(term.stem) ?? []) {
      scores.set(i, (scores.get(i) ?? 0) + weightOfTerm * (index.entries[i]!.weights.get(term.stem) ?? 0));
    }
  }
  for (let k = 0; k + 1 < unique.length; k++) {
    const pair = `${unique[k]!.stem} ${unique[k + 1]!.stem}`;
    const bonus = LOOKUP_TUNING.pairBonus * Math.min(idf(index, unique[k]!.stem), idf(index, unique[k + 1]!.stem));
    for (const [i] of scores) if (index.entries[i]!.pairs.has(pair)) scores.set(i, scores.get(i)! + bonus);
  }

  const queryStems = new Set(unique.map((t) => t.stem));
  const all = [...scores]
    .map(([i, s]) => {
      const entry = index.entries[i]!;
      const named = entry.nameStems.length > 0 ? entry.nameStems.filter((x) => queryStems.has(x)).length / entry.nameStems.length : 0;
      return { entry, score: s / mass + LOOKUP_TUNING.nameBonus * named * named };
    })
    .sort((a, b) => b.score - a.score || specificity(b.entry) - specificity(a.entry) || a.entry.code.localeCompare(b.entry.code));
  // A unit is an answer only to a question about the unit itself ("Bidang Rehsos mengurus apa?").
  const topUnit = all.find((r) => r.entry.kind === 'unit');
  const topTopic = all.find((r) => r.entry.kind !== 'unit');
  const unitQuestion = topUnit !== undefined && topUnit.score >= LOOKUP_TUNING.answerMin && topUnit.score >= (topTopic?.score ?? 0) * 0.9 && asksWhatUnitDoes(question);
  const ranked = unitQuestion ? [topUnit, ...all.filter((r) => r !== topUnit && r.entry.kind !== 'unit')] : all.filter((r) => r.entry.kind !== 'unit');
  if (ranked.length === 0 || ranked[0]!.score < LOOKUP_TUNING.suggestMin) {
    return { status: 'unknown', suggestions: ranked.filter((r) => r.score >= LOOKUP_TUNING.suggestMin / 2).slice(0, 3).map((r) => toMatch(r.entry, r.score)) };
  }
  const top = ranked[0]!;
  if (top.score < LOOKUP_TUNING.answerMin) {
    return { status: 'unknown', suggestions: ranked.slice(0, 3).map((r) => toMatch(r.entry, r.score)) };
  }

  // Candidates as good as the best: if they all belong to one family, the family is the answer.
  const close = ranked.filter((r) => r.score >= top.score * LOOKUP_TUNING.familyRatio);
  let best = top;
  if (close.length > 1) {
    const family = commonFamily(close.map((r) => r.entry), byCode);
    if (family) best = { entry: family, score: top.score };
  }
  const rest = ranked.filter((r) => r.entry !== best.entry && !inFamily(r.entry, best.entry));
  const rivals = rest.filter((r) => r.score >= top.score * LOOKUP_TUNING.ambiguityRatio && r.entry.kind !== 'unit');
  if (rivals.length > 0 && best.entry.kind !== 'unit') {
    const choices = [best, ...rivals].slice(0, 3);
    return { status: 'ambiguous', choices: choices.map((r) => toMatch(r.entry, r.score)) };
  }
  const others = ranked.filter((r) => r.entry !== best.entry).slice(0, limit - 1);
  return { status: 'answer', match: toMatch(best.entry, best.score), others: others.map((r) => toMatch(r.entry, r.score)) };
}

/** The candidates of a result, best first (the answer, the choices or the suggestions). */
export function matchesOf(result: LookupResult): readonly Match[] {
  switch (result.status) {
    case 'answer':
      return [result.match, ...result.others];
    case 'ambiguous':
      return result.choices;
    case 'unknown':
      return result.suggestions;
    case 'empty':
      return [];
  }
}

function resolve(index: LookupIndex, word: string, stem: string): QueryTerm | undefined {
  if (index.idf.has(stem)) return { stem, weight: 1 };
  if (index.idf.has(word)) return { stem: word, weight: 1 };
  if (word.length < 4 || word.length > MAX_WORD_CHARS) return undefined;
  let corrected = index.corrections.get(word);
  if (corrected === undefined) {
    corrected = correct(index, word);
    if (index.corrections.size > 5000) index.corrections.clear();
    index.corrections.set(word, corrected);
  }
  return corrected && index.idf.has(corrected) ? { stem: corrected, weight: LOOKUP_TUNING.typoWeight } : undefined;
}

/**
 * The stem of the catalogue word a misspelt word most likely means: one edit away through the typo
 * index; for long words, two edits away through fuse.js, confirmed by a true edit distance.
 */
function correct(index: LookupIndex, word: string): string | null {
  const near = index.typos.nearest(word).filter((w) => index.idf.has(index.surface.get(w) ?? ''));
  if (near.length > 0) return index.surface.get(near[0]!) ?? null;
  if (word.length < 7) return null;
  const best = (index.fuzzy.get(word[0]!)?.search(word, { limit: 8 }) ?? [])
    .map((hit) => ({ stem: hit.item.stem, d: damerau(word, hit.item.word) }))
    .filter((c) => c.d <= 2)
    .sort((a, b) => a.d - b.d)[0];
  return best ? best.stem : null;
}

function idf(index: LookupIndex, stem: string): number {
  return index.idf.get(stem) ?? 0;
}

/** "X itu tugasnya apa", "what does X do": asks what, not who or which. */
function asksWhatUnitDoes(question: string): boolean {
  const w = words(question);
  return w.some((x) => UNIT_QUESTION_WORDS.has(x)) && !w.some((x) => WHO_WORDS.has(x));
}

function specificity(e: IndexEntry): number {
  return e.kind === 'cfm' ? 3 : e.kind === 'subprocess' ? 2 : e.kind === 'process' ? 1 : 0;
}

function inFamily(e: IndexEntry, of: IndexEntry): boolean {
  return e.parents.includes(of.code) || of.parents.includes(e.code);
}

/** The closest entry that is, or is a parent of, every given entry. */
function commonFamily(entries: readonly IndexEntry[], byCode: ReadonlyMap<string, IndexEntry>): IndexEntry | undefined {
  if (entries.some((e) => e.kind === 'unit')) return undefined;
  const lines = entries.map((e) => [e.code, ...e.parents]);
  const shared = lines[0]!.filter((code) => lines.every((l) => l.includes(code)));
  return shared.length > 0 ? byCode.get(shared[0]!) : undefined;
}

function toMatch(e: IndexEntry, score: number): Match {
  return { kind: e.kind, code: e.code, title: e.title, titleEn: e.titleEn, score: Math.round(Math.min(1, score) * 1000) / 1000 };
}
