import { createHash } from 'node:crypto';
import { checkFlow } from './check-flow.js';
import { closest, type FieldReader, type SourceDoc } from './field-reader.js';
import type { Problem } from './problems.js';
import { readCfm } from './read-cfm.js';
import { readGlossary } from './read-glossary.js';
import { readExtraActors, readOrganisation } from './read-organisation.js';
import { readProcesses } from './read-processes.js';
import { readProfile } from './read-profile.js';
import { RefCollector, type RefKind } from './references.js';
import type { Catalogue, Unit } from './types.js';

/** The parsed files of a catalogue folder, and the problems met while reading them. */
export interface CatalogueSources {
  readonly profile?: SourceDoc;
  readonly organisation?: SourceDoc;
  readonly processes?: SourceDoc;
  readonly glossary?: SourceDoc;
  /** Extra outside actors (`actors-*.yaml`), each a list of unit entries. */
  readonly actors: readonly SourceDoc[];
  readonly cfms: readonly SourceDoc[];
  /** Problems found before parsing: unreadable files, bad YAML, missing files. */
  readonly problems: readonly Problem[];
}

export type BuildResult = { readonly ok: true; readonly catalogue: Catalogue } | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * Checks every file and every cross-reference, and builds the catalogue only when nothing is wrong.
 * All problems are returned at once, in file order.
 */
