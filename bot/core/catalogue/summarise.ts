import type { Catalogue } from './types.js';

/** Counts for reports: how big the catalogue is and how much of it is sourced. */
export function summarise(catalogue: Catalogue) {
  const steps = catalogue.cfms.flatMap((c) => c.steps);
  return {
    processes: catalogue.processes.length,
    subprocesses: catalogue.subprocesses.length,
    cfms: catalogue.cfms.length,
    steps: steps.length,
    sourced: steps.filter((s) => s.basis === 'sourced').length,
    inferred: steps.filter((s) => s.basis === 'inferred').length,
    decisions: steps.filter((s) => s.kind === 'decision').length,
    units: catalogue.units.length,
    terms: catalogue.glossary.length,
  };
}
