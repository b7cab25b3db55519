import Fuse from 'fuse.js';
import type { Catalogue } from '../catalogue/types.js';
import { stems, words } from './tokens.js';
import { stem } from './stem.js';
import { STOPWORDS } from './stopwords.js';
import { TypoIndex } from './typo-index.js';

/** What a lookup can find. */
export type EntryKind = 'process' | 'subprocess' | 'cfm' | 'unit';

/** One thing a question can be about, with the weight of each stem that describes it. */
export interface IndexEntry {
  readonly kind: EntryKind;
  readonly code: string;
  readonly title: string;
  readonly titleEn: string;
  /** The family path: a CFM's sub-process and process, a sub-process's process. */
  readonly parents: readonly string[];
  /** stem → weight (the strongest field it appears in). */
  readonly weights: ReadonlyMap<string, number>;
  /** Adjacent stem pairs of its names and synonyms, for phrase bonuses. */
  readonly pairs: ReadonlySet<string>;
  /** The distinct stems of its Indonesian name: a question naming all of them names this entry. */
  readonly nameStems: readonly string[];
}

export interface LookupIndex {
  readonly entries: readonly IndexEntry[];
  /** stem → inverse document frequency. */
  readonly idf: ReadonlyMap<string, number>;
  readonly maxIdf: number;
  /** stem → entries that contain it. */
  readonly postings: ReadonlyMap<string, readonly number[]>;
  /** Surface word → stem, for every word of the catalogue. */
  readonly surface: ReadonlyMap<string, string>;
  /** One-edit typo matcher over the surface words. */
  readonly typos: TypoIndex;
  /** Fuzzy matchers over the surface words by first letter, for longer misspellings (two edits). */
  readonly fuzzy: ReadonlyMap<string, Fuse<{ word: string; stem: string }>>;
  /** Corrections already computed (word → stem or null); bounded. */
  readonly corrections: Map<string, string | null>;
}

/** How strongly each kind of text describes an entry. */
const FIELD_WEIGHT = { name: 1, synonym: 0.9, nameEn: 0.8, context: 0.3, summary: 0.35, steps: 0.15 } as const;

/**
 * Builds the lookup index from the catalogue: every process, sub-process, CFM and unit, described by
 * its names, its English gloss, the glossary terms that point at it, and (weakly) its summary, its
 * steps and its parents' names.
 */
export function buildLookupIndex(catalogue: Catalogue): LookupIndex {
  const builders: { kind: EntryKind; code: string; title: string; titleEn: string; parents: string[]; weights: Map<string, number>; pairs: Set<string>; nameStems: string[] }[] = [];
  const byCode = new Map<string, (typeof builders)[number]>();
  const surface = new Map<string, string>();

  const add = (entry: (typeof builders)[number], text: string | undefined, weight: number, phrases = false): void => {
    if (!text) return;
    const list = stems(text);
    for (const s of list) entry.weights.set(s, Math.max(entry.weights.get(s) ?? 0, weight));
    if (phrases) for (let i = 0; i + 1 < list.length; i++) entry.pairs.add(`${list[i]} ${list[i + 1]}`);
    for (const w of words(text)) if (w.length >= 3 && !STOPWORDS.has(w)) surface.set(w, stem(w));
  };
  const entry = (kind: EntryKind, code: string, title: string, titleEn: string, parents: string[]) => {
    const e = { kind, code, title, titleEn, parents, weights: new Map<string, number>(), pairs: new Set<string>(), nameStems: [...new Set(stems(title))] };
    builders.push(e);
    byCode.set(code, e);
    return e;
  };

  const subOf = new Map(catalogue.subprocesses.map((s) => [s.code, s]));
  const procOf = new Map(catalogue.processes.map((p) => [p.code, p]));
  for (const p of catalogue.processes) {
    const e = entry('process', p.code, p.title, p.titleEn, []);
    add(e, p.title, FIELD_WEIGHT.name, true);
    add(e, p.titleEn, FIELD_WEIGHT.nameEn, true);
    add(e, p.description, FIELD_WEIGHT.summary);
    for (const a of p.aliases) add(e, a.title, FIELD_WEIGHT.synonym, true);
  }
  for (const s of catalogue.subprocesses) {
    const e = entry('subprocess', s.code, s.title, s.titleEn, [s.process]);
    add(e, s.title, FIELD_WEIGHT.name, true);
    add(e, s.titleEn, FIELD_WEIGHT.nameEn, true);
    add(e, procOf.get(s.process)?.title, FIELD_WEIGHT.context);
  }
  for (const c of catalogue.cfms) {
    const sub = subOf.get(c.subprocess);
    const e = entry('cfm', c.code, c.title, c.titleEn, [c.subprocess, ...(sub ? [sub.process] : [])]);
    add(e, c.title, FIELD_WEIGHT.name, true);
    add(e, c.titleEn, FIELD_WEIGHT.nameEn, true);
    add(e, c.summary, FIELD_WEIGHT.summary);
    add(e, c.summaryEn, FIELD_WEIGHT.summary * 0.8);
    add(e, sub?.title, FIELD_WEIGHT.context);
    add(e, c.steps.map((s) => `${s.action} ${s.output}`).join(' '), FIELD_WEIGHT.steps);
  }
  for (const u of catalogue.units) {
    if (u.kind !== 'internal' || u.type === 'peran') continue;
    const e = entry('unit', u.id, u.name, u.nameEn, []);
    add(e, u.name, FIELD_WEIGHT.name, true);
    add(e, u.short, FIELD_WEIGHT.name, true);
    add(e, u.nameEn, FIELD_WEIGHT.nameEn, true);
    for (const a of u.aliases) add(e, a, FIELD_WEIGHT.synonym, true);
  }
  for (const term of catalogue.glossary) {
    for (const ref of term.refs) {
      const e = byCode.get(ref);
      if (!e) continue;
      for (const text of [term.term, term.expansion, ...term.synonyms]) add(e, text, FIELD_WEIGHT.synonym, true);
    }
  }

  const postings = new Map<string, number[]>();
  builders.forEach((b, i) => {
    for (const s of b.weights.keys()) postings.set(s, [...(postings.get(s) ?? []), i]);
  });
  const n = builders.length;
  const idf = new Map<string, number>();
  for (const [s, list] of postings) idf.set(s, Math.log(1 + n / list.length));
  const maxIdf = Math.log(1 + n);
  // One small fuse.js index per first letter keeps a fuzzy search well under a millisecond.
  const buckets = new Map<string, { word: string; stem: string }[]>();
  for (const [word, s] of surface) buckets.set(word[0]!, [...(buckets.get(word[0]!) ?? []), { word, stem: s }]);
  const fuzzy = new Map([...buckets].map(([letter, items]) => [letter, new Fuse(items, { keys: ['word'], includeScore: true, threshold: 0.34, minMatchCharLength: 3, ignoreLocation: true })]));
  return { entries: builders, idf, maxIdf, postings, surface, typos: new TypoIndex(surface.keys()), fuzzy, corrections: new Map() };
}
