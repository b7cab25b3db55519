import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { CatalogueSources } from '../core/catalogue/build-catalogue.js';
import type { SourceDoc } from '../core/catalogue/field-reader.js';
import type { PathPart, Problem } from '../core/catalogue/problems.js';

/** The catalogue shipped with Pandu. */
export const DEFAULT_CATALOGUE_DIR = fileURLToPath(new URL('../../data/catalogue/', import.meta.url));

const FIXED_FILES = ['profile', 'organisation', 'processes', 'glossary'] as const;

/**
 * Reads every YAML file of a catalogue folder. Unreadable files and YAML syntax errors become
 * problems (with their line); the files that parse are handed on with a way to find the line of any
 * path inside them.
 */
export async function readCatalogueFiles(dir: string): Promise<CatalogueSources> {
  const problems: Problem[] = [];
  const fixed: Partial<Record<(typeof FIXED_FILES)[number], SourceDoc>> = {};
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    return { actors: [], cfms: [], problems: [{ file: dir, path: '', message: `The catalogue folder cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, fix: 'Check the data directory setting (PANDU_DATA_DIR) points at a folder holding catalogue/.' }] };
  }
  for (const name of FIXED_FILES) {
    if (entries.includes(`${name}.yaml`)) {
      const doc = await readYaml(dir, `${name}.yaml`, problems);
      if (doc) fixed[name] = doc;
    }
  }
  const actors: SourceDoc[] = [];
  for (const name of entries.filter((e) => /^actors-.+\.ya?ml$/.test(e)).sort()) {
    const doc = await readYaml(dir, name, problems);
    if (doc) actors.push(doc);
  }
  const cfms: SourceDoc[] = [];
  let cfmNames: string[] = [];
  try {
    cfmNames = (await readdir(path.join(dir, 'cfm'))).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    problems.push({ file: 'cfm/', path: '', message: 'The folder cfm/ is missing.', fix: 'Create cfm/ in the catalogue folder with one <code>.yaml file per CFM.' });
  }
  for (const name of cfmNames) {
    const doc = await readYaml(dir, `cfm/${name}`, problems);
    if (doc) cfms.push(doc);
  }
  return { ...fixed, actors, cfms, problems };
}

async function readYaml(dir: string, file: string, problems: Problem[]): Promise<SourceDoc | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, file), 'utf8');
  } catch (error) {
    problems.push({ file, path: '', message: `The file cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, fix: 'Check the file exists and is readable.' });
    return undefined;
  }
  return parseYamlSource(file, text, problems);
}

/** Parses one YAML text; syntax errors are added to `problems` and the file is then skipped. */
export function parseYamlSource(file: string, text: string, problems: Problem[]): SourceDoc | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = lineCounter.linePos(error.pos[0]).line;
      problems.push({ file, line, path: '', message: `The YAML cannot be read: ${firstLine(error.message)}.`, fix: yamlFix(error.code) });
    }
    return undefined;
  }
  return { file, data: doc.toJS({ maxAliasCount: 100 }), locate: (p) => locate(doc, lineCounter, p) };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
}

function yamlFix(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'A key appears twice in the same entry: remove or rename one of them.';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'Check the indentation and brackets near this line; put text that contains ": " or starts with a special character in quotes.';
    default:
      return 'Check the indentation and quoting near this line; put text that contains ": " or "#" in quotes.';
  }
}

/** The line of the deepest node along `path` that exists. */
function locate(doc: Document, lineCounter: LineCounter, path: readonly PathPart[]): number | undefined {
  let node: unknown = doc.contents;
  let line: number | undefined = lineOf(node, lineCounter);
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === part);
      if (!pair) break;
      line = lineOf(pair.key, lineCounter) ?? line;
      node = pair.value;
      if (!isMap(node) && !isSeq(node)) break;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      line = lineOf(node, lineCounter) ?? line;
    } else break;
  }
  return line;
}

function lineOf(node: unknown, lineCounter: LineCounter): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? lineCounter.linePos(range[0]).line : undefined;
}
