/**
 * Reads a workbook written by `exportCatalogueToXlsx` (and edited by staff) back into catalogue data,
 * and writes changed CFMs back as YAML. Every problem names its sheet, row and column, with an Excel
 * reference such as `03.1.a!B12` at the start of its message.
 *
 * The workbook holds the process map, the sub-process map and the CFMs; the profile, the organisation
 * and the glossary come from the base catalogue. After the spreadsheet checks, the imported data goes
 * through `buildCatalogue`, the same validation as the YAML files, and its problems are mapped back
 * to the sheet and row they come from.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import ExcelJS from 'exceljs';
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { buildCatalogue, type CatalogueSources } from '../../core/catalogue/build-catalogue.js';
import { closest, type SourceDoc } from '../../core/catalogue/field-reader.js';
import type { Problem } from '../../core/catalogue/problems.js';
import { readCfm } from '../../core/catalogue/read-cfm.js';
import { RefCollector } from '../../core/catalogue/references.js';
import type { Catalogue, Cfm, Process, Step, Subprocess } from '../../core/catalogue/types.js';
import { parseYamlSource } from '../read-catalogue-files.js';
import {
  ABSENT,
  CFM_FIELDS,
  columnLetter,
  FIXED_SHEETS,
  FLOW_DECISION,
  FLOW_END,
  OPTIONAL_CFM_FIELDS,
  PROCESS_COLUMNS,
  SHEET_PROCESSES,
  SHEET_SUBPROCESSES,
  STEP_COLUMNS,
  SUBPROCESS_COLUMNS,
  type CfmField,
  type StepColumn,
} from './export-xlsx.js';

export interface ImportOptions {
  /** The catalogue the workbook is checked against: its units, targets, profile and glossary. */
  readonly base: Catalogue;
  /** The workbook's name in problems (`<name>#<sheet>`); `workbook.xlsx` by default. */
  readonly name?: string;
}

export type ImportResult =
  | { readonly ok: true; readonly processes: readonly Process[]; readonly subprocesses: readonly Subprocess[]; readonly cfms: readonly Cfm[]; readonly catalogue: Catalogue }
  | { readonly ok: false; readonly problems: Problem[] };

type Raw = Record<string, unknown>;

/** A place in the workbook. `column` is the header name (or metadata label); `col` its number. */
interface Place {
  readonly sheet: string;
  readonly row?: number;
  readonly column?: string;
  readonly col?: number;
}

class ProblemList {
  readonly problems: { place: Place; problem: Problem; fromBuild: boolean }[] = [];
  private readonly cells = new Set<string>();

  constructor(private readonly book: string) {}

  add(place: Place, message: string, fix: string, fromBuild = false): void {
    const key = `${place.sheet}|${place.row}|${place.column}`;
    if (fromBuild && this.cells.has(key)) return;
    if (!fromBuild) this.cells.add(key);
    const ref = place.row === undefined ? place.sheet : place.col === undefined ? `${place.sheet}!${place.row}:${place.row}` : `${place.sheet}!${columnLetter(place.col)}${place.row}`;
    const where = place.row === undefined ? '' : `row ${place.row}${place.column === undefined ? '' : `, column ${place.column}`}`;
    const problem: Problem = { file: `${this.book}#${place.sheet}`, ...(place.row === undefined ? {} : { line: place.row }), path: where, message: `${ref}: ${message}`, fix };
    if (this.problems.some((p) => p.problem.file === problem.file && p.problem.path === problem.path && p.problem.message === problem.message)) return;
    this.problems.push({ place, problem, fromBuild });
  }

  /** A problem in a file of the base catalogue that the workbook does not hold. */
  addOther(problem: Problem): void {
    this.problems.push({ place: { sheet: '' }, problem, fromBuild: true });
  }

  get size(): number {
    return this.problems.length;
  }
}

// ---------------------------------------------------------------------------------------------
// Cells

/** The text of a cell whatever Excel made of it (rich text, a formula result, a number, a date). */
export function cellText(cell: ExcelJS.Cell): string {
  return valueText(cell.value).replace(/\r\n?/g, '\n').trim();
}

function valueText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return value.text;
  if ('formula' in value || 'sharedFormula' in value) return valueText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  return '';
}

const splitList = (text: string): string[] =>
  text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
const splitLines = (text: string): string[] =>
  text
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');
const splitParts = (line: string): string[] => line.split('|').map((s) => s.trim());

/** Stands in for an empty text already reported, so the full validation does not report it again. */
const STAND_IN = '(kosong)';

/** A table: a header row naming the columns, then one record per non-empty row. */
interface Table {
  readonly sheet: ExcelJS.Worksheet;
  readonly name: string;
  readonly columns: ReadonlyMap<string, number>;
  readonly rows: readonly number[];
}

