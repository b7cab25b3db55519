import { compact, FieldReader, type Obj, type SourceDoc } from './field-reader.js';
import type { PathPart } from './problems.js';
import type { RefCollector } from './references.js';
import type { Branch, Cfm, Confirmation, LegalBasis, RuleChange, Source, Step } from './types.js';

const CFM_FIELDS = ['code', 'subprocess', 'title', 'titleEn', 'printedTitle', 'owner', 'status', 'confirmation', 'summary', 'summaryEn', 'legalBasis', 'sources', 'changes', 'steps'];
const STEP_FIELDS = ['id', 'actor', 'action', 'actionEn', 'inputs', 'output', 'slaDays', 'slaNote', 'basis', 'source', 'next', 'decision', 'branches', 'end'];
const STEP_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CFM_CODE = /^\d{2}\.\d+\.[a-z](\.\d+)?$/;

/** A CFM as read from its file, with the file index of each step for reporting. */
export interface ReadCfm {
  readonly reader: FieldReader;
  readonly cfm?: Cfm;
  /** Step id → index in the file's `steps` list. */
  readonly stepIndex: ReadonlyMap<string, number>;
}

/** Reads one `cfm/<code>.yaml` file. Flow checks (next, reachability, ends) come later. */
export function readCfm(doc: SourceDoc, refs: RefCollector): ReadCfm {
  const reader = new FieldReader(doc);
  const stepIndex = new Map<string, number>();
  const root = reader.object(doc.data, [], CFM_FIELDS);
  if (!root) return { reader, stepIndex };
  const code = reader.text(root, 'code', []);
  if (code !== undefined && !CFM_CODE.test(code)) {
    reader.report(['code'], `The CFM code "${code}" is not of the form 01.1.a or 02.1.a.1.`, 'Write the sub-process code, a dot and a letter (and optionally .number), e.g. code: 03.1.a.');
  }
  const fileCode = doc.file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  if (code !== undefined && fileCode !== code) {
    reader.report(['code'], `The file is named "${fileCode}" but the CFM's code is "${code}".`, `Rename the file to cfm/${code}.yaml, or correct the code.`);
  }
  const subprocess = reader.text(root, 'subprocess', []);
  refs.add(reader, ['subprocess'], 'subprocess', subprocess);
  if (code !== undefined && subprocess !== undefined && !code.startsWith(`${subprocess}.`)) {
    reader.report(['subprocess'], `The CFM code "${code}" does not start with its sub-process "${subprocess}.".`, 'Correct "subprocess" or the code so that the code begins with the sub-process code.');
  }
  const owner = reader.text(root, 'owner', []);
  refs.add(reader, ['owner'], 'internal-unit', owner);
  const status = reader.oneOf(root, 'status', [], ['draft', 'confirmed']);
  const confirmation = readConfirmation(reader, root);
  if (status === 'confirmed' && confirmation === undefined) {
    reader.report(['status'], 'The CFM is "confirmed" but has no "confirmation" (who confirmed it and when).', 'Add confirmation: {by: <name>, at: <YYYY-MM-DD>}, or set status: draft.');
  }
  const sources = reader.list(root, 'sources', [], (v, p) => readSource(reader, v, p));
  const sourceIds = new Set(sources.map((s) => s.id));
  const steps = reader.list(root, 'steps', [], (v, p) => readStep(reader, refs, v, p, sourceIds), { nonEmpty: true });
  const rawSteps = Array.isArray(root['steps']) ? (root['steps'] as unknown[]) : [];
  rawSteps.forEach((raw, i) => {
    const id = (raw as Obj | null)?.['id'];
    if (typeof id === 'string') {
      if (stepIndex.has(id)) reader.report(['steps', i, 'id'], `The step id "${id}" is used twice in this CFM.`, 'Give each step its own id.');
      else stepIndex.set(id, i);
    }
  });
  const fields = {
    title: reader.text(root, 'title', []),
    titleEn: reader.text(root, 'titleEn', []),
    printedTitle: reader.text(root, 'printedTitle', [], { optional: true }),
    summary: reader.text(root, 'summary', []),
    summaryEn: reader.text(root, 'summaryEn', []),
  };
  const legalBasis = reader.list(root, 'legalBasis', [], (v, p) => readLegalBasis(reader, v, p), { nonEmpty: true });
  const changes = reader.list(root, 'changes', [], (v, p) => readChange(reader, v, p), { optional: true });
  const { title, titleEn, printedTitle, summary, summaryEn } = fields;
  if (!code || !subprocess || !owner || !status || !title || !titleEn || !summary || !summaryEn) return { reader, stepIndex };
  const cfm: Cfm = { code, subprocess, title, titleEn, owner, status, summary, summaryEn, legalBasis, sources, changes, steps, ...compact({ printedTitle, confirmation }) };
  return { reader, cfm, stepIndex };
}

