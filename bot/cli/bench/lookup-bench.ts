/**
 * Case (d) of `npm run bench`: whoHandles in isolation, over the labelled questions, many rounds.
 * As in bench-lookup.ts, the first round warms the JIT and is not counted, and every timed round
 * starts with an empty typo-correction cache, so that repeating the set does not flatter the lookup.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { LookupIndex } from '../../core/lookup/build-index.js';
import { whoHandles } from '../../core/lookup/who-handles.js';
import { percentiles, type Percentiles } from './stats.js';

/** The question texts of a labelled set (a YAML list of {q, style, expect}). */
export async function readQuestions(file: string): Promise<string[]> {
  const doc: unknown = parse(await readFile(file, 'utf8'));
  if (!Array.isArray(doc)) throw new Error(`${file} is not a YAML list of questions`);
  const questions = doc.map((e: unknown) => (e as { q?: unknown } | null)?.q).filter((q): q is string => typeof q === 'string' && q.trim() !== '');
  if (questions.length === 0) throw new Error(`${file} holds no questions`);
  return questions;
}

export interface LookupBenchResult {
  readonly rounds: number;
  readonly calls: number;
  /** Per call, in microseconds. */
  readonly latencyUs: Percentiles;
  /** CPU time per call (process.cpuUsage), in microseconds: what the call cost, without the time other processes took the core. */
  readonly cpuUs: Percentiles;
}

export function benchLookup(index: LookupIndex, questions: readonly string[], rounds: number): LookupBenchResult {
  const timed: number[] = [];
  const cpu: number[] = [];
  let sink = 0;
  for (let round = 0; round <= rounds; round++) {
    index.corrections.clear();
    for (const q of questions) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const result = whoHandles(index, q);
      const us = Number(process.hrtime.bigint() - t0) / 1000;
      const c = process.cpuUsage(c0);
      if (round > 0) {
        timed.push(us);
        cpu.push(c.user + c.system);
      }
      if (result.status === 'answer') sink++;
    }
  }
  if (sink < 0) process.stdout.write(''); // keeps the results observably used
  return { rounds, calls: timed.length, latencyUs: percentiles(timed, 1), cpuUs: percentiles(cpu, 1) };
}
