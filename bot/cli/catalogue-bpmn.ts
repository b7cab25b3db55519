/**
 * BPMN both ways, for correcting CFMs in a BPMN modeller (bpmn.io, Camunda Modeler):
 *
 *   npm run catalogue:export-bpmn -- [--out <dir>] [<code>…]
 *     writes <code>.bpmn for every CFM (or the given ones) into <dir> (default var/bpmn).
 *
 *   npm run catalogue:import-bpmn -- <file.bpmn> --code <code> [--write]
 *     reads the diagram as CFM <code> and checks it like `catalogue:check` does. Prints the problems
 *     (exit 1), or the CFM's YAML; with --write, writes data/catalogue/cfm/<code>.yaml instead, keeping
 *     the existing file's comments, and the CFM goes back to draft when it changed.
 *
 * Both take --catalogue <dir> to use another catalogue folder than the shipped one.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportCfmToBpmn } from '../catalogue/bpmn/export-bpmn.js';
import { importBpmnAsCfm, keepComments } from '../catalogue/bpmn/import-bpmn.js';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { DEFAULT_CATALOGUE_DIR } from '../catalogue/read-catalogue-files.js';
import { formatProblemReport } from '../core/catalogue/problems.js';

const USAGE = [
  'Usage:',
  '  npm run catalogue:export-bpmn -- [--out <dir>] [--catalogue <dir>] [<code>…]',
  '  npm run catalogue:import-bpmn -- <file.bpmn> --code <code> [--write] [--catalogue <dir>]',
  '',
].join('\n');

function fail(message: string, code = 1): never {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(code);
}

const [command, ...args] = process.argv.slice(2);
const positional: string[] = [];
const options: Record<string, string | true> = {};
for (let k = 0; k < args.length; k++) {
  const arg = args[k]!;
  if (arg === '--help' || arg === '-h') {
    process.stdout.write(USAGE);
    process.exit(0);
  } else if (arg === '--write') options['write'] = true;
  else if (['--out', '--code', '--catalogue'].includes(arg)) {
    const value = args[++k];
    if (value === undefined) fail(`${arg} needs a value.\n${USAGE}`, 2);
    options[arg.slice(2)] = value;
  } else if (arg.startsWith('--')) fail(`Unknown argument "${arg}".\n${USAGE}`, 2);
  else positional.push(arg);
}
const catalogueDir = typeof options['catalogue'] === 'string' ? path.resolve(options['catalogue']) : DEFAULT_CATALOGUE_DIR;
const shownDir = `${path.relative(process.cwd(), catalogueDir) || '.'}/`;

const loaded = await loadCatalogue(catalogueDir);
if (!loaded.ok) fail(`The catalogue is invalid; fix it first.\n${formatProblemReport(loaded.problems, shownDir)}`);
const catalogue = loaded.catalogue;

if (command === 'export') {
  if (options['code'] !== undefined || options['write'] !== undefined) fail(`--code and --write belong to import.\n${USAGE}`, 2);
  const codes = positional.length > 0 ? positional : catalogue.cfms.map((c) => c.code);
  const unknown = codes.filter((c) => !catalogue.cfms.some((cfm) => cfm.code === c));
  if (unknown.length > 0) fail(`No CFM has the code ${unknown.map((c) => `"${c}"`).join(', ')}.`, 2);
  const out = path.resolve(typeof options['out'] === 'string' ? options['out'] : 'var/bpmn');
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    fail(`Cannot create ${out}: ${(error as Error).message}`);
  }
  for (const code of codes) {
    const xml = await exportCfmToBpmn(catalogue, code);
    const file = path.join(out, `${code}.bpmn`);
    try {
      writeFileSync(file, xml);
    } catch (error) {
      fail(`Cannot write ${file}: ${(error as Error).message}`);
    }
    process.stdout.write(`${path.relative(process.cwd(), file)}  ${xml.length.toLocaleString('en-US')} bytes\n`);
  }
  process.stdout.write(`${codes.length} BPMN file${codes.length === 1 ? '' : 's'} written. Open them in a BPMN modeller (e.g. https://demo.bpmn.io) and import the corrected file with npm run catalogue:import-bpmn.\n`);
} else if (command === 'import') {
  const [file, ...extra] = positional;
  const code = options['code'];
  if (!file || extra.length > 0 || typeof code !== 'string') fail(`Give one BPMN file and --code <code>.\n${USAGE}`, 2);
  if (options['out'] !== undefined) fail(`--out belongs to export.\n${USAGE}`, 2);
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const base = catalogue.cfms.find((c) => c.code === code);
  const result = await importBpmnAsCfm(xml, { code, catalogue, ...(base ? { base } : {}), file: path.basename(file) });
  if (!result.ok) {
    fail(`${formatProblemReport(result.problems).replace(/^The catalogue has/, `The diagram ${path.basename(file)} has`)}Nothing was written. Correct the diagram in the modeller (the element ids are in its properties panel) and import it again.`);
  }
  const target = path.join(catalogueDir, 'cfm', `${code}.yaml`);
  const existing = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  const yaml = existing ? keepComments(result.yaml, existing) : result.yaml;
  for (const note of result.notes) process.stderr.write(`Note: ${note}\n`);
  if (!base) process.stderr.write(`Note: the catalogue has no CFM ${code} yet; this is a new one (add its sub-process to processes.yaml if needed).\n`);
  if (options['write']) {
    const shown = path.relative(process.cwd(), target);
    if (base && !result.changed) {
      process.stdout.write(`CFM ${code} is unchanged by the diagram; ${shown} was left as it is.\n`);
    } else {
      writeFileSync(target, yaml);
      process.stdout.write(`Wrote ${shown}.\n`);
      if (base) process.stdout.write(`The CFM changed, so its status was set back to draft (it was ${base.status}); the owner unit confirms it again.\n`);
      process.stdout.write('Check the whole catalogue with npm run catalogue:check, and review the diff before committing.\n');
    }
  } else process.stdout.write(yaml);
} else fail(`Say export or import first.\n${USAGE}`, 2);
