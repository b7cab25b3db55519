/**
 * A problem found in the catalogue files: where it is, what is wrong, and what to do about it.
 * Problems are collected, never thrown one by one, so a person editing the data sees all of them.
 */
export interface Problem {
  /** The file, relative to the catalogue folder (e.g. `cfm/03.1.a.yaml`). */
  readonly file: string;
  /** 1-based line in the file, when the position is known. */
  readonly line?: number;
  /** The path inside the file, e.g. `steps[3].next`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
  /** What the reader should do to fix it. */
  readonly fix: string;
}

export type PathPart = string | number;

/** Renders `['steps', 3, 'next']` as `steps[3].next`. */
export function formatPath(path: readonly PathPart[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** One problem per line: `file:line  path  message  Fix: ...`. */
export function formatProblem(problem: Problem, folder = ''): string {
  const where = `${folder}${problem.file}${problem.line === undefined ? '' : `:${problem.line}`}`;
  const path = problem.path === '' ? '' : `  (${problem.path})`;
  return `${where}${path}\n  ${problem.message}\n  Fix: ${problem.fix}`;
}

/** The report the check command and the bot print for an invalid catalogue. */
export function formatProblemReport(problems: readonly Problem[], folder = ''): string {
  const files = new Set(problems.map((p) => p.file)).size;
  const head = `The catalogue has ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}:`;
  return [head, '', ...problems.map((p) => formatProblem(p, folder)), ''].join('\n');
}
