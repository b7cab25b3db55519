import type { Catalogue, Step } from './types.js';

/**
 * The catalogue as one plain JSON document: the contract of `npm run catalogue -- --json`, which
 * other tools and checks read. Every step has `next`, `branches` or `end`, and `slaDays` (null when
 * no rule sets a limit).
 */
export function exportCatalogue(catalogue: Catalogue) {
  const processOf = new Map(catalogue.subprocesses.map((s) => [s.code, s.process]));
  return {
    version: catalogue.version,
    decree: { number: catalogue.profile.decree.number, title: catalogue.profile.decree.title },
    targets: catalogue.targets,
    units: catalogue.units.map((u) => ({ id: u.id, name: u.name, nameEn: u.nameEn, short: u.short, kind: u.kind, type: u.type, group: u.group ?? null, inDecree: u.inDecree })),
    processes: catalogue.processes.map((p) => ({ code: p.code, title: p.title, titleEn: p.titleEn, kind: p.kind, description: p.description, targets: p.targets, units: p.units, parties: p.parties, aliases: p.aliases })),
    subprocesses: catalogue.subprocesses.map((s) => ({ code: s.code, title: s.title, titleEn: s.titleEn, process: s.process })),
    cfms: catalogue.cfms.map((c) => ({
      code: c.code,
      title: c.title,
      titleEn: c.titleEn,
      subprocess: c.subprocess,
      process: processOf.get(c.subprocess) ?? null,
      status: c.status,
      owner: c.owner,
      summary: c.summary,
      legalBasis: c.legalBasis,
      changes: c.changes,
      steps: c.steps.map(exportStep),
    })),
    glossary: catalogue.glossary,
  };
}

function exportStep(step: Step) {
  const base = { id: step.id, actor: step.actor, action: step.action, actionEn: step.actionEn, inputs: step.inputs, output: step.output, slaDays: step.slaDays ?? null, basis: step.basis, source: step.source };
  switch (step.kind) {
    case 'task':
      return { ...base, next: step.next };
    case 'decision':
      return { ...base, decision: { question: step.question, questionEn: step.questionEn }, branches: step.branches };
    case 'end':
      return { ...base, end: true };
  }
}
