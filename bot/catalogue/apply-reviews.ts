import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { Catalogue } from '../core/catalogue/types.js';
import { cfmFingerprint } from '../core/guide/walkthrough.js';
import type { ReviewDoc } from '../core/review/review.js';

export interface AppliedReview {
  readonly code: string;
  readonly result: 'written' | 'already' | 'outdated' | 'not-confirmed' | 'unknown-cfm';
}

/**
 * Writes confirmed reviews into the CFM files (status: confirmed, and who, when, against which
 * catalogue version and which steps), editing the YAML document in place so that every comment stays.
 * A review of an older version of the steps is not applied.
 */
export async function applyReviews(catalogue: Catalogue, reviews: Readonly<Record<string, ReviewDoc>>, catalogueDir: string): Promise<AppliedReview[]> {
  const out: AppliedReview[] = [];
  for (const [code, review] of Object.entries(reviews).sort(([a], [b]) => a.localeCompare(b))) {
    const cfm = catalogue.cfms.find((c) => c.code === code);
    if (!cfm) {
      out.push({ code, result: 'unknown-cfm' });
      continue;
    }
    if (review.outcome?.status !== 'confirmed') {
      out.push({ code, result: 'not-confirmed' });
      continue;
    }
    if (review.fingerprint !== cfmFingerprint(cfm)) {
      out.push({ code, result: 'outdated' });
      continue;
    }
    if (cfm.status === 'confirmed' && cfm.confirmation?.fingerprint === review.fingerprint) {
      out.push({ code, result: 'already' });
      continue;
    }
    const file = path.join(catalogueDir, 'cfm', `${code}.yaml`);
    const doc = parseDocument(await readFile(file, 'utf8'));
    doc.set('status', 'confirmed');
    doc.set('confirmation', doc.createNode({ by: review.reviewerName, at: review.outcome.at.slice(0, 10), catalogueVersion: review.catalogueVersion, fingerprint: review.fingerprint }, { flow: true }));
    await writeFile(file, doc.toString({ lineWidth: 0 }));
    out.push({ code, result: 'written' });
  }
  return out;
}

/** The review results as Markdown, for the catalogue keeper. */
export function reviewsMarkdown(catalogue: Catalogue, reviews: Readonly<Record<string, ReviewDoc>>): string {
  const lines = ['# Hasil tinjauan CFM', '', '| CFM | peninjau | status | tanggal | langkah benar | perlu diubah |', '| --- | --- | --- | --- | --- | --- |'];
  for (const cfm of catalogue.cfms) {
    const r = reviews[cfm.code];
    if (!r) continue;
    const change = Object.values(r.steps).filter((v) => v.verdict === 'change').length;
    const status = r.outcome ? (r.outcome.status === 'confirmed' ? 'dikonfirmasi' : 'dikembalikan') : 'sedang ditinjau';
    lines.push(`| ${cfm.code} ${cfm.title} | ${r.reviewerName} | ${status}${r.fingerprint !== cfmFingerprint(cfm) ? ' (versi lama)' : ''} | ${(r.outcome?.at ?? r.updatedAt).slice(0, 10)} | ${Object.keys(r.steps).length - change} | ${change} |`);
  }
  lines.push('', '## Catatan perbaikan', '');
  for (const cfm of catalogue.cfms) {
    const r = reviews[cfm.code];
    const notes = cfm.steps.flatMap((s, i) => {
      const v = r?.steps[s.id];
      return v?.verdict === 'change' ? [`- Langkah ${i + 1} (${s.id}) — ${v.aspects.join(', ') || 'umum'}: ${v.comment}`] : [];
    });
    if (notes.length > 0) lines.push(`### ${cfm.code} ${cfm.title}`, '', ...notes, '');
  }
  return `${lines.join('\n')}\n`;
}

/** The review results as CSV (one row per step judged), for a spreadsheet. */
export function reviewsCsv(catalogue: Catalogue, reviews: Readonly<Record<string, ReviewDoc>>): string {
  const q = (v: string): string => `"${v.replace(/"/g, '""')}"`;
  const rows = [['cfm', 'reviewer', 'outcome', 'outcome_at', 'step_no', 'step_id', 'verdict', 'aspects', 'comment'].join(',')];
  for (const cfm of catalogue.cfms) {
    const r = reviews[cfm.code];
    if (!r) continue;
    cfm.steps.forEach((s, i) => {
      const v = r.steps[s.id];
      if (!v) return;
      rows.push([q(cfm.code), q(r.reviewerName), q(r.outcome?.status ?? 'in-progress'), q(r.outcome?.at ?? ''), String(i + 1), q(s.id), q(v.verdict), q(v.verdict === 'change' ? v.aspects.join(' ') : ''), q(v.verdict === 'change' ? v.comment : '')].join(','));
    });
  }
  return `${rows.join('\n')}\n`;
}
