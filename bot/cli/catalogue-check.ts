/**
 * `npm run catalogue:check [-- <folder>]`: checks the catalogue and prints every problem with its
 * file, line, path and fix. Exit status 0 when the catalogue is valid, 1 when it is not.
 */
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { DEFAULT_CATALOGUE_DIR } from '../catalogue/read-catalogue-files.js';
import { formatProblemReport } from '../core/catalogue/problems.js';
import { summarise } from '../core/catalogue/summarise.js';
import path from 'node:path';

const dir = process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_CATALOGUE_DIR;
const result = await loadCatalogue(dir);
const shown = path.relative(process.cwd(), dir) || '.';
if (!result.ok) {
  process.stderr.write(formatProblemReport(result.problems, `${shown}/`));
  process.exit(1);
}
const s = summarise(result.catalogue);
process.stdout.write(
  `Catalogue ${shown} is valid (version ${result.catalogue.version}): ${s.processes} processes, ${s.subprocesses} sub-processes, ` +
    `${s.cfms} CFMs with ${s.steps} steps (${s.sourced} sourced, ${s.inferred} inferred; ${s.decisions} decisions), ` +
    `${s.units} units and parties, ${s.terms} glossary terms.\n`,
);
