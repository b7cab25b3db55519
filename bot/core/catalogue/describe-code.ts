import { nearest } from './field-reader.js';
import type { Catalogue, Cfm, Process, Step, Subprocess, Unit } from './types.js';

/** What a code names in the catalogue. */
export type CodeLookup =
  | { readonly kind: 'cfm'; readonly cfm: Cfm }
  | { readonly kind: 'subprocess'; readonly subprocess: Subprocess }
  | { readonly kind: 'process'; readonly process: Process }
  | { readonly kind: 'unknown'; readonly closest: readonly string[] };

export function findCode(catalogue: Catalogue, code: string): CodeLookup {
  const wanted = code.trim().replace(/^dinsos\s*/i, '').toLowerCase();
  const cfm = catalogue.cfms.find((c) => c.code.toLowerCase() === wanted);
  if (cfm) return { kind: 'cfm', cfm };
  const subprocess = catalogue.subprocesses.find((s) => s.code === wanted);
  if (subprocess) return { kind: 'subprocess', subprocess };
  const process = catalogue.processes.find((p) => p.code === wanted || p.code === wanted.padStart(2, '0'));
  if (process) return { kind: 'process', process };
  const all = [...catalogue.cfms.map((c) => c.code), ...catalogue.subprocesses.map((s) => s.code), ...catalogue.processes.map((p) => p.code)];
  return { kind: 'unknown', closest: nearest(wanted, all, 5) };
}

/** A CFM drawn in plain text for a terminal: its lanes, then its steps with their branches. */
export function describeCfm(catalogue: Catalogue, cfm: Cfm): string {
  const units = new Map(catalogue.units.map((u) => [u.id, u]));
  const sub = catalogue.subprocesses.find((s) => s.code === cfm.subprocess);
  const proc = catalogue.processes.find((p) => p.code === sub?.process);
  const lanes = [...new Set(cfm.steps.map((s) => s.actor))];
  const laneName = (id: string): string => units.get(id)?.name ?? id;
  const number = new Map(cfm.steps.map((s, i) => [s.id, i + 1]));
  const lines: string[] = [];
  lines.push(`DINSOS ${cfm.code}  ${cfm.title}`);
  lines.push(`  (${cfm.titleEn})`);
  if (proc && sub) lines.push(`Proses ${proc.code} ${proc.title} › Sub-proses ${sub.code} ${sub.title}`);
  lines.push(`Pemilik: ${laneName(cfm.owner)} · Status: ${cfm.status === 'draft' ? 'DRAF (belum dikonfirmasi unit pemilik)' : `dikonfirmasi oleh ${cfm.confirmation?.by} pada ${cfm.confirmation?.at}`}`);
  lines.push('');
  lines.push('Lajur (swimlanes):');
  lanes.forEach((id, i) => lines.push(`  ${laneLetter(i)}  ${laneName(id)}${units.get(id)?.kind === 'external' ? ' (pihak luar)' : ''}`));
  lines.push('');
  lines.push(`Langkah (${cfm.steps.length}):`);
  cfm.steps.forEach((step, i) => {
    const lane = laneLetter(lanes.indexOf(step.actor));
    lines.push(`${String(i + 1).padStart(3)}. [${lane}] ${step.action}${step.slaDays ? `  (${step.slaDays} hari kerja)` : ''}${step.basis === 'inferred' ? '  *' : ''}`);
    if (step.inputs.length > 0) lines.push(`       Dokumen: ${step.inputs.join('; ')}`);
    lines.push(`       Hasil:   ${step.output}`);
    lines.push(...flowLines(step, number));
  });
  lines.push('');
  lines.push('* = langkah hasil rekonstruksi (inferred), belum bersumber langsung dari aturan.');
  lines.push('');
  lines.push('Dasar hukum:');
  for (const basis of cfm.legalBasis) lines.push(`  - ${basis.ref}${basis.status === 'unverified' ? ' (belum diverifikasi)' : ''}${basis.note ? ` — ${basis.note}` : ''}`);
  if (cfm.changes.length > 0) {
    lines.push('');
    lines.push('Perubahan aturan sejak Keputusan Gubernur 419/2021:');
    for (const change of cfm.changes) lines.push(`  ! ${change.since ? `${change.since}: ` : ''}${change.note}`);
  }
  return `${lines.join('\n')}\n`;
}

function flowLines(step: Step, number: ReadonlyMap<string, number>): string[] {
  switch (step.kind) {
    case 'task':
      return [`       → lanjut ke langkah ${number.get(step.next)}`];
    case 'decision':
      return [`       ◆ ${step.question}`, ...step.branches.map((b) => `         - ${b.label} → langkah ${number.get(b.next)}`)];
    case 'end':
      return ['       ■ selesai'];
  }
}

function laneLetter(i: number): string {
  return String.fromCharCode(65 + (i % 26));
}

/** A process and its relation map, in plain text. */
export function describeProcess(catalogue: Catalogue, process: Process): string {
  const units = new Map(catalogue.units.map((u) => [u.id, u]));
  const name = (id: string): string => (units.get(id) as Unit | undefined)?.name ?? id;
  const subs = catalogue.subprocesses.filter((s) => s.process === process.code);
  const lines = [`Proses ${process.code} ${process.title} (${process.kind === 'utama' ? 'proses utama' : 'proses pendukung'})`, `  (${process.titleEn})`, '', process.description, '', 'Unit pelaksana (Peta Relasi):', ...process.units.map((u, i) => `  ${i + 1}. ${name(u)}`)];
  lines.push('Pihak luar (Peta Relasi):', ...(process.parties.length > 0 ? process.parties.map((p, i) => `  ${i + 1}. ${name(p)}`) : ['  (tidak ada yang tercantum)']));
  lines.push('', 'Sub-proses dan CFM:');
  for (const sub of subs) {
    lines.push(`  ${sub.code} ${sub.title}`);
    for (const cfm of catalogue.cfms.filter((c) => c.subprocess === sub.code)) lines.push(`    ${cfm.code} ${cfm.title}`);
  }
  return `${lines.join('\n')}\n`;
}

export function describeSubprocess(catalogue: Catalogue, sub: Subprocess): string {
  const lines = [`Sub-proses ${sub.code} ${sub.title}`, `  (${sub.titleEn})`, '', 'CFM:'];
  for (const cfm of catalogue.cfms.filter((c) => c.subprocess === sub.code)) lines.push(`  ${cfm.code} ${cfm.title} (${cfm.steps.length} langkah)`);
  return `${lines.join('\n')}\n`;
}
