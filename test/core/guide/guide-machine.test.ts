import assert from 'node:assert/strict';
import type { Cfm } from '../../../bot/core/catalogue/types.js';
import { applyGuideEvent, type GuideEvent } from '../../../bot/core/guide/guide-machine.js';
import { cfmFingerprint, startWalkthrough, stepOf, stepsToEnd, type Walkthrough } from '../../../bot/core/guide/walkthrough.js';
import { realKnowledge } from '../../helpers/knowledge.js';

const NOW = new Date('2026-11-30T01:00:00Z');

/** Every route through a CFM from its first step to an end, taking each step at most twice (loops). */
function routes(cfm: Cfm): { choice: number | 'next' }[][] {
  const out: { choice: number | 'next' }[][] = [];
  const walk = (id: string, trail: { choice: number | 'next' }[], visits: Map<string, number>): void => {
    if (out.length > 5000) return;
    const step = stepOf(cfm, id)!;
    const seen = visits.get(id) ?? 0;
    if (seen >= 2) return;
    const next = new Map(visits).set(id, seen + 1);
    if (step.kind === 'end') out.push([...trail, { choice: 'next' }]);
    else if (step.kind === 'task') walk(step.next, [...trail, { choice: 'next' }], next);
    else step.branches.forEach((b, i) => walk(b.next, [...trail, { choice: i }], next));
  };
  walk(cfm.steps[0]!.id, [], new Map());
  return out;
}

function eventFor(w: Walkthrough, choice: number | 'next'): GuideEvent {
  return choice === 'next' ? { type: 'next', step: w.current, rev: w.revision } : { type: 'branch', step: w.current, rev: w.revision, branch: choice };
}

