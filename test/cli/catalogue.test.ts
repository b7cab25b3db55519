import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DECREE_CFM_CODES } from '../catalogue/load-catalogue.test.js';
import { MIN_CATALOGUE_DIR } from '../helpers/catalogue-fixture.js';
import { runCli } from '../helpers/run-cli.js';

describe('npm run catalogue', () => {
  it('prints the whole catalogue as one JSON document with the agreed fields', async () => {
    const { status, stdout } = await runCli('bot/cli/catalogue.ts', ['--json']);
    assert.equal(status, 0);
    const doc = JSON.parse(stdout);
    assert.match(doc.version, /^[0-9a-f]{12}$/);
    assert.deepEqual(doc.cfms.map((c: { code: string }) => c.code), DECREE_CFM_CODES);
    for (const unit of doc.units) assert.ok(unit.id && unit.name && ['internal', 'external'].includes(unit.kind));
    for (const p of doc.processes) assert.ok(p.code && p.title && p.titleEn && ['utama', 'pendukung'].includes(p.kind) && Array.isArray(p.units) && Array.isArray(p.parties));
    for (const s of doc.subprocesses) assert.ok(s.code && s.title && s.process);
    for (const c of doc.cfms) {
      assert.ok(c.title && c.titleEn && c.subprocess && c.status && c.owner);
      for (const step of c.steps) {
        assert.ok(step.id && step.actor && step.action && ['sourced', 'inferred'].includes(step.basis), `${c.code}/${step.id}`);
        assert.ok('slaDays' in step);
        assert.equal([step.next !== undefined, step.branches !== undefined, step.end === true].filter(Boolean).length, 1, `${c.code}/${step.id} has exactly one of next, branches, end`);
      }
    }
  });

  it('draws one CFM in the terminal with its lanes, steps and branches', async () => {
    const { status, stdout } = await runCli('bot/cli/catalogue.ts', ['03.1.a']);
    assert.equal(status, 0);
    assert.match(stdout, /^DINSOS 03\.1\.a /);
    assert.match(stdout, /Lajur \(swimlanes\):\n {2}A {2}Dinas Sosial Kabupaten\/Kota/);
    assert.match(stdout, /◆ Apakah berkas lengkap dan permohonan layak\?\n\s+- Lengkap dan layak → langkah \d+/);
    assert.match(stdout, /Status: DRAF/);
  });

  it('refuses an unknown code and names the closest ones', async () => {
    const { status, stderr } = await runCli('bot/cli/catalogue.ts', ['03.1.x']);
    assert.equal(status, 1);
    assert.match(stderr, /no process, sub-process or CFM with the code "03\.1\.x"\. Closest codes: [^\n]*03\.1\.a/);
  });
});

describe('npm run catalogue:check', () => {
  it('passes on the real catalogue and prints its size', async () => {
    const { status, stdout, stderr } = await runCli('bot/cli/catalogue-check.ts', []);
    assert.equal(status, 0, stderr);
    assert.match(stdout, /is valid \(version [0-9a-f]{12}\): 12 processes, 14 sub-processes, 29 CFMs/);
  });

  it('fails with status 1 and lists every problem with file and line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pandu-check-'));
    try {
      await cp(MIN_CATALOGUE_DIR, dir, { recursive: true });
      const cfmFile = path.join(dir, 'cfm', '03.1.a.yaml');
      await writeFile(cfmFile, (await readFile(cfmFile, 'utf8')).replace('actor: pemohon', 'actor: nobody').replace('next: verifikasi', 'next: nowhere'));
      const { status, stderr } = await runCli('bot/cli/catalogue-check.ts', [dir]);
      assert.equal(status, 1);
      assert.match(stderr, /The catalogue has 2 problems in 1 file:/);
      assert.match(stderr, /cfm\/03\.1\.a\.yaml:15 {2}\(steps\[0\]\.actor\)\n {2}"nobody" is not a unit/);
      assert.match(stderr, /cfm\/03\.1\.a\.yaml:20 {2}\(steps\[0\]\.next\)\n {2}Step "ajukan" goes to "nowhere"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
