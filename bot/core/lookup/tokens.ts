import { isIrregular, stem } from './stem.js';
import { STOPWORDS } from './stopwords.js';

/** Lowercases, folds accents and splits a text into words; "e-warong" and "SIKS-NG" stay one word. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\b(\w+)-\1\b/g, '$1')
    .replace(/\b([a-z]{3,})2\b/g, '$1')
    .replace(/(\w)-(\w)/g, '$1$2')
    .replace(/(\w)\/(\w)/g, '$1 $2')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** A word and its stem. */
export interface Token {
  readonly word: string;
  readonly stem: string;
}

/** The topic words of a text: words without stopwords, each with its stem. */
export function topicTokens(text: string): Token[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w) && !/^\d+$/.test(w))
    .map((word) => ({ word, stem: stem(word) }))
    .filter((t) => !STOPWORDS.has(t.stem) || isIrregular(t.word));
}

/** The stems of a text's topic words, for indexing. */
export function stems(text: string): string[] {
  return topicTokens(text).map((t) => t.stem);
}
