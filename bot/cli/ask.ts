/**
 * `npm run --silent ask -- --json "<question>"` prints what Pandu's lookup finds for a question, as
 * JSON: {"query", "confident", "matches": [{"kind", "code", "title", "units", "score"}]}.
 * `--batch` reads one question per line on stdin and prints one JSON object per line.
 * Without --json it prints a short readable answer. It is the same code path the bot uses.
 */
import { createInterface } from 'node:readline';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { formatProblemReport } from '../core/catalogue/problems.js';
import { buildLookupIndex } from '../core/lookup/build-index.js';
import { lookupReport, type LookupReport } from '../core/lookup/lookup-report.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const batch = args.includes('--batch');
const question = args.filter((a) => !a.startsWith('--')).join(' ');
if (!batch && question.trim() === '') {
  process.stderr.write('Usage: npm run --silent ask -- [--json] "<question>"   or   npm run --silent ask -- --json --batch < questions.txt\n');
  process.exit(2);
}
const loaded = await loadCatalogue();
if (!loaded.ok) {
  process.stderr.write(formatProblemReport(loaded.problems, 'data/catalogue/'));
  process.exit(1);
}
const index = buildLookupIndex(loaded.catalogue);
const print = (report: LookupReport): void => {
  if (json || batch) {
    process.stdout.write(`${JSON.stringify({ query: report.query, confident: report.confident, matches: report.matches })}\n`);
    return;
  }
  const head = report.confident ? 'Answer' : report.status === 'ambiguous' ? 'Did you mean' : 'Not sure; nearest topics';
  process.stdout.write(`${head}:\n${report.matches.map((m) => `  ${m.code.padEnd(18)} ${m.score.toFixed(2)}  ${m.title}  [${m.units.join(', ')}]`).join('\n') || '  (nothing)'}\n`);
};
if (batch) {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() !== '') print(lookupReport(loaded.catalogue, index, line.trim()));
  }
} else {
  print(lookupReport(loaded.catalogue, index, question));
}
