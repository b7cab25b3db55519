/**
 * `npm run --silent catalogue -- --json` prints the whole catalogue as one JSON document.
 * `npm run --silent catalogue -- <code>` prints a CFM (or a process or sub-process) readably.
 * An invalid catalogue prints the check report and exits 1, as does an unknown code.
 */
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { describeCfm, describeProcess, describeSubprocess, findCode } from '../core/catalogue/describe-code.js';
import { exportCatalogue } from '../core/catalogue/export-catalogue.js';
import { formatProblemReport } from '../core/catalogue/problems.js';

const USAGE = 'Usage: npm run --silent catalogue -- --json | <code> (e.g. 03.1.a, 03.1 or 03)\n';
const args = process.argv.slice(2);
const result = await loadCatalogue();
if (!result.ok) {
  process.stderr.write(formatProblemReport(result.problems, 'data/catalogue/'));
  process.exit(1);
}
const catalogue = result.catalogue;
if (args.includes('--json')) {
  process.stdout.write(`${JSON.stringify(exportCatalogue(catalogue), null, 2)}\n`);
} else if (args.length === 1 && args[0] !== '--help') {
  const found = findCode(catalogue, args[0]!);
  switch (found.kind) {
    case 'cfm':
      process.stdout.write(describeCfm(catalogue, found.cfm));
      break;
    case 'subprocess':
      process.stdout.write(describeSubprocess(catalogue, found.subprocess));
      break;
    case 'process':
      process.stdout.write(describeProcess(catalogue, found.process));
      break;
    case 'unknown':
      process.stderr.write(`There is no process, sub-process or CFM with the code "${args[0]}". Closest codes: ${found.closest.join(', ')}.\nList every code with: npm run --silent catalogue -- --json\n`);
      process.exit(1);
  }
} else {
  process.stderr.write(USAGE);
  process.exit(args.includes('--help') ? 0 : 2);
}
