/**
 * `npm run catalogue:reviews -- --out <file>` exports the review results kept in the store as
 * Markdown (<file>.md) and CSV (<file>.csv). `npm run catalogue:apply-reviews` writes confirmed
 * statuses into data/catalogue/cfm/*.yaml, keeping their comments. Stop the bot first when it uses
 * the embedded lowdb store (one process owns the data folder).
 */
import { writeFile } from 'node:fs/promises';
import { applyReviews, reviewsCsv, reviewsMarkdown } from '../catalogue/apply-reviews.js';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { loadConfig } from '../config/load-config.js';
import { formatProblemReport } from '../core/catalogue/problems.js';
import { EMPTY_REVIEWS, type ReviewsDoc } from '../core/review/review.js';
import { openConfiguredStore, storeSettingsOf } from '../store/open-store.js';

const [command, ...args] = process.argv.slice(2);
const config = loadConfig(process.env);
if (!config.ok) {
  process.stderr.write(`The configuration is invalid:\n${config.errors.map((e) => `  - ${e}`).join('\n')}\n`);
  process.exit(1);
}
const loaded = await loadCatalogue(config.config.catalogueDir);
if (!loaded.ok) {
  process.stderr.write(formatProblemReport(loaded.problems));
  process.exit(1);
}
let store;
try {
  store = await openConfiguredStore(storeSettingsOf(config.config));
} catch (error) {
  process.stderr.write(`Cannot open the store: ${(error as Error).message}\n`);
  process.exit(1);
}
try {
  const doc = ((await store.read(['reviews/all'])).get('reviews/all')?.value as ReviewsDoc | undefined) ?? EMPTY_REVIEWS;
  if (command === 'export') {
    const at = args.indexOf('--out');
    const base = (at >= 0 ? args[at + 1] : undefined) ?? 'pandu-tinjauan';
    const stem = base.replace(/\.(md|csv)$/, '');
    await writeFile(`${stem}.md`, reviewsMarkdown(loaded.catalogue, doc.reviews));
    await writeFile(`${stem}.csv`, reviewsCsv(loaded.catalogue, doc.reviews));
    process.stdout.write(`${Object.keys(doc.reviews).length} reviews written to ${stem}.md and ${stem}.csv\n`);
  } else if (command === 'apply') {
    const results = await applyReviews(loaded.catalogue, doc.reviews, config.config.catalogueDir);
    for (const r of results) process.stdout.write(`${r.code.padEnd(10)} ${r.result}\n`);
    process.stdout.write(`${results.filter((r) => r.result === 'written').length} CFM file(s) updated. Check them with: npm run catalogue:check\n`);
  } else {
    process.stderr.write('Usage: npm run catalogue:reviews -- --out <file>   |   npm run catalogue:apply-reviews\n');
    process.exit(2);
  }
} finally {
  await store.close();
}
