import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyReviews, reviewsCsv, reviewsMarkdown } from '../../bot/catalogue/apply-reviews.js';
import { loadCatalogue } from '../../bot/catalogue/load-catalogue.js';
import { DEFAULT_CATALOGUE_DIR } from '../../bot/catalogue/read-catalogue-files.js';
import { effectiveStatus, finishReview, judgeStep, startReview, withReviews, type ReviewDoc } from '../../bot/core/review/review.js';

const NOW = new Date('2026-12-01T02:00:00Z');

describe('reviews written into the catalogue', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pandu-reviews-'));
    await cp(DEFAULT_CATALOGUE_DIR, dir, { recursive: true });
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  async function confirmedReview(code: string): Promise<ReviewDoc> {
    const loaded = await loadCatalogue(dir);
    assert.ok(loaded.ok);
    const cfm = loaded.catalogue.cfms.find((c) => c.code === code)!;
    let review = startReview(cfm, loaded.catalogue, undefined, { id: 'aad-kabid', name: 'Kepala Bidang Dayasos' }, NOW);
    for (const step of cfm.steps) review = judgeStep(review, step.id, { verdict: 'ok' }, NOW);
    const finished = finishReview(cfm, review, 'confirmed', NOW);
    assert.equal(finished.status, 'finished');
    return finished.status === 'finished' ? finished.review : review;
  }

  it('writes a confirmation into the CFM file, keeps its comments, and the catalogue stays valid', async () => {
    const review = await confirmedReview('03.1.a');
    const loaded = await loadCatalogue(dir);
    assert.ok(loaded.ok);
    const results = await applyReviews(loaded.catalogue, { '03.1.a': review }, dir);
    assert.deepEqual(results, [{ code: '03.1.a', result: 'written' }]);
    const text = await readFile(path.join(dir, 'cfm', '03.1.a.yaml'), 'utf8');
    assert.match(text, /^# DINSOS 03\.1\.a/m, 'the header comment is kept');
    assert.match(text, /^status: confirmed$/m);
    assert.match(text, /by: Kepala Bidang Dayasos/);
    const reloaded = await loadCatalogue(dir);
    assert.ok(reloaded.ok);
    const cfm = reloaded.catalogue.cfms.find((c) => c.code === '03.1.a')!;
    assert.equal(effectiveStatus(cfm, undefined).status, 'confirmed');
    assert.deepEqual(await applyReviews(reloaded.catalogue, { '03.1.a': review }, dir), [{ code: '03.1.a', result: 'already' }]);
  });

  it('puts a confirmed CFM back to draft when its steps change later', async () => {
    const review = await confirmedReview('03.1.a');
    const loaded = await loadCatalogue(dir);
    assert.ok(loaded.ok);
    await applyReviews(loaded.catalogue, { '03.1.a': review }, dir);
    const file = path.join(dir, 'cfm', '03.1.a.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Verifikasi kelengkapan berkas', 'Periksa kelengkapan berkas'));
    const changed = await loadCatalogue(dir);
    assert.ok(changed.ok);
    const cfm = changed.catalogue.cfms.find((c) => c.code === '03.1.a')!;
    assert.equal(effectiveStatus(cfm, review).status, 'draft');
    assert.equal(withReviews(changed.catalogue, { schema: 1, reviews: { '03.1.a': review } }).cfms.find((c) => c.code === '03.1.a')!.status, 'draft');
    assert.deepEqual(await applyReviews(changed.catalogue, { '03.1.a': review }, dir), [{ code: '03.1.a', result: 'outdated' }]);
  });

  it('exports the results as Markdown and CSV with the correction notes', async () => {
    const loaded = await loadCatalogue(dir);
    assert.ok(loaded.ok);
    const cfm = loaded.catalogue.cfms.find((c) => c.code === '06.1.a')!;
    let review = startReview(cfm, loaded.catalogue, undefined, { id: 'k', name: 'Kabid' }, NOW);
    cfm.steps.forEach((s, i) => (review = judgeStep(review, s.id, i === 1 ? { verdict: 'change', aspects: ['time'], comment: 'batas waktunya 14 hari' } : { verdict: 'ok' }, NOW)));
    const finished = finishReview(cfm, review, 'confirmed', NOW);
    assert.equal(finished.status === 'finished' && finished.review.outcome?.status, 'returned', 'a step needing a change cannot be confirmed');
    const reviews = { '06.1.a': finished.status === 'finished' ? finished.review : review };
    assert.match(reviewsMarkdown(loaded.catalogue, reviews), /06\.1\.a .* \| Kabid \| dikembalikan[\s\S]*Langkah 2 .* time: batas waktunya 14 hari/);
    assert.match(reviewsCsv(loaded.catalogue, reviews), /"06\.1\.a","Kabid","returned",.*,2,".*","change","time","batas waktunya 14 hari"/);
  });
});
