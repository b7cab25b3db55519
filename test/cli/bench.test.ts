import assert from 'node:assert/strict';
import { runCli } from '../helpers/run-cli.js';

/** The figures `npm run bench -- --json` must always give (issue 8 §1). */
const REQUIRED = ['throughputRatio', 'p50Ms', 'p95Ms', 'p99Ms', 'rssMb', 'errors', 'storeScaleRatio', 'startupMs', 'lookupP99Ms'] as const;

describe('npm run bench (the load benchmark harness)', function () {
  // A short run: echo floor, Pandu with a 100- and a 1,000-user store, one startup, a sweep, the
  // lookup. About 25 s on an idle 2-core machine (four bot starts dominate); allow for a busy one.
  this.timeout(150_000);

  it('--quick --json runs the real bot under load and reports every figure, with no errors', async () => {
    const { status, stdout, stderr } = await runCli('bot/cli/bench/bench.ts', ['--quick', '--json']);
    assert.equal(status, 0, `bench exited with ${status}:\n${stderr.slice(-3000)}`);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1, `--json prints one line, got:\n${stdout.slice(0, 2000)}`);
    const result = JSON.parse(lines[0]!) as Record<string, unknown> & { runs?: Record<string, { errorExamples?: string[]; warmup?: { errorExamples?: string[] }; logErrors?: string[] }> };
    for (const key of REQUIRED) {
      assert.equal(typeof result[key], 'number', `${key} is a number: ${JSON.stringify(result[key])}`);
      assert.ok(Number.isFinite(result[key]), `${key} is finite: ${String(result[key])}`);
    }
    for (const key of ['throughputRatio', 'p50Ms', 'p95Ms', 'p99Ms', 'rssMb', 'storeScaleRatio', 'startupMs', 'lookupP99Ms'] as const) assert.ok((result[key] as number) > 0, `${key} is positive: ${String(result[key])}`);
    const why = Object.entries(result.runs ?? {})
      .flatMap(([name, run]) => [...(run.warmup?.errorExamples ?? []), ...(run.errorExamples ?? []), ...(run.logErrors ?? []).map((line) => `bot log: ${line.slice(0, 300)}`)].map((e) => `${name}: ${e}`))
      .slice(0, 10)
      .join('\n');
    assert.equal(result.errors, 0, `the bots answered every turn (no non-2xx, missing reply, error reply or timeout):\n${why}`);
  });
});
