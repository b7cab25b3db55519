import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { evaluateLookup, type LabelledQuestion } from '../../../bot/core/lookup/evaluate.js';
import { lookupReport } from '../../../bot/core/lookup/lookup-report.js';
import { realKnowledge } from '../../helpers/knowledge.js';

const STYLES = ['formal', 'informal', 'kupang', 'abbrev', 'typo', 'english', 'unit', 'out-of-scope'];

describe('lookup accuracy on the labelled question set', () => {
  it('meets the targets: top-1 ≥ 90 %, top-3 ≥ 95 %, out-of-scope refused ≥ 90 %', async () => {
    const { catalogue, index } = await realKnowledge();
    const questions = parse(readFileSync(new URL('../../fixtures/questions.yaml', import.meta.url), 'utf8')) as LabelledQuestion[];
    assert.ok(questions.length >= 200);
    assert.deepEqual([...new Set(questions.map((q) => q.style))].sort(), [...STYLES].sort());
    const ev = evaluateLookup(questions, (q) => {
      const report = lookupReport(catalogue, index, q);
      return { confident: report.confident, codes: report.matches.map((m) => m.code) };
    });
    const top1 = ev.inScope.top1 / ev.inScope.total;
    const top3 = ev.inScope.top3 / ev.inScope.total;
    const refused = ev.outOfScope.refused / ev.outOfScope.total;
    const summary = `top-1 ${(top1 * 100).toFixed(1)} %, top-3 ${(top3 * 100).toFixed(1)} %, refused ${(refused * 100).toFixed(1)} % (${questions.length} questions)`;
    process.stdout.write(`      (${summary})\n`);
    assert.ok(top1 >= 0.9, summary);
    assert.ok(top3 >= 0.95, summary);
    assert.ok(refused >= 0.9, summary);
  });
});