function readTable(sheet: ExcelJS.Worksheet, headerRow: number, expected: readonly string[], problems: ProblemList): Table | undefined {
  const found = new Map<string, number>();
  const byName = new Map(expected.map((e) => [e.toLowerCase(), e]));
  let last = 0;
  sheet.getRow(headerRow).eachCell((cell, col) => {
    const text = cellText(cell);
    if (text !== '') last = col;
    const name = byName.get(text.toLowerCase());
    if (name !== undefined && !found.has(name)) found.set(name, col);
  });
  const missing = expected.filter((e) => !found.has(e));
  missing.forEach((name, i) =>
    problems.add({ sheet: sheet.name, row: headerRow, column: name, col: last + 1 + i }, `The column "${name}" is missing from the header row.`, `Restore the header "${name}" in row ${headerRow} (the headers are: ${expected.join(', ')}); do not rename or delete header cells.`),
  );
  if (missing.length > 0) return undefined;
  const rows: number[] = [];
  for (let row = headerRow + 1; row <= sheet.rowCount; row++) {
    if ([...found.values()].some((col) => cellText(sheet.getCell(row, col)) !== '')) rows.push(row);
  }
  return { sheet, name: sheet.name, columns: found, rows };
}

function tableCell(table: Table, row: number, column: string): string {
  return cellText(table.sheet.getCell(row, table.columns.get(column)!));
}

function tablePlace(table: Table, row: number, column: string): Place {
  return { sheet: table.name, row, column, col: table.columns.get(column) };
}

/** Sets `key` only when the cell has text, so an empty cell reads as a missing field. */
function setText(raw: Raw, key: string, text: string): void {
  if (text !== '') raw[key] = text;
}

/** Optional parts written as "-" when a later part follows. */
const DASH_FOR_ABSENT = new Set(['since', 'catalogueVersion']);

