import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import { bpmnIds, cfmActors, createBpmnModdle, exportCfmToBpmn, PANDU_NS } from '../../bot/catalogue/bpmn/export-bpmn.js';
import { cfmYaml, checkCfmYaml, importBpmnAsCfm, keepComments, type ImportBpmnResult } from '../../bot/catalogue/bpmn/import-bpmn.js';
import { loadCatalogue } from '../../bot/catalogue/load-catalogue.js';
import { DEFAULT_CATALOGUE_DIR } from '../../bot/catalogue/read-catalogue-files.js';
import { formatProblemReport, type Problem } from '../../bot/core/catalogue/problems.js';
import type { Catalogue, Cfm } from '../../bot/core/catalogue/types.js';
import { runCli } from '../helpers/run-cli.js';

const CODES = readdirSync(path.join(DEFAULT_CATALOGUE_DIR, 'cfm'))
  .filter((n) => n.endsWith('.yaml'))
  .map((n) => n.replace(/\.yaml$/, ''));

let catalogue: Catalogue;
/** bpmn-moddle without Pandu's extension, as a modeller reads the file. */
const plainModdle = new BpmnModdle();
const exported = new Map<string, string>();

async function xmlOf(code: string): Promise<string> {
  if (!exported.has(code)) exported.set(code, await exportCfmToBpmn(catalogue, code));
  return exported.get(code)!;
}

function cfmOf(code: string): Cfm {
  return catalogue.cfms.find((c) => c.code === code)!;
}

/** Parses, changes and writes back a BPMN file, as a person in a modeller would. */
async function edit(xml: string, change: (byId: Readonly<Record<string, ModdleElement>>, definitions: ModdleElement) => void): Promise<string> {
  const moddle = createBpmnModdle();
  const { rootElement, elementsById } = await moddle.fromXML(xml);
  change(elementsById, rootElement);
  return (await moddle.toXML(rootElement, { format: true })).xml;
}

const els = (el: ModdleElement | undefined, key: string): ModdleElement[] => (el?.get(key) as ModdleElement[] | undefined) ?? [];

function remove(list: ModdleElement[], item: ModdleElement | undefined): void {
  const k = item ? list.indexOf(item) : -1;
  if (k >= 0) list.splice(k, 1);
}

/** Deletes flow nodes and flows with their references and their diagram shapes, as a modeller does. */
function deleteElements(definitions: ModdleElement, byId: Readonly<Record<string, ModdleElement>>, ids: readonly string[]): void {
  const process = els(definitions, 'rootElements').find((e) => e.$type === 'bpmn:Process')!;
  for (const id of ids) {
    const el = byId[id]!;
    remove(els(process, 'flowElements'), el);
    for (const lane of els(els(process, 'laneSets')[0], 'lanes')) remove(els(lane, 'flowNodeRef'), el);
    for (const other of els(process, 'flowElements')) for (const key of ['incoming', 'outgoing']) if (other.$type !== 'bpmn:SequenceFlow') remove(els(other, key), el);
    const plane = planeOf(definitions);
    remove(els(plane, 'planeElement'), els(plane, 'planeElement').find((e) => e.get('bpmnElement') === el));
  }
}

function planeOf(definitions: ModdleElement): ModdleElement {
  return els(definitions, 'diagrams')[0]!.get('plane') as ModdleElement;
}

function problemsOf(result: ImportBpmnResult): readonly Problem[] {
  assert.equal(result.ok, false, 'the import should have failed');
  return result.ok ? [] : result.problems;
}