describe('the walkthrough machine, over every CFM of the real catalogue', () => {
  it('walks every route from the first step to every end, and finishes', async () => {
    const { catalogue } = await realKnowledge();
    let total = 0;
    for (const cfm of catalogue.cfms) {
      const all = routes(cfm);
      assert.ok(all.length > 0, `${cfm.code} has a route`);
      const endsReached = new Set<string>();
      for (const route of all) {
        let w = startWalkthrough(cfm, catalogue.version, NOW);
        for (const [i, { choice }] of route.entries()) {
          const before = w;
          const outcome = applyGuideEvent(cfm, w, eventFor(w, choice), NOW);
          if (i === route.length - 1) {
            assert.equal(outcome.status, 'finished', `${cfm.code}: the last event finishes`);
            endsReached.add(before.current);
          } else {
            assert.equal(outcome.status, 'moved', `${cfm.code} at ${w.current}: ${outcome.status}`);
          }
          w = outcome.walkthrough;
          assert.equal(w.revision, before.revision + 1);
        }
        total++;
      }
      const ends = cfm.steps.filter((s) => s.kind === 'end').map((s) => s.id);
      assert.deepEqual([...endsReached].sort(), [...ends].sort(), `${cfm.code}: every end is reachable by some route`);
    }
    assert.ok(total >= catalogue.cfms.length);
    process.stdout.write(`      (${total} routes walked through ${catalogue.cfms.length} CFMs)\n`);
  });

  it('goes back one step at a time to the first step, then refuses to go further back', async () => {
    const { catalogue } = await realKnowledge();
    for (const cfm of catalogue.cfms) {
      let w = startWalkthrough(cfm, catalogue.version, NOW);
      const visited = [w.current];
      for (let i = 0; i < 4; i++) {
        const step = stepOf(cfm, w.current)!;
        if (step.kind === 'end') break;
        w = applyGuideEvent(cfm, w, eventFor(w, step.kind === 'task' ? 'next' : 0), NOW).walkthrough;
        visited.push(w.current);
      }
      for (let i = visited.length - 2; i >= 0; i--) {
        const back = applyGuideEvent(cfm, w, { type: 'back', step: w.current, rev: w.revision }, NOW);
        assert.equal(back.status, 'moved');
        w = back.walkthrough;
        assert.equal(w.current, visited[i]);
      }
      assert.equal(applyGuideEvent(cfm, w, { type: 'back', step: w.current, rev: w.revision }, NOW).status, 'invalid');
    }
  });

  it('recognises a button from an old card (double click, resent invoke) and changes nothing', async () => {
    const { catalogue } = await realKnowledge();
    const cfm = catalogue.cfms.find((c) => c.code === '03.1.a')!;
    const w0 = startWalkthrough(cfm, catalogue.version, NOW);
    const click = { type: 'next', step: w0.current, rev: w0.revision } as const;
    const first = applyGuideEvent(cfm, w0, click, NOW);
    assert.equal(first.status, 'moved');
    const second = applyGuideEvent(cfm, first.walkthrough, click, NOW);
    assert.equal(second.status, 'stale');
    assert.deepEqual(second.walkthrough, first.walkthrough);
    assert.equal(applyGuideEvent(cfm, first.walkthrough, { ...click, step: first.walkthrough.current }, NOW).status, 'stale', 'same step but old revision');
  });

  it('refuses events that do not fit the step', async () => {
    const { catalogue } = await realKnowledge();
    const cfm = catalogue.cfms.find((c) => c.code === '03.1.a')!;
    let w = startWalkthrough(cfm, catalogue.version, NOW);
    assert.equal(applyGuideEvent(cfm, w, { type: 'branch', step: w.current, rev: w.revision, branch: 0 }, NOW).status, 'invalid', 'a branch on a task');
    while (stepOf(cfm, w.current)!.kind !== 'decision') w = applyGuideEvent(cfm, w, eventFor(w, 'next'), NOW).walkthrough;
    assert.equal(applyGuideEvent(cfm, w, { type: 'next', step: w.current, rev: w.revision }, NOW).status, 'invalid', 'next on a decision');
    assert.equal(applyGuideEvent(cfm, w, { type: 'branch', step: w.current, rev: w.revision, branch: 9 }, NOW).status, 'invalid', 'a branch the decision lacks');
  });

  it('stops on request', async () => {
    const { catalogue } = await realKnowledge();
    const cfm = catalogue.cfms[0]!;
    const w = startWalkthrough(cfm, catalogue.version, NOW);
    assert.equal(applyGuideEvent(cfm, w, { type: 'stop', step: w.current, rev: w.revision }, NOW).status, 'stopped');
  });

  it('tells when the catalogue changed and the step is gone, and goes on when it still exists', async () => {
    const { catalogue } = await realKnowledge();
    const cfm = catalogue.cfms.find((c) => c.code === '03.1.a')!;
    const w = applyGuideEvent(cfm, startWalkthrough(cfm, catalogue.version, NOW), { type: 'next', step: cfm.steps[0]!.id, rev: 1 }, NOW).walkthrough;
    const without: Cfm = { ...cfm, steps: cfm.steps.filter((s) => s.id !== w.current) };
    assert.equal(applyGuideEvent(without, w, { type: 'next', step: w.current, rev: w.revision }, NOW).status, 'changed');
    assert.equal(applyGuideEvent(undefined, w, { type: 'next', step: w.current, rev: w.revision }, NOW).status, 'changed', 'the CFM was removed');
    const reworded: Cfm = { ...cfm, steps: cfm.steps.map((s) => (s.id === cfm.steps.at(-1)!.id ? { ...s, action: 'Tindakan baru' } : s)) };
    assert.notEqual(cfmFingerprint(reworded), w.cfmFingerprint);
    assert.equal(applyGuideEvent(reworded, w, { type: 'next', step: w.current, rev: w.revision }, NOW).status, 'moved');
  });

  it('counts the steps still to go along the shortest way to an end', async () => {
    const { catalogue } = await realKnowledge();
    for (const cfm of catalogue.cfms) {
      for (const end of cfm.steps.filter((s) => s.kind === 'end')) assert.equal(stepsToEnd(cfm, end.id), 0);
      assert.ok(stepsToEnd(cfm, cfm.steps[0]!.id) >= 1, cfm.code);
    }
  });
});
