import { FieldReader, type SourceDoc } from './field-reader.js';
import type { PathPart } from './problems.js';
import type { RefCollector } from './references.js';
import type { CodeAlias, Process, Subprocess } from './types.js';

const PROCESS_FIELDS = ['code', 'title', 'titleEn', 'kind', 'description', 'descriptionEn', 'targets', 'units', 'parties', 'aliases'];
const SUBPROCESS_FIELDS = ['code', 'process', 'title', 'titleEn'];

/** Reads `processes.yaml`: the process map with its relation map, and the sub-process map. */
export function readProcesses(doc: SourceDoc, refs: RefCollector): { reader: FieldReader; processes: Process[]; subprocesses: Subprocess[] } {
  const reader = new FieldReader(doc);
  const root = reader.object(doc.data, [], ['processes', 'subprocesses']);
  if (!root) return { reader, processes: [], subprocesses: [] };
  const processes = reader.list(root, 'processes', [], (value, path) => readProcess(reader, refs, value, path), { nonEmpty: true });
  const subprocesses = reader.list(root, 'subprocesses', [], (value, path) => readSubprocess(reader, refs, value, path), { nonEmpty: true });
  return { reader, processes, subprocesses };
}

function readProcess(reader: FieldReader, refs: RefCollector, value: unknown, path: readonly PathPart[]): Process | undefined {
  const obj = reader.object(value, path, PROCESS_FIELDS);
  if (!obj) return undefined;
  const code = reader.text(obj, 'code', path);
  if (code !== undefined && !/^\d{2}$/.test(code)) {
    reader.report([...path, 'code'], `The process code "${code}" is not two digits.`, 'Write process codes as two digits in quotes, e.g. code: "03".');
  }
  const title = reader.text(obj, 'title', path);
  const titleEn = reader.text(obj, 'titleEn', path);
  const kind = reader.oneOf(obj, 'kind', path, ['utama', 'pendukung']);
  const description = reader.text(obj, 'description', path);
  const descriptionEn = reader.text(obj, 'descriptionEn', path);
  const targets = reader.texts(obj, 'targets', path);
  targets.forEach((t, i) => refs.add(reader, [...path, 'targets', i], 'target', t));
  const units = reader.texts(obj, 'units', path, { nonEmpty: true });
  units.forEach((u, i) => refs.add(reader, [...path, 'units', i], 'internal-unit', u));
  const parties = reader.texts(obj, 'parties', path);
  parties.forEach((u, i) => refs.add(reader, [...path, 'parties', i], 'external-unit', u));
  const aliases = reader.list(obj, 'aliases', path, (v, p) => readAlias(reader, v, p), { optional: true });
  if (code === undefined || title === undefined || titleEn === undefined || kind === undefined || description === undefined || descriptionEn === undefined) return undefined;
  return { code, title, titleEn, kind, description, descriptionEn, targets, units, parties, aliases };
}

function readAlias(reader: FieldReader, value: unknown, path: readonly PathPart[]): CodeAlias | undefined {
  const obj = reader.object(value, path, ['scheme', 'code', 'title']);
  if (!obj) return undefined;
  const scheme = reader.text(obj, 'scheme', path);
  const code = reader.text(obj, 'code', path);
  const title = reader.text(obj, 'title', path);
  return scheme && code && title ? { scheme, code, title } : undefined;
}

function readSubprocess(reader: FieldReader, refs: RefCollector, value: unknown, path: readonly PathPart[]): Subprocess | undefined {
  const obj = reader.object(value, path, SUBPROCESS_FIELDS);
  if (!obj) return undefined;
  const code = reader.text(obj, 'code', path);
  const process = reader.text(obj, 'process', path);
  refs.add(reader, [...path, 'process'], 'process', process);
  if (code !== undefined && process !== undefined && !code.startsWith(`${process}.`)) {
    reader.report([...path, 'code'], `The sub-process code "${code}" does not start with its process code "${process}.".`, `Write the code as "${process}.<number>", or correct "process".`);
  }
  const title = reader.text(obj, 'title', path);
  const titleEn = reader.text(obj, 'titleEn', path);
  if (code === undefined || process === undefined || title === undefined || titleEn === undefined) return undefined;
  return { code, process, title, titleEn };
}