function assertOk(result: ImportBpmnResult): asserts result is Extract<ImportBpmnResult, { ok: true }> {
  assert.ok(result.ok, result.ok ? '' : formatProblemReport(result.problems));
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const inside = (p: { x: number; y: number }, r: Rect) => p.x > r.x && p.x < r.x + r.width && p.y > r.y && p.y < r.y + r.height;
const onBorder = (p: { x: number; y: number }, r: Rect) =>
  p.x >= r.x && p.x <= r.x + r.width && p.y >= r.y && p.y <= r.y + r.height && (p.x === r.x || p.x === r.x + r.width || p.y === r.y || p.y === r.y + r.height);
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Whether the segment a-b (horizontal or vertical) runs through the inside of r. */
function crosses(a: { x: number; y: number }, b: { x: number; y: number }, r: Rect): boolean {
  if (a.y === b.y) return a.y > r.y && a.y < r.y + r.height && Math.max(Math.min(a.x, b.x), r.x) < Math.min(Math.max(a.x, b.x), r.x + r.width);
  return a.x > r.x && a.x < r.x + r.width && Math.max(Math.min(a.y, b.y), r.y) < Math.min(Math.max(a.y, b.y), r.y + r.height);
}

describe('BPMN export and import', function () {
  this.timeout(60000);

  before(async () => {
    const result = await loadCatalogue();
    assert.ok(result.ok, result.ok ? '' : formatProblemReport(result.problems));
    catalogue = result.catalogue;
    assert.deepEqual([...CODES].sort(), catalogue.cfms.map((c) => c.code).sort());
  });

  describe('round trip of every CFM of the catalogue', () => {
    for (const code of CODES) {
      it(`${code}: export → import gives the same CFM, with a complete, clean diagram`, async () => {
        const cfm = cfmOf(code);
        const xml = await xmlOf(code);
        assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
        assert.ok(xml.includes(`xmlns:pandu="${PANDU_NS}"`));

        // Clean BPMN 2.0, with and without knowing Pandu's extension (as a modeller reads it).
        const parsed = await createBpmnModdle().fromXML(xml);
        assert.deepEqual(parsed.warnings.map((w) => w.message), []);
        assert.deepEqual((await plainModdle.fromXML(xml)).warnings.map((w) => w.message), []);

        const definitions = parsed.rootElement;
        const roots = els(definitions, 'rootElements');
        const process = roots.find((e) => e.$type === 'bpmn:Process')!;
        const collaboration = roots.find((e) => e.$type === 'bpmn:Collaboration')!;
        const participants = els(collaboration, 'participants');
        assert.equal(participants.length, 1);
        assert.equal(participants[0]!.get('processRef'), process);
        assert.equal(participants[0]!.get('name'), `${code} ${cfm.title}`);

        // Lanes: one per actor, holding every flow node exactly once.
        const lanes = els(els(process, 'laneSets')[0], 'lanes');
        const actors = cfmActors(cfm);
        assert.equal(lanes.length, new Set(cfm.steps.map((s) => s.actor)).size);
        assert.deepEqual(lanes.map((l) => l.id), actors.map((a) => bpmnIds.lane(a)));
        assert.deepEqual(lanes.map((l) => l.get('name')), actors.map((a) => catalogue.units.find((u) => u.id === a)!.name));
        const flowElements = els(process, 'flowElements');
        const flowNodes = flowElements.filter((e) => e.$type !== 'bpmn:SequenceFlow');
        const sequenceFlows = flowElements.filter((e) => e.$type === 'bpmn:SequenceFlow');
        const inLanes = lanes.flatMap((l) => els(l, 'flowNodeRef'));
        assert.equal(inLanes.length, flowNodes.length);
        assert.deepEqual(new Set(inLanes), new Set(flowNodes));

        // Counts: a task per step, a gateway per decision, an end event per end, one start event.
        const count = (type: string) => flowNodes.filter((e) => e.$type === type).length;
        assert.equal(count('bpmn:Task'), cfm.steps.length);
        assert.equal(count('bpmn:ExclusiveGateway'), cfm.steps.filter((s) => s.kind === 'decision').length);
        assert.equal(count('bpmn:EndEvent'), cfm.steps.filter((s) => s.kind === 'end').length);
        assert.equal(count('bpmn:StartEvent'), 1);
        const branches = cfm.steps.flatMap((s) => (s.kind === 'decision' ? s.branches : []));
        assert.equal(sequenceFlows.length, 1 + cfm.steps.length + branches.length);
        assert.deepEqual(sequenceFlows.filter((f) => f.get('name')).map((f) => f.get('name')), branches.map((b) => b.label));

        // The diagram: a shape for the pool, every lane and every flow node, an edge for every flow.
        const diagrams = els(definitions, 'diagrams');
        assert.equal(diagrams.length, 1);
        assert.equal(diagrams[0]!.$type, 'bpmndi:BPMNDiagram');
        const plane = planeOf(definitions);
        assert.equal(plane.get('bpmnElement'), collaboration);
        const planeElements = els(plane, 'planeElement');
        const shapes = new Map(planeElements.filter((e) => e.$type === 'bpmndi:BPMNShape').map((s) => [s.get('bpmnElement') as ModdleElement, s.get('bounds') as unknown as Rect]));
        const edges = new Map(planeElements.filter((e) => e.$type === 'bpmndi:BPMNEdge').map((e) => [e.get('bpmnElement') as ModdleElement, els(e, 'waypoint') as unknown as { x: number; y: number }[]]));
        for (const el of [participants[0]!, ...lanes, ...flowNodes]) assert.ok(shapes.has(el), `no shape for ${el.id}`);
        assert.equal(shapes.size, 1 + lanes.length + flowNodes.length);
        for (const flow of sequenceFlows) assert.ok(edges.has(flow), `no edge for ${flow.id}`);
        assert.equal(edges.size, sequenceFlows.length);

        // Horizontal lanes stacked in the pool; every node inside its lane; no two nodes overlap.
        const pool = shapes.get(participants[0]!)!;
        lanes.forEach((lane, k) => {
          const r = shapes.get(lane)!;
          assert.ok(r.x > pool.x && r.x + r.width === pool.x + pool.width && r.y >= pool.y && r.y + r.height <= pool.y + pool.height);
          if (k > 0) assert.equal(r.y, shapes.get(lanes[k - 1]!)!.y + shapes.get(lanes[k - 1]!)!.height);
          for (const node of els(lane, 'flowNodeRef')) {
            const b = shapes.get(node)!;
            assert.ok(b.x > r.x && b.x + b.width < r.x + r.width && b.y > r.y && b.y + b.height < r.y + r.height, `${node.id} outside its lane`);
          }
        });
        flowNodes.forEach((a, i) => flowNodes.slice(i + 1).forEach((b) => assert.ok(!overlap(shapes.get(a)!, shapes.get(b)!), `${a.id} overlaps ${b.id}`)));
        // Left to right: the tasks in step order.
        const taskX = cfm.steps.map((s) => shapes.get(parsed.elementsById[bpmnIds.task(s.id)]!)!.x);
        assert.deepEqual(taskX, [...taskX].sort((a, b) => a - b));

        // Orthogonal arrows from border to border, through no other shape.
        for (const flow of sequenceFlows) {
          const points = edges.get(flow)!;
          const source = shapes.get(flow.get('sourceRef') as ModdleElement)!;
          const target = shapes.get(flow.get('targetRef') as ModdleElement)!;
          assert.ok(points.length >= 2);
          assert.ok(onBorder(points[0]!, source), `${flow.id} does not start on its source`);
          assert.ok(onBorder(points[points.length - 1]!, target), `${flow.id} does not end on its target`);
          for (let k = 1; k < points.length; k++) {
            const a = points[k - 1]!;
            const b = points[k]!;
            assert.ok(a.x === b.x || a.y === b.y, `${flow.id} has a slanted segment`);
            for (const node of flowNodes) {
              const r = shapes.get(node)!;
              if (r !== source && r !== target) assert.ok(!crosses(a, b, r), `${flow.id} runs through ${node.id}`);
              else assert.ok(!inside(a, r) && !inside(b, r), `${flow.id} runs inside ${node.id}`);
            }
          }
        }

        // Back to the same CFM, with and without the current one as a base.
        const plain = await importBpmnAsCfm(xml, { code, catalogue });
        assertOk(plain);
        assert.deepEqual(plain.cfm, cfm);
        assert.deepEqual(plain.notes, []);
        const withBase = await importBpmnAsCfm(xml, { code, catalogue, base: cfm });
        assertOk(withBase);
        assert.deepEqual(withBase.cfm, cfm);
        assert.equal(withBase.changed, false);
        assert.equal(withBase.yaml, plain.yaml);
        // Written over the existing file, it gives that file back, byte for byte.
        const existing = readFileSync(path.join(DEFAULT_CATALOGUE_DIR, 'cfm', `${code}.yaml`), 'utf8');
        assert.equal(keepComments(withBase.yaml, existing), existing);
      });
    }
  });

  describe('the CFM file written by the import', () => {
    it('keeps the files\' key order and style, and reads back as the same CFM', async () => {
      const result = await importBpmnAsCfm(await xmlOf('03.1.a'), { code: '03.1.a', catalogue });
      assertOk(result);
      const topKeys = result.yaml.split('\n').filter((l) => /^[a-zA-Z]+:/.test(l)).map((l) => l.replace(/:.*/, ''));
      assert.deepEqual(topKeys, ['code', 'subprocess', 'title', 'titleEn', 'printedTitle', 'owner', 'status', 'summary', 'summaryEn', 'legalBasis', 'sources', 'changes', 'steps']);
      assert.match(result.yaml, /^subprocess: "03\.1"$/m);
      assert.match(result.yaml, /^summary: >-\n {2}Ormas berbadan hukum/m);
      assert.match(result.yaml, /^ {2}- \{ref: UU 9\/1961 tentang Pengumpulan Uang atau Barang, status: verified\}$/m);
      assert.match(result.yaml, /^ {4}inputs: \[Berkas permohonan, Lembar disposisi\]$/m);
      assert.match(result.yaml, /^ {6}- \{label: Tidak, labelEn: "No", next: lapor-hasil\}$/m);
      assert.match(result.yaml, / {2}- id: verifikasi\n {4}actor: bidang-dayasos\n {4}action: .*\n {4}actionEn: .*\n {4}inputs: .*\n {4}output: .*\n {4}decision:\n {6}question: .*\n {6}questionEn: .*\n {4}branches:\n/);
      assert.ok(result.yaml.split('\n').every((l) => l.length <= 250));
    });

    it('writes every CFM of the catalogue so that the catalogue reads it back unchanged', () => {
      for (const cfm of catalogue.cfms) {
        const checked = checkCfmYaml(cfmYaml(cfm), cfm.code, catalogue);
        assert.deepEqual(checked.problems, []);
        assert.deepEqual(checked.cfm, cfm);
      }
    });

    it('keeps the comments of the existing file', async () => {
      const existing = await readFile(path.join(DEFAULT_CATALOGUE_DIR, 'cfm/01.2.a.yaml'), 'utf8');
      const result = await importBpmnAsCfm(await xmlOf('01.2.a'), { code: '01.2.a', catalogue, base: cfmOf('01.2.a') });
      assertOk(result);
      const kept = keepComments(result.yaml, existing);
      const comments = (text: string) => text.split('\n').filter((l) => /^\s*#/.test(l));
      assert.deepEqual(comments(kept), comments(existing));
      assert.ok(kept.startsWith('# DINSOS 01.2.a'));
      assert.deepEqual(checkCfmYaml(kept, '01.2.a', catalogue).cfm, cfmOf('01.2.a'));
    });

    it('round-trips the fields no CFM uses yet: time limits, confirmation, no printed title, rule changes with a date', async () => {
      const base = cfmOf('03.1.a');
      const first = base.steps[0]!;
      const cfm: Cfm = {
        ...base,
        status: 'confirmed',
        confirmation: { by: 'Kepala Bidang Pemberdayaan Sosial', at: '2025-03-01', catalogueVersion: 'abc123', fingerprint: 'f00d' },
        printedTitle: undefined,
        changes: [{ since: '2025-02-05', ref: 'Inpres 4/2025', note: 'Catatan "penting" & <baru>\ndengan dua baris', noteEn: 'A note' }],
        steps: [{ ...first, slaDays: 14, slaNote: 'Permensos 8/2021 Pasal 20' }, ...base.steps.slice(1)],
      };
      delete (cfm as { printedTitle?: string }).printedTitle;
      const variant: Catalogue = { ...catalogue, cfms: catalogue.cfms.map((c) => (c.code === base.code ? cfm : c)) };
      const result = await importBpmnAsCfm(await exportCfmToBpmn(variant, base.code), { code: base.code, catalogue: variant });
      assertOk(result);
      assert.deepEqual(result.cfm, cfm);
    });
  });

  describe('edits made in a modeller', () => {
    it('keeps everything else when a task is renamed and boxes are moved, and sends the CFM back to draft', async () => {
      const base = { ...cfmOf('03.1.a'), status: 'confirmed' as const, confirmation: { by: 'Kabid Dayasos', at: '2025-03-01' } };
      const variant: Catalogue = { ...catalogue, cfms: catalogue.cfms.map((c) => (c.code === base.code ? base : c)) };
      const xml = await edit(await exportCfmToBpmn(variant, base.code), (byId, definitions) => {
        byId['Task_verifikasi']!.set('name', 'Periksa kelengkapan berkas');
        for (const shape of els(planeOf(definitions), 'planeElement')) {
          const bounds = shape.get('bounds') as ModdleElement | undefined;
          if (shape.get('bpmnElement') === byId['Task_pengawasan'] && bounds) bounds.set('y', (bounds.get('y') as number) + 20);
        }
      });
      const result = await importBpmnAsCfm(xml, { code: base.code, catalogue: variant, base });
      assertOk(result);
      assert.equal(result.changed, true);
      const { confirmation: _c, ...unconfirmed } = base;
      assert.deepEqual(result.cfm, { ...unconfirmed, status: 'draft', steps: base.steps.map((s) => (s.id === 'verifikasi' ? { ...s, action: 'Periksa kelengkapan berkas' } : s)) });
      assert.ok(result.notes.some((n) => n.includes('"verifikasi" was renamed')));
      assert.ok(result.notes.some((n) => n.includes('set back from "confirmed" to draft')));
      assert.match(result.yaml, /^status: draft$/m);
      assert.doesNotMatch(result.yaml, /confirmation/);
    });

    it('takes what a diagram without Pandu\'s extension lacks from the current CFM', async () => {
      const code = '01.1.b';
      const xml = await edit(await xmlOf(code), (byId) => {
        for (const el of Object.values(byId)) if (el.get('extensionElements')) el.set('extensionElements', undefined);
      });
      assert.doesNotMatch(xml, /<pandu:/);
      const result = await importBpmnAsCfm(xml, { code, catalogue, base: cfmOf(code) });
      assertOk(result);
      assert.deepEqual(result.cfm, cfmOf(code));
      assert.equal(result.changed, false);
    });

    it('does not depend on the order of the elements in the file', async () => {
      const code = '01.2.a';
      const xml = await edit(await xmlOf(code), (byId) => {
        (byId[bpmnIds.process(code)]!.get('flowElements') as ModdleElement[]).reverse();
      });
      const result = await importBpmnAsCfm(xml, { code, catalogue });
      assertOk(result);
      assert.deepEqual(result.cfm, cfmOf(code));
    });

    it('moves the steps of a lane renamed to another unit to that unit', async () => {
      const xml = await edit(await xmlOf('03.1.a'), (byId) => byId['Lane_kadis']!.set('name', 'Sekretariat Dinas Sosial Provinsi NTT'));
      const result = await importBpmnAsCfm(xml, { code: '03.1.a', catalogue, base: cfmOf('03.1.a') });
      assertOk(result);
      assert.deepEqual(result.cfm.steps.filter((s) => s.actor === 'sekretariat').map((s) => s.id), ['disposisi', 'tanda-tangan']);
      assert.ok(result.notes.some((n) => n.includes('Lane_kadis')));
    });

    it('names a new task\'s step after it and marks what it lacks', async () => {
      const xml = await edit(await xmlOf('03.1.a'), (byId, definitions) => {
        const moddle = createBpmnModdle();
        const process = byId[bpmnIds.process('03.1.a')]!;
        const from = byId['Task_konsep-izin']!;
        const to = byId['Task_tanda-tangan']!;
        const old = byId['Flow_konsep-izin']!;
        const task = moddle.create('bpmn:Task', { id: 'Activity_0abc', name: 'Paraf konsep oleh Sekretaris' });
        const flow = moddle.create('bpmn:SequenceFlow', { id: 'Flow_0new', sourceRef: task, targetRef: to });
        old.set('targetRef', task);
        els(process, 'flowElements').push(task, flow);
        els(byId['Lane_kadis'], 'flowNodeRef').push(task);
        const plane = planeOf(definitions);
        const bounds = (els(plane, 'planeElement').find((s) => s.get('bpmnElement') === from)!.get('bounds') as ModdleElement);
        els(plane, 'planeElement').push(moddle.create('bpmndi:BPMNShape', { id: 'Activity_0abc_di', bpmnElement: task, bounds: moddle.create('dc:Bounds', { x: (bounds.get('x') as number) + 60, y: 300, width: 100, height: 80 }) }));
      });
      const result = await importBpmnAsCfm(xml, { code: '03.1.a', catalogue, base: cfmOf('03.1.a') });
      assertOk(result);
      const ids = result.cfm.steps.map((s) => s.id);
      assert.equal(ids[ids.indexOf('konsep-izin') + 1], 'paraf-konsep-oleh-sekretaris');
      const step = result.cfm.steps.find((s) => s.id === 'paraf-konsep-oleh-sekretaris')!;
      assert.deepEqual({ actor: step.actor, kind: step.kind, next: step.kind === 'task' ? step.next : undefined, basis: step.basis, output: step.output }, { actor: 'kadis', kind: 'task', next: 'tanda-tangan', basis: 'inferred', output: '(belum diisi)' });
      assert.ok(result.notes.some((n) => n.includes('Activity_0abc is new')));
      assert.equal(result.changed, true);
    });
  });

  describe('problems, named by BPMN element id', () => {
    it('reports a lane that is no unit, with the closest unit names', async () => {
      const xml = await edit(await xmlOf('03.1.a'), (byId) => {
        const lane = byId['Lane_pemohon']!;
        lane.set('extensionElements', undefined);
        lane.set('name', 'Pemohn izin');
      });
      const problems = problemsOf(await importBpmnAsCfm(xml, { code: '03.1.a', catalogue }));
      const problem = problems.find((p) => p.path === 'Lane_pemohon');
      assert.ok(problem, formatProblemReport(problems));
      assert.match(problem.message, /Lane Lane_pemohon "Pemohn izin" is not a unit/);
      assert.match(problem.fix, /"Pemohon/);
      assert.equal(problem.file, '03.1.a.bpmn');
      assert.equal(typeof problem.line, 'number');
    });

    it('matches a lane without the extension by name, short name or alias, ignoring case and accents', async () => {
      const xml = await edit(await xmlOf('03.1.a'), (byId) => {
        for (const [id, n] of [['Lane_bidang-dayasos', 'bidang DAYASOS'], ['Lane_kadis', 'Képala Dinas']] as const) {
          byId[id]!.set('extensionElements', undefined);
          byId[id]!.set('name', n);
        }
      });
      const result = await importBpmnAsCfm(xml, { code: '03.1.a', catalogue });
      assertOk(result);
      assert.deepEqual(result.cfm, cfmOf('03.1.a'));
    });

    it('reports a gateway with one outgoing flow', async () => {
      const xml = await edit(await xmlOf('03.1.a'), (byId, definitions) => deleteElements(definitions, byId, ['Flow_verifikasi_2']));
      const problems = problemsOf(await importBpmnAsCfm(xml, { code: '03.1.a', catalogue }));
      const problem = problems.find((p) => p.path === 'Gateway_verifikasi');
      assert.ok(problem, formatProblemReport(problems));
      assert.match(problem.message, /gateway Gateway_verifikasi .* has 1 outgoing flow; a decision needs at least two labelled branches/);
    });

    it('reports a gateway branch without a label', async () => {
      const xml = await edit(await xmlOf('03.1.a'), (byId) => byId['Flow_cek-wilayah_2']!.set('name', undefined));
      const problems = problemsOf(await importBpmnAsCfm(xml, { code: '03.1.a', catalogue }));
      assert.ok(problems.some((p) => p.path === 'Gateway_cek-wilayah' && /1 of them labelled/.test(p.message)), formatProblemReport(problems));
    });

    it('reports a task that leads nowhere', async () => {
      const xml = await edit(await xmlOf('03.1.a'), (byId) => {
        const task = createBpmnModdle().create('bpmn:Task', { id: 'Activity_dangling', name: 'Arsipkan berkas' });
        els(byId[bpmnIds.process('03.1.a')], 'flowElements').push(task);
        els(byId['Lane_bidang-dayasos'], 'flowNodeRef').push(task);
      });
      const problems = problemsOf(await importBpmnAsCfm(xml, { code: '03.1.a', catalogue }));
      const problem = problems.find((p) => p.path === 'Activity_dangling');
      assert.ok(problem, formatProblemReport(problems));
      assert.match(problem.message, /task Activity_dangling "Arsipkan berkas" leads nowhere/);
    });

    it('reports a task no path reaches, with the catalogue\'s own check', async () => {
      const xml = await edit(await xmlOf('03.1.a'), (byId) => {
        const moddle = createBpmnModdle();
        const task = moddle.create('bpmn:Task', { id: 'Activity_orphan', name: 'Arsipkan berkas' });
        const flow = moddle.create('bpmn:SequenceFlow', { id: 'Flow_orphan', sourceRef: task, targetRef: byId['Task_pengawasan'] });
        els(byId[bpmnIds.process('03.1.a')], 'flowElements').push(task, flow);
        els(byId['Lane_bidang-dayasos'], 'flowNodeRef').push(task);
      });
      const problems = problemsOf(await importBpmnAsCfm(xml, { code: '03.1.a', catalogue }));
      const problem = problems.find((p) => p.path === 'Activity_orphan');
      assert.ok(problem, formatProblemReport(problems));
      assert.match(problem.message, /Step "arsipkan-berkas" cannot be reached from the first step "rekomendasi-kabkota"/);
    });

    it('reports elements a CFM cannot hold, a missing start event, and unreadable XML', async () => {
      const xml = await edit(await xmlOf('03.1.a'), (byId, definitions) => {
        deleteElements(definitions, byId, ['Flow_start', 'StartEvent_1']);
        els(byId[bpmnIds.process('03.1.a')], 'flowElements').push(createBpmnModdle().create('bpmn:ParallelGateway', { id: 'Gateway_parallel' }));
      });
      const problems = problemsOf(await importBpmnAsCfm(xml, { code: '03.1.a', catalogue }));
      assert.ok(problems.some((p) => p.path === 'Gateway_parallel' && /no counterpart in a CFM/.test(p.message)), formatProblemReport(problems));
      assert.ok(problems.some((p) => p.path === 'Process_03_1_a' && /no start event/.test(p.message)), formatProblemReport(problems));
      const broken = problemsOf(await importBpmnAsCfm('<bpmn:definitions', { code: '03.1.a', catalogue }));
      assert.match(broken[0]!.message, /cannot be read/);
    });

    it('maps the catalogue\'s reference checks back to the element', async () => {
      const xml = await edit(await xmlOf('03.1.a'), (byId) => {
        const step = (byId['Task_disposisi']!.get('extensionElements') as ModdleElement).get('values') as ModdleElement[];
        step[0]!.set('sourceRef', ['no-such-source']);
      });
      const problems = problemsOf(await importBpmnAsCfm(xml, { code: '03.1.a', catalogue }));
      assert.ok(problems.some((p) => p.path === 'Task_disposisi' && /"no-such-source" is not in this CFM's "sources"/.test(p.message)), formatProblemReport(problems));
    });
  });

  describe('npm run catalogue:export-bpmn / catalogue:import-bpmn', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'pandu-bpmn-'));
      await cp(DEFAULT_CATALOGUE_DIR, path.join(dir, 'catalogue'), { recursive: true });
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('exports, then imports a corrected diagram into the catalogue, or says what is wrong with it', async () => {
      const catalogueDir = path.join(dir, 'catalogue');
      const exportRun = await runCli('bot/cli/catalogue-bpmn.ts', ['export', '--catalogue', catalogueDir, '--out', path.join(dir, 'out'), '03.1.a']);
      assert.equal(exportRun.status, 0, exportRun.stderr);
      const file = path.join(dir, 'out', '03.1.a.bpmn');
      assert.equal(readFileSync(file, 'utf8'), await xmlOf('03.1.a'));

      await writeFile(file, await edit(await xmlOf('03.1.a'), (byId) => byId['Task_verifikasi']!.set('name', 'Periksa kelengkapan berkas')));
      const written = await runCli('bot/cli/catalogue-bpmn.ts', ['import', file, '--code', '03.1.a', '--write', '--catalogue', catalogueDir]);
      assert.equal(written.status, 0, written.stderr);
      assert.match(written.stdout, /status was set back to draft/);
      const text = readFileSync(path.join(catalogueDir, 'cfm', '03.1.a.yaml'), 'utf8');
      const original = readFileSync(path.join(DEFAULT_CATALOGUE_DIR, 'cfm', '03.1.a.yaml'), 'utf8');
      assert.equal(text, original.replace('action: Verifikasi kelengkapan berkas dan nilai kelayakan serta dampak sosial pengumpulan', 'action: Periksa kelengkapan berkas'));
      const reloaded = await loadCatalogue(catalogueDir);
      assert.ok(reloaded.ok, reloaded.ok ? '' : formatProblemReport(reloaded.problems));
      assert.deepEqual(reloaded.catalogue.cfms.find((c) => c.code === '03.1.a'), { ...cfmOf('03.1.a'), steps: cfmOf('03.1.a').steps.map((s) => (s.id === 'verifikasi' ? { ...s, action: 'Periksa kelengkapan berkas' } : s)) });

      await writeFile(file, await edit(await xmlOf('03.1.a'), (byId) => {
        byId['Lane_pemohon']!.set('extensionElements', undefined);
        byId['Lane_pemohon']!.set('name', 'Dinas Pariwisata');
      }));
      const rejected = await runCli('bot/cli/catalogue-bpmn.ts', ['import', file, '--code', '03.1.a', '--write', '--catalogue', catalogueDir]);
      assert.equal(rejected.status, 1);
      assert.match(rejected.stderr, /^The diagram 03\.1\.a\.bpmn has 1 problem/);
      assert.match(rejected.stderr, /03\.1\.a\.bpmn:\d+ {2}\(Lane_pemohon\)/);
      assert.match(rejected.stderr, /Nothing was written/);
      assert.equal(readFileSync(path.join(catalogueDir, 'cfm', '03.1.a.yaml'), 'utf8'), text);
    });
  });
});
