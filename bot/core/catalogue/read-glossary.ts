import { compact, FieldReader, type SourceDoc } from './field-reader.js';
import type { PathPart } from './problems.js';
import type { RefCollector } from './references.js';
import type { GlossaryTerm } from './types.js';

const TERM_FIELDS = ['term', 'expansion', 'meaning', 'meaningEn', 'synonyms', 'refs'];

/** Reads `glossary.yaml`: the words staff use, each pointing at catalogue codes or unit ids. */
export function readGlossary(doc: SourceDoc, refs: RefCollector): { reader: FieldReader; glossary: GlossaryTerm[] } {
  const reader = new FieldReader(doc);
  const root = reader.object(doc.data, [], ['terms']);
  if (!root) return { reader, glossary: [] };
  const glossary = reader.list(root, 'terms', [], (value, path) => readTerm(reader, refs, value, path), { nonEmpty: true });
  return { reader, glossary };
}

function readTerm(reader: FieldReader, refs: RefCollector, value: unknown, path: readonly PathPart[]): GlossaryTerm | undefined {
  const obj = reader.object(value, path, TERM_FIELDS);
  if (!obj) return undefined;
  const term = reader.text(obj, 'term', path);
  const expansion = reader.text(obj, 'expansion', path, { optional: true });
  const meaning = reader.text(obj, 'meaning', path);
  const meaningEn = reader.text(obj, 'meaningEn', path);
  const synonyms = reader.texts(obj, 'synonyms', path, { optional: true });
  const targets = reader.texts(obj, 'refs', path, { nonEmpty: true });
  targets.forEach((r, i) => refs.add(reader, [...path, 'refs', i], 'code-or-unit', r));
  if (term === undefined || meaning === undefined || meaningEn === undefined) return undefined;
  return { term, meaning, meaningEn, synonyms, refs: targets, ...compact({ expansion }) };
}