function readConfirmation(reader: FieldReader, root: Obj): Confirmation | undefined {
  if (root['confirmation'] === undefined || root['confirmation'] === null) return undefined;
  const obj = reader.object(root['confirmation'], ['confirmation'], ['by', 'at', 'catalogueVersion', 'fingerprint']);
  if (!obj) return undefined;
  const by = reader.text(obj, 'by', ['confirmation']);
  const at = dateText(reader, obj, 'at', ['confirmation']);
  const catalogueVersion = reader.text(obj, 'catalogueVersion', ['confirmation'], { optional: true });
  const fingerprint = reader.text(obj, 'fingerprint', ['confirmation'], { optional: true });
  return by && at ? { by, at, ...compact({ catalogueVersion, fingerprint }) } : undefined;
}

/** YAML turns an unquoted 2025-02-05 into a Date: accept both forms and keep the text. */
function dateText(reader: FieldReader, obj: Obj, key: string, path: readonly PathPart[], optional = false): string | undefined {
  const value = obj[key];
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const text = reader.text(obj, key, path, { optional });
  if (text !== undefined && !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    reader.report([...path, key], `"${key}" is "${text}", which is not a date.`, `Write the date as YYYY-MM-DD, e.g. ${key}: 2025-02-05.`);
    return undefined;
  }
  return text;
}

function readSource(reader: FieldReader, value: unknown, path: readonly PathPart[]): Source | undefined {
  const obj = reader.object(value, path, ['id', 'title', 'url']);
  if (!obj) return undefined;
  const id = reader.text(obj, 'id', path);
  const title = reader.text(obj, 'title', path);
  const url = reader.text(obj, 'url', path, { optional: true });
  return id && title ? { id, title, ...compact({ url }) } : undefined;
}

function readLegalBasis(reader: FieldReader, value: unknown, path: readonly PathPart[]): LegalBasis | undefined {
  const obj = reader.object(value, path, ['ref', 'status', 'note']);
  if (!obj) return undefined;
  const ref = reader.text(obj, 'ref', path);
  const status = reader.oneOf(obj, 'status', path, ['verified', 'unverified']);
  const note = reader.text(obj, 'note', path, { optional: true });
  return ref && status ? { ref, status, ...compact({ note }) } : undefined;
}

function readChange(reader: FieldReader, value: unknown, path: readonly PathPart[]): RuleChange | undefined {
  const obj = reader.object(value, path, ['since', 'note', 'noteEn', 'ref']);
  if (!obj) return undefined;
  const since = dateText(reader, obj, 'since', path, true);
  const note = reader.text(obj, 'note', path);
  const noteEn = reader.text(obj, 'noteEn', path);
  const ref = reader.text(obj, 'ref', path, { optional: true });
  return note && noteEn ? { note, noteEn, ...compact({ since, ref }) } : undefined;
}

function readStep(reader: FieldReader, refs: RefCollector, value: unknown, path: readonly PathPart[], sourceIds: ReadonlySet<string>): Step | undefined {
  const obj = reader.object(value, path, STEP_FIELDS);
  if (!obj) return undefined;
  const id = reader.text(obj, 'id', path);
  if (id !== undefined && !STEP_ID.test(id)) {
    reader.report([...path, 'id'], `The step id "${id}" has characters other than lowercase letters, digits and dashes.`, 'Write step ids in lowercase with dashes, e.g. "verifikasi-berkas".');
  }
  const actor = reader.text(obj, 'actor', path);
  refs.add(reader, [...path, 'actor'], 'unit', actor);
  const action = reader.text(obj, 'action', path);
  const actionEn = reader.text(obj, 'actionEn', path);
  const inputs = reader.texts(obj, 'inputs', path);
  const output = reader.text(obj, 'output', path);
  const slaDays = reader.integer(obj, 'slaDays', path, { optional: true, min: 1 });
  const slaNote = reader.text(obj, 'slaNote', path, { optional: true });
  const basis = reader.oneOf(obj, 'basis', path, ['sourced', 'inferred']);
  const source = reader.texts(obj, 'source', path, { optional: true });
  source.forEach((s, i) => {
    if (!sourceIds.has(s)) reader.report([...path, 'source', i], `The source "${s}" is not in this CFM's "sources" list.`, `Add it to "sources", or use one of: ${[...sourceIds].join(', ') || '(none yet)'}.`);
  });
  if (basis === 'sourced' && source.length === 0) {
    reader.report([...path, 'basis'], 'The step is marked "sourced" but names no source.', 'Add source: [<id from sources>], or mark it basis: inferred.');
  }
  const flow = readFlow(reader, obj, path);
  if (!id || !actor || !action || !actionEn || !output || !basis || !flow) return undefined;
  return { id, actor, action, actionEn, inputs, output, basis, source, ...compact({ slaDays, slaNote }), ...flow } as Step;
}

