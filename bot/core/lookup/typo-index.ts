import { damerau } from './damerau.js';

/**
 * Finds catalogue words one edit away from a misspelt word in microseconds, with a symmetric
 * delete index: every word is stored under itself and under each of its one-letter deletions; a
 * question word's own deletions are looked up, and the candidates are checked with a true edit
 * distance (a swap of two letters counts as one). Longer misspellings fall back to fuse.js.
 */
export class TypoIndex {
  private readonly byDeletion = new Map<string, string[]>();

  constructor(words: Iterable<string>) {
    for (const word of words) {
      if (word.length < 4) continue;
      for (const key of [word, ...deletions(word)]) {
        const list = this.byDeletion.get(key);
        if (list) {
          if (!list.includes(word)) list.push(word);
        } else this.byDeletion.set(key, [word]);
      }
    }
  }

  /** Catalogue words at distance 1 from `word`, nearest first (ties in catalogue order). */
  nearest(word: string): string[] {
    const found = new Set<string>();
    for (const key of [word, ...deletions(word)]) for (const candidate of this.byDeletion.get(key) ?? []) found.add(candidate);
    return [...found].filter((c) => damerau(word, c) <= 1);
  }
}

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}