export function buildCatalogue(sources: CatalogueSources): BuildResult {
  const refs = new RefCollector();
  const readers: FieldReader[] = [];
  const org = sources.organisation ? readOrganisation(sources.organisation, refs) : undefined;
  const extras = sources.actors.map((doc) => readExtraActors(doc, refs));
  const proc = sources.processes ? readProcesses(sources.processes, refs) : undefined;
  const prof = sources.profile ? readProfile(sources.profile, refs) : undefined;
  const gloss = sources.glossary ? readGlossary(sources.glossary, refs) : undefined;
  const cfmReads = sources.cfms.map((doc) => readCfm(doc, refs));
  for (const r of [org, ...extras, proc, prof, gloss, ...cfmReads]) if (r) readers.push(r.reader);

  const placedUnits = [org, ...extras].flatMap((r) => (r ? r.units.map((u) => ({ ...u, reader: r.reader })) : []));
  const units: Unit[] = placedUnits.map((p) => p.unit);
  const processes = proc?.processes ?? [];
  const subprocesses = proc?.subprocesses ?? [];
  const cfms = cfmReads.flatMap((r) => (r.cfm ? [r.cfm] : []));
  const targets = prof?.targets ?? [];
  const glossary = gloss?.glossary ?? [];

  // Uniqueness: unit ids; every code in one namespace; targets; glossary terms.
  const unitIds = new Set<string>();
  for (const { unit, path, reader } of placedUnits) {
    if (unitIds.has(unit.id)) reader.report([...path, 'id'], `The id "${unit.id}" is used by two units or parties.`, 'Give each unit, party and actor its own id.');
    unitIds.add(unit.id);
  }
  const codes = new Map<string, string>();
  const codeProblem = (code: string, what: string, report: () => void): void => {
    if (codes.has(code)) report();
    else codes.set(code, what);
  };
  processes.forEach((p, i) => codeProblem(p.code, 'process', () => proc!.reader.report(['processes', i, 'code'], `The code "${p.code}" is used twice (also a ${codes.get(p.code)}).`, 'Give each process its own code.')));
  subprocesses.forEach((s, i) => codeProblem(s.code, 'sub-process', () => proc!.reader.report(['subprocesses', i, 'code'], `The code "${s.code}" is used twice (also a ${codes.get(s.code)}).`, 'Give each sub-process its own code.')));
  cfmReads.forEach((r) => {
    if (r.cfm) codeProblem(r.cfm.code, 'CFM', () => r.reader.report(['code'], `The CFM code "${r.cfm!.code}" is used twice (also a ${codes.get(r.cfm!.code)}).`, 'Give each CFM its own code; two files cannot hold the same CFM.'));
  });
  const targetIds = new Set<string>();
  targets.forEach((t, i) => {
    if (targetIds.has(t.id)) prof!.reader.report(['targets', i, 'id'], `The target id "${t.id}" is used twice.`, 'Give each target its own id.');
    targetIds.add(t.id);
  });
  const terms = new Set<string>();
  glossary.forEach((g, i) => {
    const key = g.term.toLowerCase();
    if (terms.has(key)) gloss!.reader.report(['terms', i, 'term'], `The term "${g.term}" is in the glossary twice.`, 'Merge the two entries into one.');
    terms.add(key);
  });

  // Structure: every process has a sub-process, every sub-process a CFM.
  processes.forEach((p, i) => {
    if (!subprocesses.some((s) => s.process === p.code)) proc!.reader.report(['processes', i, 'code'], `Process ${p.code} has no sub-process.`, `Add a sub-process with process: "${p.code}" to "subprocesses".`);
  });
  const allCfmsRead = cfmReads.every((r) => r.cfm) && !sources.problems.some((p) => p.file.startsWith('cfm/'));
  subprocesses.forEach((s, i) => {
    if (allCfmsRead && !cfms.some((c) => c.subprocess === s.code)) proc!.reader.report(['subprocesses', i, 'code'], `Sub-process ${s.code} has no CFM.`, `Add a file cfm/${s.code}.a.yaml with subprocess: "${s.code}".`);
  });

  // References.
  const unitsById = new Map(units.map((u) => [u.id, u]));
  const known: Record<RefKind, (v: string) => boolean> = {
    unit: (v) => unitIds.has(v),
    'internal-unit': (v) => unitsById.get(v)?.kind === 'internal',
    'external-unit': (v) => unitsById.get(v)?.kind === 'external',
    'relation-party': (v) => unitsById.get(v)?.type === 'relasi',
    target: (v) => targetIds.has(v),
    process: (v) => processes.some((p) => p.code === v),
    subprocess: (v) => subprocesses.some((s) => s.code === v),
    'code-or-unit': (v) => codes.has(v) || unitIds.has(v),
  };
  const candidates: Record<RefKind, () => string[]> = {
    unit: () => [...unitIds],
    'internal-unit': () => units.filter((u) => u.kind === 'internal').map((u) => u.id),
    'external-unit': () => units.filter((u) => u.kind === 'external').map((u) => u.id),
    'relation-party': () => units.filter((u) => u.type === 'relasi').map((u) => u.id),
    target: () => [...targetIds],
    process: () => processes.map((p) => p.code),
    subprocess: () => subprocesses.map((s) => s.code),
    'code-or-unit': () => [...codes.keys(), ...unitIds],
  };
  const described: Record<RefKind, string> = {
    unit: 'a unit, party or actor in organisation.yaml',
    'internal-unit': 'an internal unit (under "units:" in organisation.yaml)',
    'external-unit': 'an outside party or actor in organisation.yaml',
    'relation-party': 'a relation-map party (type: relasi in organisation.yaml)',
    target: 'a target in profile.yaml',
    process: 'a process in processes.yaml',
    subprocess: 'a sub-process in processes.yaml',
    'code-or-unit': 'a catalogue code or a unit id',
  };
  // A reference into a file that could not be read is not checked: its own problem says why.
  const readable: Record<RefKind, boolean> = {
    unit: !!sources.organisation,
    'internal-unit': !!sources.organisation,
    'external-unit': !!sources.organisation,
    'relation-party': !!sources.organisation,
    target: !!sources.profile,
    process: !!sources.processes,
    subprocess: !!sources.processes,
    'code-or-unit': !!sources.organisation && !!sources.processes && allCfmsRead,
  };
  for (const ref of refs.refs) {
    if (!readable[ref.kind] || known[ref.kind](ref.value)) continue;
    const all = candidates[ref.kind]();
    const near = closest(ref.value, all);
    const exists = unitsById.get(ref.value);
    const message = exists ? `"${ref.value}" is ${exists.kind === 'internal' ? 'an internal unit' : 'an outside party'}, but ${described[ref.kind]} is needed here.` : `"${ref.value}" is not ${described[ref.kind]}.`;
    ref.reader.report(ref.path, message, near ? `Did you mean "${near}"?` : `Add it to the right file first, or use one of: ${all.slice(0, 12).join(', ')}${all.length > 12 ? ', …' : ''}.`);
  }

  // Flow of each CFM.
  for (const read of cfmReads) if (read.cfm) checkFlow({ ...read, cfm: read.cfm });

  const problems = [...sources.problems, ...readers.flatMap((r) => r.problems)];
  if (!sources.profile) problems.push(missing('profile.yaml'));
  if (!sources.organisation) problems.push(missing('organisation.yaml'));
  if (!sources.processes) problems.push(missing('processes.yaml'));
  if (!sources.glossary) problems.push(missing('glossary.yaml'));
  if (sources.cfms.length === 0 && !sources.problems.some((p) => p.file.startsWith('cfm'))) problems.push({ file: 'cfm/', path: '', message: 'The catalogue has no CFM files.', fix: 'Add one file per CFM under cfm/, named <code>.yaml.' });
  if (problems.length > 0 || !prof?.profile) return { ok: false, problems: dedupe(problems) };

  const sortedCfms = [...cfms].sort((a, b) => compareCodes(a.code, b.code));
  const content = { profile: prof.profile, targets, units, processes, subprocesses, cfms: sortedCfms, glossary };
  return { ok: true, catalogue: { version: versionOf(content), ...content } };
}

/** A short content hash: the same data gives the same version, any change a new one. */
export function versionOf(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 12);
}

/** Orders codes like 01.1.a < 01.1.b < 02.1.a < 02.1.a.1 < 10.1.a. */
export function compareCodes(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function missing(file: string): Problem {
  return { file, path: '', message: `The file ${file} is missing.`, fix: `Restore ${file} in the catalogue folder (see its README for what it holds).` };
}

function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}|${p.line}|${p.path}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

