import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalogue, type BuildResult } from '../../bot/core/catalogue/build-catalogue.js';
import { parseYamlSource } from '../../bot/catalogue/read-catalogue-files.js';
import type { SourceDoc } from '../../bot/core/catalogue/field-reader.js';
import type { Problem } from '../../bot/core/catalogue/problems.js';

export const MIN_CATALOGUE_DIR = fileURLToPath(new URL('../fixtures/catalogue-min/', import.meta.url));

/** The minimal valid fixture catalogue as a map of relative file name → text. */
export function minimalCatalogueFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(MIN_CATALOGUE_DIR)) if (name.endsWith('.yaml')) files.set(name, readFileSync(path.join(MIN_CATALOGUE_DIR, name), 'utf8'));
  for (const name of readdirSync(path.join(MIN_CATALOGUE_DIR, 'cfm'))) files.set(`cfm/${name}`, readFileSync(path.join(MIN_CATALOGUE_DIR, 'cfm', name), 'utf8'));
  return files;
}

/** Builds a catalogue from in-memory files, through the same YAML parsing as the real loader. */
export function buildFromFiles(files: ReadonlyMap<string, string>): BuildResult {
  const problems: Problem[] = [];
  const docs = new Map<string, SourceDoc>();
  for (const [name, text] of files) {
    const doc = parseYamlSource(name, text, problems);
    if (doc) docs.set(name, doc);
  }
  const pick = (name: string) => docs.get(name);
  return buildCatalogue({
    profile: pick('profile.yaml'),
    organisation: pick('organisation.yaml'),
    processes: pick('processes.yaml'),
    glossary: pick('glossary.yaml'),
    actors: [...docs.entries()].filter(([n]) => n.startsWith('actors-')).map(([, d]) => d),
    cfms: [...docs.entries()].filter(([n]) => n.startsWith('cfm/')).map(([, d]) => d),
    problems,
  });
}

/** The minimal catalogue with one file's text changed by `edit`. */
export function withEdit(file: string, edit: (text: string) => string): Map<string, string> {
  const files = minimalCatalogueFiles();
  const text = files.get(file);
  if (text === undefined) throw new Error(`fixture has no file ${file}`);
  const changed = edit(text);
  if (changed === text) throw new Error(`the edit of ${file} changed nothing: fix the test's search text`);
  files.set(file, changed);
  return files;
}
