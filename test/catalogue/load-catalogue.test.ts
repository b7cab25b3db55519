import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCatalogue } from '../../bot/catalogue/load-catalogue.js';
import { formatProblemReport } from '../../bot/core/catalogue/problems.js';
import { MIN_CATALOGUE_DIR } from '../helpers/catalogue-fixture.js';

/** Every CFM code the decree's cross-functional maps need (see README, "The catalogue"). */
export const DECREE_CFM_CODES = [
  '01.1.a', '01.1.b', '01.1.c', '01.1.d', '01.1.e', '01.1.f', '01.1.g', '01.1.h', '01.2.a',
  '02.1.a', '02.1.a.1', '02.1.a.2', '02.1.a.3', '02.1.a.4', '03.1.a', '03.2.b', '04.1.a', '04.1.b',
  '05.1.a', '06.1.a', '06.1.b', '06.1.c', '07.1.a', '08.1.a', '08.1.b', '09.1.a', '10.1.a', '11.1.a', '12.1.a',
];

describe('loadCatalogue', () => {
  it('accepts the real catalogue, complete against the decree', async () => {
    const result = await loadCatalogue();
    assert.ok(result.ok, result.ok ? '' : formatProblemReport(result.problems));
    const { catalogue } = result;
    assert.deepEqual(catalogue.processes.map((p) => p.code), ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']);
    assert.deepEqual(catalogue.processes.map((p) => p.kind), [...Array(6).fill('utama'), ...Array(6).fill('pendukung')]);
    assert.deepEqual(catalogue.subprocesses.map((s) => s.code), ['01.1', '01.2', '02.1', '03.1', '03.2', '04.1', '05.1', '06.1', '07.1', '08.1', '09.1', '10.1', '11.1', '12.1']);
    assert.deepEqual(catalogue.cfms.map((c) => c.code), DECREE_CFM_CODES);
  });

  it('holds the relation map exactly as the decree prints it', async () => {
    const result = await loadCatalogue();
    assert.ok(result.ok);
    const relation = Object.fromEntries(result.catalogue.processes.map((p) => [p.code, [p.units, p.parties]]));
    assert.deepEqual(relation['01'], [['bidang-linjamsos', 'bidang-rehsos', 'bidang-fakir-miskin'], ['kl-pusat', 'pd-provinsi', 'pd-kabkota', 'lembaga-mitra']]);
    assert.deepEqual(relation['02'], [['bidang-rehsos', 'upt-anak', 'upt-lansia', 'upt-tuna-netra'], ['lembaga-mitra']]);
    assert.deepEqual(relation['03'], [['bidang-dayasos', 'bidang-linjamsos', 'bidang-rehsos'], ['pd-provinsi', 'pd-kabkota', 'lembaga-mitra']]);
    assert.deepEqual(relation['04'], [['bidang-linjamsos', 'bidang-dayasos', 'bidang-rehsos'], ['kl-pusat', 'pd-provinsi', 'pd-kabkota', 'lembaga-mitra', 'sukarelawan']]);
    assert.deepEqual(relation['05'], [['bidang-rehsos', 'bidang-linjamsos'], []]);
    assert.deepEqual(relation['06'], [['bidang-dayasos'], []]);
  });

  it('writes every CFM as a real procedure: several steps, ends, and every CFM still a draft', async () => {
    const result = await loadCatalogue();
    assert.ok(result.ok);
    for (const cfm of result.catalogue.cfms) {
      assert.ok(cfm.steps.length >= 6, `${cfm.code} has only ${cfm.steps.length} steps`);
      assert.ok(cfm.steps.some((s) => s.kind === 'decision'), `${cfm.code} has no decision`);
      assert.equal(cfm.status, 'draft', `${cfm.code} was never confirmed by its owner unit`);
      assert.ok(cfm.sources.length > 0 || cfm.steps.every((s) => s.basis === 'inferred'), `${cfm.code} has sourced steps but no sources`);
    }
  });

  it('reports a catalogue folder that does not exist', async () => {
    const result = await loadCatalogue('/nonexistent/catalogue');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.problems[0]!.message, /cannot be read \(ENOENT\)/);
  });

  it('reports each bad file of a folder with its line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pandu-cat-'));
    try {
      await cp(MIN_CATALOGUE_DIR, dir, { recursive: true });
      await writeFile(path.join(dir, 'glossary.yaml'), 'terms:\n  - term: PUB\n    meaning: [unclosed\n');
      await writeFile(path.join(dir, 'actors-extra.yaml'), '- {id: bank, name: Bank, nameEn: Bank, short: Bank, kind: external, type: pihak, group: nowhere}\n');
      const result = await loadCatalogue(dir);
      assert.equal(result.ok, false);
      const problems = result.ok ? [] : result.problems;
      assert.ok(problems.some((p) => p.file === 'glossary.yaml' && p.line !== undefined && /YAML cannot be read/.test(p.message)), formatProblemReport(problems));
      assert.ok(problems.some((p) => p.file === 'actors-extra.yaml' && p.line === 1 && /"nowhere" is not a relation-map party/.test(p.message)), formatProblemReport(problems));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
