import assert from 'node:assert/strict';
import { buildCatalogue, compareCodes } from '../../../bot/core/catalogue/build-catalogue.js';
import { formatProblemReport, type Problem } from '../../../bot/core/catalogue/problems.js';
import { buildFromFiles, minimalCatalogueFiles, withEdit } from '../../helpers/catalogue-fixture.js';

function problemsOf(files: Map<string, string>): readonly Problem[] {
  const result = buildFromFiles(files);
  assert.equal(result.ok, false, 'expected the catalogue to be refused');
  return result.ok ? [] : result.problems;
}

describe('buildCatalogue', () => {
  it('builds the minimal fixture catalogue', () => {
    const result = buildFromFiles(minimalCatalogueFiles());
    assert.ok(result.ok, result.ok ? '' : formatProblemReport(result.problems));
    assert.equal(result.catalogue.cfms.length, 1);
    assert.match(result.catalogue.version, /^[0-9a-f]{12}$/);
    const step = result.catalogue.cfms[0]!.steps[1]!;
    assert.equal(step.kind, 'decision');
  });

  it('gives the same version for the same data and a new one for any change', () => {
    const a = buildFromFiles(minimalCatalogueFiles());
    const b = buildFromFiles(minimalCatalogueFiles());
    const c = buildFromFiles(withEdit('cfm/03.1.a.yaml', (t) => t.replace('Verifikasi berkas', 'Periksa berkas')));
    assert.ok(a.ok && b.ok && c.ok);
    assert.equal(a.catalogue.version, b.catalogue.version);
    assert.notEqual(a.catalogue.version, c.catalogue.version);
  });

  it('keeps the version when only a comment changes', () => {
    const a = buildFromFiles(minimalCatalogueFiles());
    const b = buildFromFiles(withEdit('cfm/03.1.a.yaml', (t) => `# a new comment\n${t}`));
    assert.ok(a.ok && b.ok);
    assert.equal(a.catalogue.version, b.catalogue.version);
  });

  // Each broken catalogue differs from the valid fixture by one edit and must yield its own message,
  // with the file, the line and the path of the problem.
  const broken: { name: string; file: string; edit: (t: string) => string; expect: { file: string; line?: number; path?: string; message: RegExp } }[] = [
    {
      name: 'duplicate code',
      file: 'processes.yaml',
      edit: (t) => t.replace('{code: "03.1", process: "03"', '{code: "03.1", process: "03", title: X, titleEn: X}\n  - {code: "03.1", process: "03"'),
      expect: { file: 'processes.yaml', line: 13, path: 'subprocesses[1].code', message: /code "03\.1" is used twice/ },
    },
    {
      name: 'unknown actor',
      file: 'cfm/03.1.a.yaml',
      edit: (t) => t.replace('actor: pemohon', 'actor: pemohonn'),
      expect: { file: 'cfm/03.1.a.yaml', line: 15, path: 'steps[0].actor', message: /"pemohonn" is not a unit, party or actor/ },
    },
    {
      name: 'dangling next',
      file: 'cfm/03.1.a.yaml',
      edit: (t) => t.replace('next: verifikasi', 'next: verifkasi'),
      expect: { file: 'cfm/03.1.a.yaml', line: 20, path: 'steps[0].next', message: /goes to "verifkasi", which is not a step of CFM 03\.1\.a/ },
    },
    {
      name: 'unreachable step',
      file: 'cfm/03.1.a.yaml',
      edit: (t) => t.replace('next: kembalikan}', 'next: terbitkan}').replace('{label: Lengkap, labelEn: Complete, next: terbitkan}', '{label: Lengkap, labelEn: Complete, next: terbitkan}'),
      expect: { file: 'cfm/03.1.a.yaml', path: 'steps[2].id', message: /"kembalikan" cannot be reached from the first step "ajukan"/ },
    },
    {
      name: 'loop with no way out',
      file: 'cfm/03.1.a.yaml',
      edit: (t) => t.replace('next: kembalikan}', 'next: ajukan}').replace('next: terbitkan}', 'next: ajukan}').replace(/ {2}- id: kembalikan[\s\S]*$/, ''),
      expect: { file: 'cfm/03.1.a.yaml', message: /no end step|no path reaches an end/ },
    },
    {
      name: 'decision with one branch',
      file: 'cfm/03.1.a.yaml',
      edit: (t) => t.replace('      - {label: Belum lengkap, labelEn: Incomplete, next: kembalikan}\n', ''),
      expect: { file: 'cfm/03.1.a.yaml', path: 'steps[1].branches', message: /at least two labelled branches; this one has 1/ },
    },
    {
      name: 'empty action',
      file: 'cfm/03.1.a.yaml',
      edit: (t) => t.replace('action: Kembalikan berkas', 'action: ""'),
      expect: { file: 'cfm/03.1.a.yaml', line: 36, path: 'steps[2].action', message: /"action" is empty/ },
    },
    {
      name: 'bad YAML',
      file: 'cfm/03.1.a.yaml',
      edit: (t) => t.replace('    actionEn: Check the file', '   actionEn: Check the file: now'),
      expect: { file: 'cfm/03.1.a.yaml', message: /The YAML cannot be read/ },
    },
    {
      name: 'unknown field (a typo)',
      file: 'cfm/03.1.a.yaml',
      edit: (t) => t.replace('    output: Izin\n', '    outptu: Izin\n'),
      expect: { file: 'cfm/03.1.a.yaml', path: 'steps[3].outptu', message: /Unknown field "outptu"/ },
    },
    {
      name: 'sourced step without a source',
      file: 'cfm/03.1.a.yaml',
      edit: (t) => t.replace('    source: [s1]\n', ''),
      expect: { file: 'cfm/03.1.a.yaml', path: 'steps[0].basis', message: /marked "sourced" but names no source/ },
    },
    {
      name: 'unknown target',
      file: 'processes.yaml',
      edit: (t) => t.replace('targets: ["1.1.2"]', 'targets: ["1.1.9"]'),
      expect: { file: 'processes.yaml', path: 'processes[0].targets[0]', message: /"1\.1\.9" is not a target/ },
    },
    {
      name: 'outside party as a relation-map unit',
      file: 'processes.yaml',
      edit: (t) => t.replace('units: [bidang-dayasos]', 'units: [pemohon]'),
      expect: { file: 'processes.yaml', path: 'processes[0].units[0]', message: /"pemohon" is an outside party, but an internal unit/ },
    },
    {
      name: 'unknown glossary target',
      file: 'glossary.yaml',
      edit: (t) => t.replace('refs: ["03.1.a"]', 'refs: ["03.1.z"]'),
      expect: { file: 'glossary.yaml', path: 'terms[0].refs[0]', message: /"03\.1\.z" is not a catalogue code or a unit id/ },
    },
    {
      name: 'file name and code disagree',
      file: 'cfm/03.1.a.yaml',
      edit: (t) => t.replace('code: 03.1.a', 'code: 03.1.b'),
      expect: { file: 'cfm/03.1.a.yaml', path: 'code', message: /file is named "03\.1\.a" but the CFM's code is "03\.1\.b"/ },
    },
    {
      name: 'a step with both next and end',
      file: 'cfm/03.1.a.yaml',
      edit: (t) => t.replace('    next: verifikasi\n', '    next: verifikasi\n    end: true\n'),
      expect: { file: 'cfm/03.1.a.yaml', path: 'steps[0].end', message: /has both "next" and "end"/ },
    },
    {
      name: 'a comma splitting a text in a {…} entry',
      file: 'organisation.yaml',
      edit: (t) => t.replace('name: Pemohon,', 'name: Pemohon (ormas, yayasan),'),
      expect: { file: 'organisation.yaml', message: /a text with a comma inside \{…\} was split in two/ },
    },
  ];

  for (const c of broken) {
    it(`refuses a catalogue with ${c.name}, naming the place`, () => {
      const problems = problemsOf(withEdit(c.file, c.edit));
      const match = problems.find((p) => c.expect.message.test(p.message));
      assert.ok(match, `no problem matched ${c.expect.message}; got:\n${formatProblemReport(problems)}`);
      assert.equal(match.file, c.expect.file);
      if (c.expect.path !== undefined) assert.equal(match.path, c.expect.path);
      if (c.expect.line !== undefined) assert.equal(match.line, c.expect.line);
      assert.ok(match.fix.length > 10, 'every problem says what to do');
    });
  }

  it('reports all problems at once, not the first only', () => {
    const files = withEdit('cfm/03.1.a.yaml', (t) => t.replace('actor: pemohon', 'actor: nobody').replace('next: verifikasi', 'next: nowhere').replace('action: Kembalikan berkas', 'action: ""'));
    const problems = problemsOf(files);
    assert.ok(problems.length >= 3, formatProblemReport(problems));
  });

  it('says which files are missing', () => {
    const result = buildCatalogue({ actors: [], cfms: [], problems: [] });
    assert.equal(result.ok, false);
    const files = result.ok ? [] : result.problems.map((p) => p.file);
    assert.deepEqual(files.sort(), ['cfm/', 'glossary.yaml', 'organisation.yaml', 'processes.yaml', 'profile.yaml']);
  });
});

describe('compareCodes', () => {
  it('orders codes as people read them', () => {
    const codes = ['10.1.a', '02.1.a.1', '01.1.b', '02.1.a', '01.1.a', '02.1.a.4', '03.2.b'];
    assert.deepEqual([...codes].sort(compareCodes), ['01.1.a', '01.1.b', '02.1.a', '02.1.a.1', '02.1.a.4', '03.2.b', '10.1.a']);
  });
});
