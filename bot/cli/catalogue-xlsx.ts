/**
 * The catalogue as a spreadsheet, both ways (issue 9 §4):
 *
 *   npm run catalogue:export-xlsx -- [--out pandu-katalog.xlsx]
 *   npm run catalogue:import-xlsx -- <file.xlsx> [--write]
 *
 * Import without --write checks the workbook against the catalogue and prints what would change per
 * CFM; with --write it writes each changed CFM back to cfm/<code>.yaml as a draft. Invalid workbooks
 * print every problem with its sheet, row and column and exit 1. `--dir <folder>` uses another
 * catalogue folder than the shipped one. Relative paths are taken from the directory npm was run in.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { DEFAULT_CATALOGUE_DIR } from '../catalogue/read-catalogue-files.js';
import { exportCatalogueToXlsx } from '../catalogue/xlsx/export-xlsx.js';
import { describeImportChanges, importCatalogueFromXlsx, writeImportedCfmsAsYaml } from '../catalogue/xlsx/import-xlsx.js';
import { formatProblem, formatProblemReport } from '../core/catalogue/problems.js';

const USAGE = ['Usage:', '  npm run catalogue:export-xlsx -- [--out pandu-katalog.xlsx] [--dir <catalogue folder>]', '  npm run catalogue:import-xlsx -- <file.xlsx> [--write] [--dir <catalogue folder>]', ''].join('\n');

function fail(message: string, code = 1): never {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(code);
}

/** npm runs scripts in the package folder; INIT_CWD is where the user typed the command. */
const userDir = process.env['INIT_CWD'] ?? process.cwd();
const resolve = (p: string): string => path.resolve(userDir, p);

const [command, ...args] = process.argv.slice(2);
let out = 'pandu-katalog.xlsx';
let dir = DEFAULT_CATALOGUE_DIR;
let write = false;
const files: string[] = [];
for (let k = 0; k < args.length; k++) {
  const arg = args[k]!;
  const value = args[k + 1];
  if (arg === '--help' || arg === '-h') {
    process.stdout.write(USAGE);
    process.exit(0);
  } else if (arg === '--out' && value !== undefined && command === 'export') {
    out = value;
    k++;
  } else if (arg === '--dir' && value !== undefined) {
    dir = resolve(value);
    k++;
  } else if (arg === '--write' && command === 'import') write = true;
  else if (!arg.startsWith('-') && command === 'import') files.push(arg);
  else fail(`Unknown or incomplete argument "${arg}".\n${USAGE}`, 2);
}
if (command !== 'export' && command !== 'import') fail(USAGE, 2);

const shown = path.relative(userDir, dir) || '.';
const loaded = await loadCatalogue(dir);
if (!loaded.ok) fail(`The catalogue in ${shown} is invalid; fix it first (npm run catalogue:check).\n${formatProblemReport(loaded.problems, `${shown}/`)}`);
const base = loaded.catalogue;

if (command === 'export') {
  const target = resolve(out);
  const buffer = await exportCatalogueToXlsx(base);
  try {
    await writeFile(target, buffer);
  } catch (error) {
    fail(`Cannot write ${target}: ${(error as Error).message}`);
  }
  const steps = base.cfms.reduce((n, c) => n + c.steps.length, 0);
  process.stdout.write(
    `Wrote ${path.relative(userDir, target) || target} (${buffer.length.toLocaleString('en-US')} bytes): catalogue version ${base.version}, ` +
      `${base.processes.length} processes, ${base.subprocesses.length} sub-processes, ${base.cfms.length} CFM sheets with ${steps} steps.\n` +
      `Edit it, then check it with: npm run catalogue:import-xlsx -- ${out}\n`,
  );
} else {
  if (files.length !== 1) fail(`Give exactly one workbook to import.\n${USAGE}`, 2);
  const file = resolve(files[0]!);
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    fail(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const result = await importCatalogueFromXlsx(buffer, { base, name: path.basename(file) });
  if (!result.ok) {
    const sheets = new Set(result.problems.map((p) => p.file)).size;
    const n = result.problems.length;
    fail([`The workbook ${path.basename(file)} has ${n} problem${n === 1 ? '' : 's'} in ${sheets} sheet${sheets === 1 ? '' : 's'}:`, '', ...result.problems.map((p) => formatProblem(p)), '', 'Nothing was written.'].join('\n'));
  }
  const changes = describeImportChanges(base, result);
  process.stdout.write(`${path.basename(file)} is valid against the catalogue in ${shown} (version ${base.version}).\n${changes.map((l) => `  ${l}`).join('\n')}\n`);
  const processChanges = changes.filter((l) => l.startsWith('Process') || l.startsWith('Sub-process'));
  if (processChanges.length > 0) process.stdout.write('Changes to processes and sub-processes are not written back: copy them into processes.yaml by hand.\n');
  if (!write) {
    const cfmChanges = changes.filter((l) => l.startsWith('CFM')).length;
    process.stdout.write(cfmChanges > 0 ? `Run again with --write to write ${cfmChanges} changed CFM${cfmChanges === 1 ? '' : 's'} to ${shown}/cfm/ (as drafts).\n` : 'No CFM changed.\n');
  } else {
    const written = (await writeImportedCfmsAsYaml(result.cfms, dir)).filter((w) => w.action !== 'unchanged');
    for (const w of written) process.stdout.write(`${w.action === 'created' ? 'Created' : 'Updated'} ${shown}/${w.file} (status: draft)\n`);
    if (written.length === 0) process.stdout.write('No CFM file changed.\n');
    const check = await loadCatalogue(dir);
    if (!check.ok) fail(`The catalogue is invalid after writing; check the files above.\n${formatProblemReport(check.problems, `${shown}/`)}`);
    process.stdout.write(`The catalogue in ${shown} is valid (version ${check.catalogue.version}).\n`);
  }
}