/** Parses the lines of a multi-line cell into records of `min`..`names.length` "|"-separated parts. */
function readLines(text: string, names: readonly string[], min: number, place: Place, what: string, problems: ProblemList): Raw[] {
  const out: Raw[] = [];
  splitLines(text).forEach((line, i) => {
    const parts = splitParts(line);
    if (parts.length < min || parts.length > names.length) {
      problems.add(place, `Line ${i + 1} of ${what} ("${line.length > 60 ? `${line.slice(0, 60)}…` : line}") has ${parts.length} part${parts.length === 1 ? '' : 's'} separated by "|"; it needs ${min === names.length ? min : `${min} to ${names.length}`}: ${names.join(' | ')}.`, `Write one entry per line as "${names.join(' | ')}", and do not use "|" inside a text.`);
      return;
    }
    const record: Raw = {};
    parts.forEach((part, k) => {
      const name = names[k]!;
      if (part !== '' && !(DASH_FOR_ABSENT.has(name) && part === ABSENT)) record[name] = part;
    });
    out.push(record);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sheets

interface ProcessSheets {
  readonly data: Raw;
  readonly processRows: readonly number[];
  readonly subprocessRows: readonly number[];
  readonly processTable: Table;
  readonly subprocessTable: Table;
}

function readProcessSheets(workbook: ExcelJS.Workbook, problems: ProblemList): ProcessSheets | undefined {
  const pSheet = requireSheet(workbook, SHEET_PROCESSES, problems);
  const sSheet = requireSheet(workbook, SHEET_SUBPROCESSES, problems);
  const pTable = pSheet && readTable(pSheet, 1, PROCESS_COLUMNS, problems);
  const sTable = sSheet && readTable(sSheet, 1, SUBPROCESS_COLUMNS, problems);
  if (!pTable || !sTable) return undefined;
  const processes = pTable.rows.map((row) => {
    const raw: Raw = {};
    for (const key of ['code', 'title', 'titleEn', 'kind', 'description', 'descriptionEn'] as const) setText(raw, key, tableCell(pTable, row, key));
    for (const key of ['targets', 'units', 'parties'] as const) raw[key] = splitList(tableCell(pTable, row, key));
    raw['aliases'] = readLines(tableCell(pTable, row, 'aliases'), ['scheme', 'code', 'title'], 3, tablePlace(pTable, row, 'aliases'), 'aliases', problems);
    return raw;
  });
  const subprocesses = sTable.rows.map((row) => {
    const raw: Raw = {};
    for (const key of SUBPROCESS_COLUMNS) setText(raw, key, tableCell(sTable, row, key));
    return raw;
  });
  return { data: { processes, subprocesses }, processRows: pTable.rows, subprocessRows: sTable.rows, processTable: pTable, subprocessTable: sTable };
}

function requireSheet(workbook: ExcelJS.Workbook, name: string, problems: ProblemList): ExcelJS.Worksheet | undefined {
  const sheet = workbook.worksheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (!sheet) problems.add({ sheet: name, row: 1, column: 'A', col: 1 }, `The sheet "${name}" is missing.`, `Restore the sheet "${name}" from a fresh export (npm run catalogue:export-xlsx); do not rename or delete it.`);
  return sheet;
}

interface CfmSheet {
  readonly name: string;
  readonly code: string;
  readonly data: Raw;
  readonly metaRows: ReadonlyMap<string, number>;
  readonly headerRow: number;
  readonly stepRows: readonly number[];
  readonly table: Table;
  /** A step's flow had a problem here and got a stand-in, so reachability is not worth reporting. */
  readonly flowPatched: boolean;
}

/** A sheet is a CFM sheet when it is not one of the fixed sheets and has the metadata label "code". */
function isCfmSheet(sheet: ExcelJS.Worksheet): boolean {
  if (FIXED_SHEETS.some((f) => f.toLowerCase() === sheet.name.toLowerCase())) return false;
  return /^\d{2}\.\d/.test(sheet.name) || cellText(sheet.getCell(1, 1)).toLowerCase() === 'code';
}

function readCfmSheet(sheet: ExcelJS.Worksheet, unitIds: ReadonlySet<string>, problems: ProblemList): CfmSheet | undefined {
  const name = sheet.name;
  let headerRow: number | undefined;
  const metaRows = new Map<string, number>();
  const labels = new Map<string, CfmField>(CFM_FIELDS.map((f) => [f.toLowerCase(), f]));
  for (let row = 1; row <= Math.min(sheet.rowCount, 200); row++) {
    const a = cellText(sheet.getCell(row, 1)).toLowerCase();
    if (a === 'id' && cellText(sheet.getCell(row, 2)).toLowerCase() === 'actor') {
      headerRow = row;
      break;
    }
    const field = labels.get(a);
    if (field !== undefined && !metaRows.has(field)) metaRows.set(field, row);
  }
  let structural = false;
  CFM_FIELDS.forEach((field, i) => {
    if (metaRows.has(field) || OPTIONAL_CFM_FIELDS.includes(field)) return;
    structural = true;
    problems.add({ sheet: name, row: i + 1, column: 'A', col: 1 }, `The metadata label "${field}" is missing from column A.`, `Restore the row "${field}" in the block at the top (labels: ${CFM_FIELDS.join(', ')}).`);
  });
  if (headerRow === undefined) {
    problems.add({ sheet: name, row: CFM_FIELDS.length + 2, column: 'id', col: 1 }, 'The header row of the step table (id, actor, action, …) is missing.', `Restore the header row below the metadata block: ${STEP_COLUMNS.join(', ')}.`);
    return undefined;
  }
  const table = readTable(sheet, headerRow, STEP_COLUMNS, problems);
  if (!table || structural) return undefined;

  const meta = (field: CfmField): string => {
    const row = metaRows.get(field);
    return row === undefined ? '' : cellText(sheet.getCell(row, 2));
  };
  const metaPlace = (field: CfmField): Place => ({ sheet: name, row: metaRows.get(field), column: field, col: 2 });
  const code = meta('code');
  if (code === '') {
    problems.add(metaPlace('code'), 'The CFM code is empty.', 'Write the CFM code, e.g. 03.1.a (the sub-process code, a dot and a letter).');
    return undefined;
  }
  const data: Raw = {};
  for (const field of ['code', 'subprocess', 'title', 'titleEn', 'printedTitle', 'owner', 'status', 'summary', 'summaryEn'] as const) setText(data, field, meta(field));
  const [confirmation] = readLines(meta('confirmation'), ['by', 'at', 'catalogueVersion', 'fingerprint'], 2, metaPlace('confirmation'), 'confirmation', problems);
  if (confirmation) data['confirmation'] = confirmation;
  data['legalBasis'] = readLines(meta('legalBasis'), ['ref', 'status', 'note'], 2, metaPlace('legalBasis'), 'legalBasis', problems);
  data['sources'] = readLines(meta('sources'), ['id', 'title', 'url'], 2, metaPlace('sources'), 'sources', problems);
  const changes = readLines(meta('changes'), ['since', 'note', 'noteEn', 'ref'], 3, metaPlace('changes'), 'changes', problems);
  if (changes.length > 0) data['changes'] = changes;

  const ids = new Set(table.rows.map((row) => tableCell(table, row, 'id')).filter((id) => id !== ''));
  let flowPatched = false;
  data['steps'] = table.rows.map((row) => {
    const step = readStepRow(table, row, ids, unitIds, problems);
    flowPatched ||= step.patched;
    return step.raw;
  });
  return { name, code, data, metaRows, headerRow, stepRows: table.rows, table, flowPatched };
}

/**
 * One row of the step table as a YAML step. Where a check here already found a problem, the step gets
 * a harmless stand-in (an action, a basis, a single next step) so the full validation does not drop
 * the step and report its consequences all over the sheet.
 */
function readStepRow(table: Table, row: number, ids: ReadonlySet<string>, unitIds: ReadonlySet<string>, problems: ProblemList): { raw: Raw; patched: boolean } {
  const cell = (column: StepColumn): string => tableCell(table, row, column);
  const place = (column: StepColumn): Place => tablePlace(table, row, column);
  const raw: Raw = {};
  for (const key of ['id', 'actor', 'action', 'actionEn', 'output', 'slaNote', 'basis'] as const) setText(raw, key, cell(key));
  raw['inputs'] = splitList(cell('inputs'));
  raw['source'] = splitList(cell('source'));

  const actor = cell('actor');
  if (actor !== '' && !unitIds.has(actor)) {
    const near = closest(actor, unitIds);
    problems.add(place('actor'), `The actor "${actor}" is not a unit, party or actor of the catalogue.`, near ? `Did you mean "${near}"? Pick the actor from the dropdown (ids of the sheet Unit).` : 'Pick the actor from the dropdown (ids of the sheet Unit); a new unit is added to organisation.yaml first.');
  }
  if (cell('action') === '') {
    problems.add(place('action'), 'The action is empty.', 'Write what is done in this step, short and imperative (e.g. "Verifikasi kelengkapan berkas").');
    raw['action'] = STAND_IN;
  }
  const basis = cell('basis');
  if (basis !== '' && basis !== 'sourced' && basis !== 'inferred') {
    problems.add(place('basis'), `The basis "${basis}" is unknown.`, 'Write sourced (and name the source in the column source) or inferred.');
    raw['basis'] = 'inferred';
  }

  const sla = table.sheet.getCell(row, table.columns.get('slaDays')!).value;
  const slaText = cell('slaDays');
  if (slaText !== '') {
    const n = typeof sla === 'number' ? sla : /^\d+$/.test(slaText) ? Number(slaText) : NaN;
    if (!Number.isInteger(n) || n < 1) problems.add(place('slaDays'), `slaDays is "${slaText}", which is not a whole number of working days.`, 'Write a whole number of at least 1 (e.g. 14), or leave the cell empty where no rule sets a limit.');
    else raw['slaDays'] = n;
  }

  const flow = cell('flow');
  const question = cell('question');
  const questionEn = cell('questionEn');
  const branchText = cell('branches');
  const id = cell('id');
  const isKeyword = (word: string): boolean => flow.toUpperCase() === word && (flow === word || !ids.has(flow));
  let patched = false;
  if (flow === '') {
    patched = true;
    problems.add(place('flow'), `The step${id ? ` "${id}"` : ''} says neither where to go next nor that the procedure ends.`, `Write the id of the next step, ${FLOW_END} if the procedure ends here, or ${FLOW_DECISION} (with question and branches).`);
    raw['end'] = true;
  } else if (isKeyword(FLOW_END)) {
    raw['end'] = true;
    if (question !== '' || branchText !== '') problems.add(place(branchText !== '' ? 'branches' : 'question'), `The step ends the procedure (flow ${FLOW_END}) but has a decision question or branches.`, `Clear the cells question, questionEn and branches, or set flow to ${FLOW_DECISION}.`);
  } else if (isKeyword(FLOW_DECISION)) {
    const branches = readBranches(branchText, place('branches'), ids, problems);
    if (branches.length >= 2) {
      raw['decision'] = { ...(question === '' ? {} : { question }), ...(questionEn === '' ? {} : { questionEn }) };
      raw['branches'] = branches;
    } else {
      patched = true;
      if (splitLines(branchText).length < 2) {
        problems.add(place('branches'), `The decision has ${branches.length === 0 ? 'no branch' : 'only one branch'}; a decision needs at least two.`, 'Write one branch per line as "label | labelEn → next step id" (Alt+Enter starts a new line), or set flow to the id of the single next step.');
      }
      if (branches[0]) raw['next'] = branches[0]['next'];
      else raw['end'] = true;
    }
  } else {
    raw['next'] = flow;
    if (!ids.has(flow)) {
      const near = closest(flow, ids);
      problems.add(place('flow'), `The flow goes to "${flow}", which is not a step id of this sheet.`, near ? `Did you mean "${near}"? ` : `Write the id of a step in the column id, ${FLOW_END} or ${FLOW_DECISION}.`);
    }
    if (question !== '' || branchText !== '') patched = true;
    if (question !== '' || branchText !== '') problems.add(place(branchText !== '' ? 'branches' : 'question'), `The step goes to one next step ("${flow}") but also has a decision question or branches.`, `Set flow to ${FLOW_DECISION} to make it a decision, or clear question, questionEn and branches.`);
  }
  return { raw, patched };
}

function readBranches(text: string, place: Place, ids: ReadonlySet<string>, problems: ProblemList): Raw[] {
  const out: Raw[] = [];
  splitLines(text).forEach((line, i) => {
    const arrow = Math.max(line.lastIndexOf('→'), line.lastIndexOf('->'));
    const parts = arrow < 0 ? [] : splitParts(line.slice(0, arrow));
    const next = arrow < 0 ? '' : line.slice(arrow + (line[arrow] === '→' ? 1 : 2)).trim();
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '' || next === '') {
      problems.add(place, `Branch ${i + 1} ("${line}") is not of the form "label | labelEn → next step id".`, 'Write each branch on its own line as "label | labelEn → next step id", e.g. "Lengkap | Complete → konsep-izin".');
      return;
    }
    if (!ids.has(next)) {
      const near = closest(next, ids);
      problems.add(place, `Branch ${i + 1} ("${parts[0]}") goes to "${next}", which is not a step id of this sheet.`, near ? `Did you mean "${near}"?` : 'Write the id of a step in the column id after the arrow.');
    }
    out.push({ label: parts[0], labelEn: parts[1], next });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Import

/** Reads the workbook, checks it, and validates it together with the base catalogue. */
export async function importCatalogueFromXlsx(buffer: Buffer | ArrayBuffer | Uint8Array, options: ImportOptions): Promise<ImportResult> {
  const book = options.name ?? 'workbook.xlsx';
  const problems = new ProblemList(book);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(toArrayBuffer(buffer));
  } catch (error) {
    return { ok: false, problems: [{ file: book, path: '', message: `The workbook cannot be read (${(error as Error).message}).`, fix: 'Save the file as an Excel workbook (.xlsx) and try again.' }] };
  }
  const base = options.base;
  const unitIds = new Set(base.units.map((u) => u.id));
  const processSheets = readProcessSheets(workbook, problems);
  const cfmSheets: CfmSheet[] = [];
  const sheetOfCode = new Map<string, CfmSheet>();
  let structural = processSheets === undefined;
  for (const sheet of workbook.worksheets.filter(isCfmSheet)) {
    const before = problems.size;
    const read = readCfmSheet(sheet, unitIds, problems);
    if (!read) {
      if (problems.size > before) structural = true;
      continue;
    }
    const other = sheetOfCode.get(read.code);
    if (other) {
      problems.add({ sheet: read.name, row: read.metaRows.get('code'), column: 'code', col: 2 }, `The CFM code "${read.code}" is also the code of the sheet "${other.name}".`, 'Give each CFM sheet its own code; two sheets cannot hold the same CFM.');
      structural = true;
      continue;
    }
    sheetOfCode.set(read.code, read);
    cfmSheets.push(read);
  }
  for (const cfm of base.cfms) {
    if (!sheetOfCode.has(cfm.code)) {
      problems.add({ sheet: cfm.code, row: 1, column: 'code', col: 2 }, `The sheet of CFM ${cfm.code} is missing.`, `Restore the sheet "${cfm.code}" from a fresh export (npm run catalogue:export-xlsx). To remove a CFM, delete cfm/${cfm.code}.yaml by hand.`);
      structural = true;
    }
  }
  if (structural || !processSheets) return { ok: false, problems: sorted(problems, workbook) };

  // The full validation, on the imported data and the base catalogue's other files.
  const bySheetFile = new Map(cfmSheets.map((s) => [`cfm/${s.code}.yaml`, s]));
  const doc = (file: string, data: unknown): SourceDoc => ({ file, data, locate: () => undefined });
  const internal = base.units.filter((u) => u.kind === 'internal');
  const sources: CatalogueSources = {
    profile: doc('profile.yaml', { ...base.profile, targets: base.targets }),
    organisation: doc('organisation.yaml', { units: internal, parties: base.units.filter((u) => u.type === 'relasi'), actors: base.units.filter((u) => u.kind === 'external' && u.type !== 'relasi') }),
    processes: doc('processes.yaml', processSheets.data),
    glossary: doc('glossary.yaml', { terms: base.glossary }),
    actors: [],
    cfms: cfmSheets.map((s) => doc(`cfm/${s.code}.yaml`, s.data)),
    problems: [],
  };
  const built = buildCatalogue(sources);
  if (!built.ok) {
    for (const p of built.problems) {
      if (bySheetFile.get(p.file)?.flowPatched && FLOW_CONSEQUENCES.test(p.message)) continue;
      const place = placeOf(p, processSheets, bySheetFile);
      if (place) problems.add(place, p.message, p.fix, true);
      else problems.addOther({ ...p, message: `${p.message} (the workbook was checked against the base catalogue's ${p.file})` });
    }
  }
  if (problems.size > 0) return { ok: false, problems: sorted(problems, workbook) };
  if (!built.ok) return { ok: false, problems: built.problems.map((p) => ({ ...p })) };
  const { catalogue } = built;
  return { ok: true, processes: catalogue.processes, subprocesses: catalogue.subprocesses, cfms: catalogue.cfms, catalogue };
}

/** Reachability problems that follow from a flow already reported (and given a stand-in). */
const FLOW_CONSEQUENCES = /cannot be reached from the first step|no path reaches an end|has no end step/;

function toArrayBuffer(data: Buffer | ArrayBuffer | Uint8Array): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

function sorted(problems: ProblemList, workbook: ExcelJS.Workbook): Problem[] {
  const order = new Map(workbook.worksheets.map((s, i) => [s.name, i]));
  return problems.problems
    .map((p, i) => ({ ...p, i }))
    .sort((a, b) => (order.get(a.place.sheet) ?? 999) - (order.get(b.place.sheet) ?? 999) || (a.place.row ?? 0) - (b.place.row ?? 0) || (a.place.col ?? 0) - (b.place.col ?? 0) || a.i - b.i)
    .map((p) => p.problem);
}

/** `steps[3].branches[0].next` → ['steps', 3, 'branches', 0, 'next']. */
function parsePath(text: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return parts;
}

const STEP_FIELD_COLUMN: Readonly<Record<string, StepColumn>> = { next: 'flow', end: 'flow', decision: 'question', branches: 'branches' };

/** Where in the workbook a problem of the full validation comes from. */
function placeOf(problem: Problem, processSheets: ProcessSheets, cfmSheets: ReadonlyMap<string, CfmSheet>): Place | undefined {
  const parts = parsePath(problem.path);
  if (problem.file === 'processes.yaml') {
    const [list, index, field] = parts;
    const table = list === 'subprocesses' ? processSheets.subprocessTable : processSheets.processTable;
    const rows = list === 'subprocesses' ? processSheets.subprocessRows : processSheets.processRows;
    const columns: readonly string[] = list === 'subprocesses' ? SUBPROCESS_COLUMNS : PROCESS_COLUMNS;
    const row = typeof index === 'number' ? rows[index] : undefined;
    if (row === undefined) return { sheet: table.name, row: 1, column: 'code', col: 1 };
    const column = typeof field === 'string' && columns.includes(field) ? field : 'code';
    return tablePlace(table, row, column);
  }
  const sheet = cfmSheets.get(problem.file);
  if (!sheet) return undefined;
  const [top, index, field, sub] = parts;
  if (top === 'steps') {
    const row = typeof index === 'number' ? sheet.stepRows[index] : undefined;
    if (row === undefined) return tablePlace(sheet.table, sheet.headerRow, 'id');
    let column: StepColumn = 'id';
    if (typeof field === 'string') column = field === 'decision' && sub === 'questionEn' ? 'questionEn' : (STEP_FIELD_COLUMN[field] ?? ((STEP_COLUMNS as readonly string[]).includes(field) ? (field as StepColumn) : 'id'));
    return tablePlace(sheet.table, row, column);
  }
  const field2 = typeof top === 'string' && (CFM_FIELDS as readonly string[]).includes(top) ? (top as CfmField) : 'code';
  const row = sheet.metaRows.get(field2) ?? sheet.metaRows.get('code');
  return { sheet: sheet.name, row, column: field2, col: 2 };
}

// ---------------------------------------------------------------------------------------------
// What changed

/** One line per process, sub-process and CFM that the import would change, and a count of the rest. */
export function describeImportChanges(base: Catalogue, imported: { readonly processes: readonly Process[]; readonly subprocesses: readonly Subprocess[]; readonly cfms: readonly Cfm[] }): string[] {
  const lines: string[] = [];
  const compare = <T extends { code: string }>(what: string, before: readonly T[], after: readonly T[], detail: (a: T, b: T) => string): number => {
    let same = 0;
    const old = new Map(before.map((x) => [x.code, x]));
    for (const item of after) {
      const was = old.get(item.code);
      if (!was) lines.push(`${what} ${item.code}: new`);
      else if (isDeepStrictEqual(was, item)) same++;
      else lines.push(`${what} ${item.code}: ${detail(was, item)}`);
    }
    for (const item of before) if (!after.some((x) => x.code === item.code)) lines.push(`${what} ${item.code}: removed from the workbook`);
    return same;
  };
  const fields = (a: object, b: object): string[] => [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !isDeepStrictEqual((a as Raw)[k], (b as Raw)[k]));
  const same = compare('Process', base.processes, imported.processes, (a, b) => `changed ${fields(a, b).join(', ')}`) + compare('Sub-process', base.subprocesses, imported.subprocesses, (a, b) => `changed ${fields(a, b).join(', ')}`);
  const sameCfms = compare('CFM', base.cfms, imported.cfms, (a, b) => {
    const parts: string[] = [];
    const meta = fields({ ...a, steps: [] }, { ...b, steps: [] });
    if (meta.length > 0) parts.push(`changed ${meta.join(', ')}`);
    const before = new Map(a.steps.map((s) => [s.id, s]));
    const after = new Map(b.steps.map((s) => [s.id, s]));
    const changed = b.steps.filter((s) => before.has(s.id) && !isDeepStrictEqual(before.get(s.id), s)).map((s) => `${s.id} (${fields(before.get(s.id)!, s).join(', ')})`);
    const added = b.steps.filter((s) => !before.has(s.id)).map((s) => s.id);
    const removed = a.steps.filter((s) => !after.has(s.id)).map((s) => s.id);
    if (changed.length > 0) parts.push(`steps changed: ${changed.join('; ')}`);
    if (added.length > 0) parts.push(`steps added: ${added.join(', ')}`);
    if (removed.length > 0) parts.push(`steps removed: ${removed.join(', ')}`);
    const common = (steps: readonly Step[], other: ReadonlyMap<string, Step>): string[] => steps.filter((s) => other.has(s.id)).map((s) => s.id);
    if (!isDeepStrictEqual(common(a.steps, after), common(b.steps, before))) parts.push('step order changed');
    return parts.join('; ') || 'changed';
  });
  lines.push(`${sameCfms} CFM${sameCfms === 1 ? '' : 's'} and ${same} processes and sub-processes unchanged.`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Writing CFMs back as YAML

export interface CfmWrite {
  readonly code: string;
  /** The file, relative to the catalogue folder. */
  readonly file: string;
  readonly action: 'created' | 'updated' | 'unchanged';
}

/**
 * Writes each imported CFM that differs from its file back to `<dir>/cfm/<code>.yaml` in the
 * catalogue's YAML style, as a draft (a changed procedure needs its owner unit's confirmation again).
 * The file's leading comment block, and the comments and text of every unchanged field and step, are
 * kept as they were.
 */
export async function writeImportedCfmsAsYaml(cfms: readonly Cfm[], dir: string): Promise<CfmWrite[]> {
  const out: CfmWrite[] = [];
  for (const cfm of cfms) {
    const file = `cfm/${cfm.code}.yaml`;
    const full = path.join(dir, file);
    let original: string | undefined;
    try {
      original = await readFile(full, 'utf8');
    } catch {
      original = undefined;
    }
    const before = original === undefined ? undefined : readCfmText(file, original);
    if (before && isDeepStrictEqual(before, cfm)) {
      out.push({ code: cfm.code, file, action: 'unchanged' });
      continue;
    }
    const { confirmation: _dropped, ...rest } = cfm;
    await writeFile(full, renderCfmYaml({ ...rest, status: 'draft' }, original), 'utf8');
    out.push({ code: cfm.code, file, action: original === undefined ? 'created' : 'updated' });
  }
  return out;
}

function readCfmText(file: string, text: string): Cfm | undefined {
  const doc = parseYamlSource(file, text, []);
  return doc ? readCfm(doc, new RefCollector()).cfm : undefined;
}

/** The CFM as its YAML file holds it, in the catalogue's key order. */
export function cfmToYamlData(cfm: Cfm): Raw {
  const raw: Raw = { code: cfm.code, subprocess: cfm.subprocess, title: cfm.title, titleEn: cfm.titleEn };
  if (cfm.printedTitle !== undefined) raw['printedTitle'] = cfm.printedTitle;
  raw['owner'] = cfm.owner;
  raw['status'] = cfm.status;
  if (cfm.confirmation) raw['confirmation'] = defined({ by: cfm.confirmation.by, at: cfm.confirmation.at, catalogueVersion: cfm.confirmation.catalogueVersion, fingerprint: cfm.confirmation.fingerprint });
  raw['summary'] = cfm.summary;
  raw['summaryEn'] = cfm.summaryEn;
  raw['legalBasis'] = cfm.legalBasis.map((b) => defined({ ref: b.ref, status: b.status, note: b.note }));
  raw['sources'] = cfm.sources.map((s) => defined({ id: s.id, title: s.title, url: s.url }));
  if (cfm.changes.length > 0) raw['changes'] = cfm.changes.map((c) => defined({ since: c.since, note: c.note, noteEn: c.noteEn, ref: c.ref }));
  raw['steps'] = cfm.steps.map(stepToYamlData);
  return raw;
}

function stepToYamlData(step: Step): Raw {
  const raw: Raw = { id: step.id, actor: step.actor, action: step.action, actionEn: step.actionEn, inputs: [...step.inputs], output: step.output };
  if (step.slaDays !== undefined) raw['slaDays'] = step.slaDays;
  if (step.slaNote !== undefined) raw['slaNote'] = step.slaNote;
  if (step.kind === 'task') raw['next'] = step.next;
  else if (step.kind === 'end') raw['end'] = true;
  else {
    raw['decision'] = { question: step.question, questionEn: step.questionEn };
    raw['branches'] = step.branches.map((b) => ({ label: b.label, labelEn: b.labelEn, next: b.next }));
  }
  raw['basis'] = step.basis;
  if (step.source.length > 0) raw['source'] = [...step.source];
  return raw;
}

function defined(obj: Raw): Raw {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

const WIDTH = 110;
const FLOW_LISTS = new Set(['inputs', 'source']);
const FLOW_ITEMS = new Set(['legalBasis', 'sources', 'branches']);
const FOLDED = new Set(['summary', 'summaryEn', 'note', 'noteEn', 'slaNote']);

/** `key: value` as YAML in the catalogue's style (flow lists of ids, folded long texts). */
function renderPiece(key: string, value: unknown): string {
  const doc = new Document({ [key]: value });
  visit(doc, {
    Scalar(_, node) {
      // Other YAML readers (1.1) take these words for booleans or null: keep them text.
      if (typeof node.value === 'string' && /^(y|yes|n|no|true|false|on|off|null|~)$/i.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
    Pair(_, pair: Pair, ancestors) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const indent = 2 * (ancestors.filter((a) => isMap(a) || isSeq(a)).length - 1);
      if (isSeq(pair.value) && FLOW_LISTS.has(name)) {
        const items = (pair.value as YAMLSeq).items.map((i) => String(isScalar(i) ? i.value : ''));
        pair.value.flow = indent + name.length + 4 + items.reduce((n, s) => n + s.length + 2, 0) <= WIDTH + 10;
      }
      if (isSeq(pair.value) && FLOW_ITEMS.has(name)) for (const item of (pair.value as YAMLSeq).items) if (isMap(item)) item.flow = true;
      if (name === 'confirmation' && isMap(pair.value)) pair.value.flow = true;
      if (isScalar(pair.value) && typeof pair.value.value === 'string' && FOLDED.has(name)) {
        const text = pair.value.value;
        const parentFlow = ancestors.some((a) => (isMap(a) || isSeq(a)) && (a as YAMLMap).flow);
        if (!parentFlow && indent + name.length + 2 + text.length > WIDTH && /^\S(?:.*\S)?$/.test(text) && !/\s\s|\n/.test(text)) pair.value.type = Scalar.BLOCK_FOLDED;
      }
    },
  });
  return foldBlocks(doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
}

/** Wraps the single line of each `>-` block at word boundaries (a folded block joins them with spaces). */
function foldBlocks(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out.push(line);
    const next = lines[i + 1];
    if (!/:\s>-$/.test(line) || next === undefined) continue;
    const indent = /^\s*/.exec(next)![0];
    let current = '';
    for (const word of next.trim().split(' ')) {
      if (current !== '' && indent.length + current.length + 1 + word.length > WIDTH) {
        out.push(indent + current);
        current = word;
      } else current = current === '' ? word : `${current} ${word}`;
    }
    out.push(indent + current);
    i++;
  }
  return out.join('\n');
}

/** One step as an item of `steps:`. */
function renderStep(step: Raw): string {
  return renderPiece('steps', [step]).replace(/^steps:\n/, '');
}

interface Region {
  readonly key: string;
  /** First line of the comments directly above the key, then the key's own line. */
  readonly start: number;
  readonly keyLine: number;
  readonly end: number;
}

/** The lines of each top-level key and of each step of a CFM file. */
function fileRegions(text: string): { lines: string[]; preambleEnd: number; keys: Region[]; steps: Region[] } | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line - 1;
  const isComment = (n: number): boolean => /^\s*#/.test(lines[n] ?? '');
  // Comment lines directly above an item belong to it; `floor` is the line it cannot reach above
  // (the first top-level key takes none: those lines are the file's leading comment block).
  const regions = (items: { key: string; line: number }[], floor: number | undefined, end: number): Region[] => {
    const starts = items.map((item, i) => {
      const limit = i > 0 ? items[i - 1]!.line : floor;
      let start = item.line;
      if (limit !== undefined) while (start - 1 > limit && isComment(start - 1)) start--;
      return start;
    });
    return items.map((item, i) => ({ key: item.key, start: starts[i]!, keyLine: item.line, end: starts[i + 1] ?? end }));
  };
  const pairs = doc.contents.items.filter((p) => isScalar(p.key) && p.key.range);
  const top = pairs.map((p) => ({ key: String((p.key as Scalar).value), line: lineOf((p.key as Scalar).range![0]) }));
  if (top.length === 0) return undefined;
  const keys = regions(top, undefined, lines.length);
  const preambleEnd = keys[0]!.keyLine;
  const stepsPair = pairs.find((p) => (p.key as Scalar).value === 'steps');
  const stepsRegion = keys.find((k) => k.key === 'steps');
  let steps: Region[] = [];
  if (stepsPair && stepsRegion && isSeq(stepsPair.value)) {
    const items = stepsPair.value.items.flatMap((item) => {
      const id = isMap(item) ? item.get('id') : undefined;
      const range = (item as { range?: [number, number, number] }).range;
      return typeof id === 'string' && range ? [{ key: id, line: lineOf(range[0]) }] : [];
    });
    steps = regions(items, stepsRegion.keyLine, stepsRegion.end);
  }
  return { lines, preambleEnd, keys, steps };
}

/**
 * The YAML text of a CFM. With the file's current text, the leading comment block and every field and
 * step that did not change are kept as written; the rest is written fresh (keeping the comment lines
 * directly above it).
 */
export function renderCfmYaml(cfm: Cfm, original?: string): string {
  const data = cfmToYamlData(cfm);
  const regions = original === undefined ? undefined : fileRegions(original);
  const before = original === undefined ? undefined : readCfmText(`cfm/${cfm.code}.yaml`, original);
  if (!regions || original === undefined) {
    const lead = original === undefined ? `# DINSOS ${cfm.code}: ${cfm.title}.\n# Imported from a spreadsheet (npm run catalogue:import-xlsx). Status stays \`draft\` until the owner unit\n# confirms the steps.\n` : leadingComments(original);
    return lead + Object.entries(data).map(([k, v]) => renderPiece(k, v)).join('');
  }
  const { lines, preambleEnd, keys, steps } = regions;
  const slice = (from: number, to: number): string => ensureNewline(lines.slice(from, to).join(''));
  const old = before ? cfmToYamlData(before) : undefined;
  const order = keys.map((k) => k.key).filter((k) => k in data);
  const canonical = Object.keys(data);
  canonical.forEach((key, i) => {
    if (order.includes(key)) return;
    const after = canonical.slice(0, i).reverse().find((k) => order.includes(k));
    order.splice(after === undefined ? 0 : order.indexOf(after) + 1, 0, key);
  });
  let out = lines.slice(0, preambleEnd).join('');
  for (const key of order) {
    const region = keys.find((k) => k.key === key);
    const value = data[key];
    if (region && old && isDeepStrictEqual(old[key], value)) out += slice(region.start, region.end);
    else if (region && key === 'steps' && old && Array.isArray(old['steps'])) {
      const oldSteps = new Map((old['steps'] as Raw[]).map((s) => [s['id'] as string, s]));
      out += slice(region.start, steps[0]?.start ?? region.keyLine + 1);
      for (const step of value as Raw[]) {
        const was = steps.find((s) => s.key === step['id']);
        if (was && isDeepStrictEqual(oldSteps.get(step['id'] as string), step)) out += slice(was.start, was.end);
        else out += (was ? lines.slice(was.start, was.keyLine).join('') : '') + renderStep(step);
      }
    } else out += (region ? lines.slice(region.start, region.keyLine).join('') : '') + renderPiece(key, value);
  }
  return ensureNewline(out);
}

function leadingComments(text: string): string {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let n = 0;
  while (n < lines.length && /^\s*(#.*)?\r?\n?$/.test(lines[n]!)) n++;
  return ensureNewline(lines.slice(0, n).join(''));
}

function ensureNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
