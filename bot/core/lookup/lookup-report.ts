import type { Catalogue } from '../catalogue/types.js';
import type { LookupIndex } from './build-index.js';
import { matchesOf, whoHandles, type LookupResult, type Match } from './who-handles.js';

/** One line of `npm run ask -- --json`: the contract tools and the accuracy test read. */
export interface LookupReport {
  readonly query: string;
  readonly confident: boolean;
  readonly status: LookupResult['status'];
  readonly matches: readonly { kind: Match['kind']; code: string; title: string; units: readonly string[]; score: number }[];
}

/** The internal units that handle what a match names, from the relation map in the decree's order. */
export function unitsOf(catalogue: Catalogue, match: Pick<Match, 'kind' | 'code'>): readonly string[] {
  switch (match.kind) {
    case 'unit':
      return [match.code];
    case 'process':
      return catalogue.processes.find((p) => p.code === match.code)?.units ?? [];
    case 'subprocess': {
      const sub = catalogue.subprocesses.find((s) => s.code === match.code);
      return catalogue.processes.find((p) => p.code === sub?.process)?.units ?? [];
    }
    case 'cfm': {
      const cfm = catalogue.cfms.find((c) => c.code === match.code);
      const sub = catalogue.subprocesses.find((s) => s.code === cfm?.subprocess);
      return catalogue.processes.find((p) => p.code === sub?.process)?.units ?? [];
    }
  }
}

export function lookupReport(catalogue: Catalogue, index: LookupIndex, query: string): LookupReport {
  const result = whoHandles(index, query);
  return {
    query,
    confident: result.status === 'answer',
    status: result.status,
    matches: matchesOf(result).map((m) => ({ kind: m.kind, code: m.code, title: m.title, units: unitsOf(catalogue, m), score: m.score })),
  };
}