type Flow = { kind: 'task'; next: string } | { kind: 'decision'; question: string; questionEn: string; branches: Branch[] } | { kind: 'end' };

/** Exactly one of `next`, `decision` + `branches`, or `end: true`. */
function readFlow(reader: FieldReader, obj: Obj, path: readonly PathPart[]): Flow | undefined {
  const present = (['next', 'branches', 'end'] as const).filter((k) => obj[k] !== undefined && obj[k] !== null && obj[k] !== false);
  if (present.length === 0) {
    reader.report(path, 'The step says neither where to go next nor that the procedure ends here.', 'Add "next: <step id>", a "decision" with "branches", or "end: true".');
    return undefined;
  }
  if (present.length > 1) {
    reader.report([...path, present[1]!], `The step has both "${present[0]}" and "${present[1]}".`, 'Keep exactly one of "next", "branches" (with "decision") or "end: true".');
    return undefined;
  }
  if (present[0] === 'end') {
    if (obj['end'] !== true) reader.report([...path, 'end'], '"end" must be true.', 'Write end: true, or remove it.');
    if (obj['decision'] !== undefined) reader.report([...path, 'decision'], 'An end step cannot have a decision.', 'Remove "decision", or give the step "branches".');
    return { kind: 'end' };
  }
  if (present[0] === 'next') {
    const next = reader.text(obj, 'next', path);
    if (obj['decision'] !== undefined) reader.report([...path, 'decision'], 'The step has a "decision" but a single "next".', 'Replace "next" with "branches" (two or more), or remove "decision".');
    return next === undefined ? undefined : { kind: 'task', next };
  }
  if (obj['decision'] === undefined || obj['decision'] === null) {
    reader.report([...path, 'branches'], 'The step has "branches" but no "decision" question.', 'Add decision: {question: ..., questionEn: ...} saying what is decided.');
    return undefined;
  }
  const decision = reader.object(obj['decision'], [...path, 'decision'], ['question', 'questionEn']);
  const question = decision ? reader.text(decision, 'question', [...path, 'decision']) : undefined;
  const questionEn = decision ? reader.text(decision, 'questionEn', [...path, 'decision']) : undefined;
  const branches = reader.list(obj, 'branches', path, (v, p) => readBranch(reader, v, p));
  const raw = obj['branches'];
  if (Array.isArray(raw) && raw.length < 2) {
    reader.report([...path, 'branches'], `A decision needs at least two labelled branches; this one has ${raw.length}.`, 'Add the other outcome as a branch, or turn the step into "next: <step id>".');
    return undefined;
  }
  const labels = new Set<string>();
  branches.forEach((b, i) => {
    if (labels.has(b.label.toLowerCase())) reader.report([...path, 'branches', i, 'label'], `Two branches are labelled "${b.label}".`, 'Give each branch its own label.');
    labels.add(b.label.toLowerCase());
  });
  if (!question || !questionEn || !Array.isArray(raw) || branches.length !== raw.length) return undefined;
  return { kind: 'decision', question, questionEn, branches };
}

function readBranch(reader: FieldReader, value: unknown, path: readonly PathPart[]): Branch | undefined {
  const obj = reader.object(value, path, ['label', 'labelEn', 'next']);
  if (!obj) return undefined;
  const label = reader.text(obj, 'label', path);
  const labelEn = reader.text(obj, 'labelEn', path);
  const next = reader.text(obj, 'next', path);
  return label && labelEn && next ? { label, labelEn, next } : undefined;
}
