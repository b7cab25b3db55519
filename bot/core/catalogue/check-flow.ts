import { closest } from './field-reader.js';
import type { ReadCfm } from './read-cfm.js';
import type { Cfm, Step } from './types.js';

/** The steps a step leads to. */
export function successors(step: Step): string[] {
  switch (step.kind) {
    case 'task':
      return [step.next];
    case 'decision':
      return step.branches.map((b) => b.next);
    case 'end':
      return [];
  }
}

/**
 * Checks that a CFM's steps form a procedure a person can walk: every `next` and branch points at a
 * step of the same CFM, every step is reachable from the first, and from every step some path
 * reaches an end (no loop without a way out).
 */
export function checkFlow(read: ReadCfm & { cfm: Cfm }): void {
  const { reader, cfm, stepIndex } = read;
  const byId = new Map(cfm.steps.map((s) => [s.id, s]));
  const where = (id: string): (string | number)[] => ['steps', stepIndex.get(id) ?? 0];
  let dangling = false;
  for (const step of cfm.steps) {
    const targets = step.kind === 'task' ? [{ next: step.next, path: ['next'] }] : step.kind === 'decision' ? step.branches.map((b, i) => ({ next: b.next, path: ['branches', i, 'next'] })) : [];
    for (const { next, path } of targets) {
      if (byId.has(next)) continue;
      dangling = true;
      const near = closest(next, byId.keys());
      reader.report([...where(step.id), ...path], `Step "${step.id}" goes to "${next}", which is not a step of CFM ${cfm.code}.`, near ? `Did you mean "${near}"?` : `Use the id of a step in this file: ${[...byId.keys()].join(', ')}.`);
    }
  }
  if (dangling || cfm.steps.length === 0) return;

  const first = cfm.steps[0]!;
  const reached = new Set<string>([first.id]);
  const queue = [first.id];
  while (queue.length > 0) {
    for (const next of successors(byId.get(queue.shift()!)!)) {
      if (!reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  for (const step of cfm.steps) {
    if (!reached.has(step.id)) {
      reader.report([...where(step.id), 'id'], `Step "${step.id}" cannot be reached from the first step "${first.id}".`, 'Point a "next" or a branch of an earlier step at it, or remove the step.');
    }
  }

  const ends = cfm.steps.filter((s) => s.kind === 'end');
  if (ends.length === 0) {
    reader.report(['steps'], `CFM ${cfm.code} has no end step, so no path through it ever finishes.`, 'Mark the last step of each path with "end: true".');
    return;
  }
  const predecessors = new Map<string, string[]>();
  for (const step of cfm.steps) for (const next of successors(step)) predecessors.set(next, [...(predecessors.get(next) ?? []), step.id]);
  const finishes = new Set(ends.map((s) => s.id));
  const back = [...finishes];
  while (back.length > 0) {
    for (const prev of predecessors.get(back.shift()!) ?? []) {
      if (!finishes.has(prev)) {
        finishes.add(prev);
        back.push(prev);
      }
    }
  }
  for (const step of cfm.steps) {
    if (reached.has(step.id) && !finishes.has(step.id)) {
      reader.report([...where(step.id), 'id'], `From step "${step.id}" no path reaches an end: it is caught in a loop with no way out.`, 'Give a step of the loop a branch that leads towards an "end: true" step.');
    }
  }
}
