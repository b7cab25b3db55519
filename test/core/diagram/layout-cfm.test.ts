// The swimlane layout of every CFM of the real catalogue: geometry checks (sizes, lanes, overlaps,
// arrows from box to box, labels) and text that fits its box, measured with the font file itself.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { loadCatalogue } from '../../../bot/catalogue/load-catalogue.js';
import type { Catalogue, Cfm } from '../../../bot/core/catalogue/types.js';
import { layoutCfm, layoutCfmByCode, textWidth, wrapText, type BoxLayout, type CfmLayout, type Point, type Rect, type TextLine } from '../../../bot/core/diagram/layout-cfm.js';

const FONT_DIR = '/usr/share/fonts/truetype/dejavu/';

/** Advance widths from a TrueType file (cmap format 4 and hmtx): an independent check of the layout's table. */
function fontMeasurer(file: string): ((text: string, size: number) => number) | undefined {
  if (!existsSync(file)) return undefined;
  const b = readFileSync(file);
  const tables = new Map<string, number>();
  for (let i = 0; i < b.readUInt16BE(4); i++) tables.set(b.toString('ascii', 12 + i * 16, 16 + i * 16), b.readUInt32BE(20 + i * 16));
  const head = tables.get('head')!;
  const hhea = tables.get('hhea')!;
  const hmtx = tables.get('hmtx')!;
  const cmap = tables.get('cmap')!;
  const upm = b.readUInt16BE(head + 18);
  const metrics = b.readUInt16BE(hhea + 34);
  let sub = -1;
  for (let i = 0; i < b.readUInt16BE(cmap + 2); i++) {
    if (b.readUInt16BE(cmap + 4 + i * 8) === 3 && b.readUInt16BE(cmap + 6 + i * 8) === 1) sub = cmap + b.readUInt32BE(cmap + 8 + i * 8);
  }
  if (sub < 0 || b.readUInt16BE(sub) !== 4) return undefined;
  const segs = b.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const offsets = deltas + segs * 2;
  const glyph = (c: number): number => {
    for (let s = 0; s < segs; s++) {
      if (c > b.readUInt16BE(ends + 2 * s)) continue;
      const start = b.readUInt16BE(starts + 2 * s);
      if (c < start) return 0;
      const delta = b.readInt16BE(deltas + 2 * s);
      const ro = b.readUInt16BE(offsets + 2 * s);
      if (ro === 0) return (c + delta) & 0xffff;
      const g = b.readUInt16BE(offsets + 2 * s + ro + 2 * (c - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
  return (text, size) => {
    let units = 0;
    for (const ch of text) units += b.readUInt16BE(hmtx + 4 * Math.min(glyph(ch.codePointAt(0) ?? 0), metrics - 1));
    return (units * size) / upm;
  };
}

const regular = fontMeasurer(`${FONT_DIR}DejaVuSans.ttf`);
const bold = fontMeasurer(`${FONT_DIR}DejaVuSans-Bold.ttf`);

/** The width of a line as DejaVu Sans sets it (the layout's own table when the font is not installed). */
function measure(line: TextLine): number {
  return line.spans.reduce((sum, s) => sum + ((s.bold ? bold : regular)?.(s.text, line.size) ?? textWidth(s.text, line.size, s.bold)), 0);
}

/** The horizontal extent of a line from its anchor. */
function extent(line: TextLine): { left: number; right: number } {
  const w = measure(line);
  return line.anchor === 'middle' ? { left: line.x - w / 2, right: line.x + w / 2 } : { left: line.x, right: line.x + w };
}

const EPS = 0.6;
const inside = (inner: Rect, outer: Rect, eps = EPS) => inner.x >= outer.x - eps && inner.y >= outer.y - eps && inner.x + inner.w <= outer.x + outer.w + eps && inner.y + inner.h <= outer.y + outer.h + eps;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Whether a point lies on the border of the box (its outline for diamonds and hexagons). */
function onBorder(p: Point, box: BoxLayout): boolean {
  const outline = box.outline.length > 0 ? box.outline : [{ x: box.x, y: box.y }, { x: box.x + box.w, y: box.y }, { x: box.x + box.w, y: box.y + box.h }, { x: box.x, y: box.y + box.h }];
  return outline.some((a, k) => distanceToSegment(p, a, outline[(k + 1) % outline.length]!) <= EPS);
}

/** Whether an axis-aligned segment enters the inside of a rectangle. */
function entersRect(a: Point, b: Point, r: Rect): boolean {
  const x1 = Math.min(a.x, b.x);
  const x2 = Math.max(a.x, b.x);
  const y1 = Math.min(a.y, b.y);
  const y2 = Math.max(a.y, b.y);
  return x2 > r.x + EPS && x1 < r.x + r.w - EPS && y2 > r.y + EPS && y1 < r.y + r.h - EPS;
}

function checkLayout(cfm: Cfm, layout: CfmLayout, catalogue: Catalogue, lang: 'id' | 'en'): void {
  const where = (what: string) => `${cfm.code}: ${what}`;
  assert.ok(layout.width <= 1024, where(`width ${layout.width} > 1024`));
  assert.ok(layout.height > 100 && layout.height < 8000, where(`height ${layout.height}`));

  // Lanes: the distinct actors in order of first appearance, side by side.
  const actors = [...new Set(cfm.steps.map((s) => s.actor))];
  assert.deepEqual(layout.lanes.map((l) => l.actor), actors, where('lanes are the actors in order of first appearance'));
  for (const [k, lane] of layout.lanes.entries()) {
    const unit = catalogue.units.find((u) => u.id === lane.actor);
    assert.equal(lane.name, unit?.short, where(`lane ${k} is labelled with the unit's short name`));
    assert.equal(lane.external, unit?.kind === 'external');
    assert.ok(lane.headerLines.length > 0, where(`lane ${lane.actor} has a header`));
    if (k > 0) assert.ok(Math.abs(layout.lanes[k - 1]!.x + layout.lanes[k - 1]!.w - lane.x) < 1, where('lanes touch'));
    for (const line of lane.headerLines) {
      const e = extent(line);
      assert.ok(e.left >= lane.x - EPS && e.right <= lane.x + lane.w + EPS, where(`lane header line "${line.spans.map((s) => s.text).join('')}" fits its lane`));
    }
    assert.ok(lane.x >= 0 && lane.x + lane.w <= layout.width, where('lane inside the picture'));
  }
  for (const line of layout.titleLines) assert.ok(extent(line).right <= layout.width - 4, where('title line fits'));

  // Boxes: one per step, in its actor's lane, not overlapping, text inside.
  assert.equal(layout.boxes.length, cfm.steps.length, where('one box per step'));
  for (const [k, step] of cfm.steps.entries()) {
    const boxes = layout.boxes.filter((b) => b.stepId === step.id);
    assert.equal(boxes.length, 1, where(`step ${step.id} has exactly one box`));
    const box = boxes[0]!;
    assert.equal(box.number, k + 1);
    assert.equal(box.kind, step.kind);
    assert.equal(box.inferred, step.basis === 'inferred');
    if (step.kind === 'decision') assert.ok(box.shape === 'diamond' || box.shape === 'hexagon', where(`decision ${step.id} is a diamond or hexagon`));
    else assert.equal(box.shape, step.kind === 'end' ? 'end' : 'rect');
    const lane = layout.lanes[box.lane]!;
    assert.equal(lane.actor, step.actor, where(`step ${step.id} is in its actor's lane`));
    assert.ok(inside(box, lane.body), where(`box of ${step.id} lies inside lane ${lane.actor}`));
    assert.ok(inside(box.textArea, box), where(`text area of ${step.id} inside its box`));
    assert.ok(box.lines.length > 0, where(`box of ${step.id} has text`));
    assert.equal(box.lines[0]!.spans[0]?.text.trim(), String(k + 1), where(`box of ${step.id} shows its number`));
    for (const line of box.lines) {
      const e = extent(line);
      const text = line.spans.map((s) => s.text).join('');
      assert.ok(measure(line) <= box.textArea.w + EPS, where(`line "${text}" (${measure(line).toFixed(1)} px) wider than the text area of ${step.id} (${box.textArea.w} px)`));
      assert.ok(e.left >= box.textArea.x - EPS && e.right <= box.textArea.x + box.textArea.w + EPS, where(`line "${text}" outside the text area of ${step.id}`));
      assert.ok(line.y - line.size * 0.8 >= box.textArea.y - EPS && line.y + line.size * 0.25 <= box.textArea.y + box.textArea.h + EPS, where(`line "${text}" below or above the text area of ${step.id}`));
    }
    if (k > 0) assert.ok(box.y > layout.boxes[k - 1]!.y + layout.boxes[k - 1]!.h, where(`step ${step.id} is on a row below the previous step`));
  }
  for (const [i, a] of layout.boxes.entries()) for (const b of layout.boxes.slice(i + 1)) assert.ok(!overlap(a, b), where(`boxes ${a.stepId} and ${b.stepId} overlap`));

  // Arrows: every next and every branch, from the source box's border to the target box's border.
  const boxOf = (id: string) => layout.boxes.find((b) => b.stepId === id)!;
  const expected: { from: string; to: string; kind: 'next' | 'branch'; branch?: number; label?: string }[] = [];
  for (const step of cfm.steps) {
    if (step.kind === 'task') expected.push({ from: step.id, to: step.next, kind: 'next' });
    if (step.kind === 'decision') for (const [k, b] of step.branches.entries()) expected.push({ from: step.id, to: b.next, kind: 'branch', branch: k, label: lang === 'en' ? b.labelEn : b.label });
  }
  assert.equal(layout.edges.length, expected.length, where('one arrow per next and per branch'));
  for (const want of expected) {
    const edge = layout.edges.find((e) => e.from === want.from && e.kind === want.kind && e.branch === want.branch);
    assert.ok(edge, where(`an arrow for ${want.from} ${want.kind} ${want.branch ?? ''}`));
    assert.equal(edge.to, want.to);
    if (want.kind === 'branch') {
      assert.ok(edge.label, where(`branch ${want.branch} of ${want.from} has a label`));
      assert.equal(edge.label.text, want.label);
      assert.ok(edge.label.lines.length > 0);
      for (const line of edge.label.lines) {
        const e = extent(line);
        assert.ok(e.left >= edge.label.x - EPS && e.right <= edge.label.x + edge.label.w + EPS, where(`label line "${line.spans[0]?.text}" fits its label box`));
      }
      for (const box of layout.boxes) assert.ok(!overlap(edge.label, box), where(`label of ${want.from} → ${want.to} covers box ${box.stepId}`));
      assert.ok(inside(edge.label, { x: 0, y: 0, w: layout.width, h: layout.height }), where('label inside the picture'));
    }
    const pts = edge.points;
    assert.ok(pts.length >= 2);
    assert.ok(onBorder(pts[0]!, boxOf(edge.from)), where(`arrow ${edge.from} → ${edge.to} starts on its source box`));
    assert.ok(onBorder(pts[pts.length - 1]!, boxOf(edge.to)), where(`arrow ${edge.from} → ${edge.to} ends on its target box`));
    for (let k = 1; k < pts.length; k++) {
      const a = pts[k - 1]!;
      const b = pts[k]!;
      assert.ok(a.x === b.x || a.y === b.y, where(`arrow ${edge.from} → ${edge.to} is orthogonal`));
      for (const box of layout.boxes) assert.ok(!entersRect(a, b, box), where(`arrow ${edge.from} → ${edge.to} crosses box ${box.stepId}`));
      assert.ok(Math.min(a.x, b.x) >= 0 && Math.max(a.x, b.x) <= layout.width && Math.min(a.y, b.y) >= 0 && Math.max(a.y, b.y) <= layout.height, where('arrow inside the picture'));
    }
  }
  // No two arrows run along the same line.
  const segs = layout.edges.flatMap((e, n) => e.points.slice(1).map((p, k) => ({ a: e.points[k]!, b: p, n })));
  for (const [i, s] of segs.entries()) {
    for (const t of segs.slice(i + 1)) {
      if (s.n === t.n) continue;
      const sv = s.a.x === s.b.x;
      if (sv !== (t.a.x === t.b.x)) continue;
      const [c1, c2] = sv ? [s.a.x, t.a.x] : [s.a.y, t.a.y];
      const [lo1, hi1] = sv ? [Math.min(s.a.y, s.b.y), Math.max(s.a.y, s.b.y)] : [Math.min(s.a.x, s.b.x), Math.max(s.a.x, s.b.x)];
      const [lo2, hi2] = sv ? [Math.min(t.a.y, t.b.y), Math.max(t.a.y, t.b.y)] : [Math.min(t.a.x, t.b.x), Math.max(t.a.x, t.b.x)];
      assert.ok(!(Math.abs(c1 - c2) < 2 && lo1 < hi2 && lo2 < hi1), where(`two arrows share a stretch of line at ${c1}`));
    }
  }

  // Start marker above the first box; legend.
  const first = layout.boxes[0]!;
  assert.ok(layout.start.cy < first.y);
  assert.ok(onBorder(layout.start.points[layout.start.points.length - 1]!, first), where('the start arrow reaches the first step'));
  const kinds = layout.legend.map((l) => l.kind);
  assert.equal(kinds.includes('draft'), cfm.status === 'draft', where('draft legend iff draft'));
  assert.equal(kinds.includes('inferred'), cfm.steps.some((s) => s.basis === 'inferred'), where('dashed legend iff inferred steps'));
  for (const item of layout.legend) {
    assert.ok(extent(item.line).right <= layout.width, where('legend fits'));
    if (item.badge) {
      const e = extent(item.badge);
      assert.ok(e.left >= item.sample.x && e.right <= item.sample.x + item.sample.w, where('the draft badge word fits its badge'));
    }
  }
}

describe('CFM swimlane layout', function () {
  this.timeout(60000);
  let catalogue: Catalogue;

  before(async () => {
    const result = await loadCatalogue();
    assert.ok(result.ok, 'the shipped catalogue is valid');
    catalogue = result.catalogue;
  });

  it('measures text as DejaVu Sans does', function () {
    if (!regular || !bold) this.skip();
    for (const text of ['Konsultasikan niat mengangkat anak', 'SK Izin Pengasuhan Anak Sementara (PP 54/2007) – draf…', 'WWW mmm iii 0123456789 ÷×']) {
      // The table is rounded up: never narrower than the font, and within half a percent.
      for (const [mine, font] of [[textWidth(text, 11), regular(text, 11)], [textWidth(text, 11, true), bold(text, 11)]] as const) {
        assert.ok(mine >= font - 1e-9 && mine <= font * 1.005, `${text}: ${mine} vs ${font}`);
      }
    }
  });

  it('wraps text to a width and a number of lines, ending cut text with an ellipsis', () => {
    const lines = wrapText('Periksa kelengkapan berkas dan kaji motivasi COTA mengangkat anak', 80, 10, 3);
    assert.equal(lines.length, 3);
    assert.ok(lines[2]!.endsWith('…'));
    for (const l of lines) assert.ok(textWidth(l, 10) <= 80);
    assert.deepEqual(wrapText('Ya', 80, 10, 2), ['Ya']);
    for (const l of wrapText('Kemendikdasmen/Kemendikbud-Kementerian-Pendidikan', 60, 10, 5)) assert.ok(textWidth(l, 10) <= 60, l);
  });

  it('lays out every CFM within 1024 px, with boxes in their lanes, arrows from box to box and text that fits', () => {
    assert.ok(catalogue.cfms.length > 0);
    for (const cfm of catalogue.cfms) {
      for (const lang of ['id', 'en'] as const) checkLayout(cfm, layoutCfm(catalogue, cfm, { lang }), catalogue, lang);
    }
  });

  it('draws reconstructed steps dashed and end steps distinct, and marks drafts in the legend', () => {
    const cfm = catalogue.cfms.find((c) => c.steps.some((s) => s.basis === 'inferred') && c.status === 'draft')!;
    const layout = layoutCfm(catalogue, cfm);
    assert.ok(layout.boxes.some((b) => b.inferred));
    assert.ok(layout.boxes.some((b) => b.shape === 'end'));
    assert.ok(layout.legend.some((l) => l.kind === 'draft' && l.line.spans[0]?.text === 'draf — belum dikonfirmasi'));
    assert.ok(layout.legend.some((l) => l.kind === 'inferred' && l.line.spans[0]?.text === 'garis putus-putus = langkah rekonstruksi'));
  });

  it('marks outside parties in the lane headers', () => {
    const layout = layoutCfmByCode(catalogue, '01.2.a')!;
    const external = layout.lanes.filter((l) => l.external);
    assert.ok(external.length > 0);
    for (const lane of external) assert.ok(lane.headerLines.some((l) => l.spans[0]?.text === '(pihak luar)'));
    assert.ok(layoutCfmByCode(catalogue, '01.2.a', { lang: 'en' })!.lanes.filter((l) => l.external).every((lane) => lane.headerLines.some((l) => l.spans[0]?.text === '(outside party)')));
  });

  it('puts the "you are here" marker next to the highlighted step, and nowhere without one', () => {
    for (const code of ['01.2.a', '09.1.a', '03.2.b']) {
      const cfm = catalogue.cfms.find((c) => c.code === code)!;
      assert.equal(layoutCfm(catalogue, cfm).highlight, undefined);
      assert.equal(layoutCfm(catalogue, cfm, { highlight: 'no-such-step' }).highlight, undefined);
      for (const step of cfm.steps) {
        const layout = layoutCfm(catalogue, cfm, { highlight: step.id, lang: 'en' });
        const h = layout.highlight;
        assert.ok(h, `${code} ${step.id}`);
        assert.equal(h.stepId, step.id);
        const box = layout.boxes.find((b) => b.stepId === step.id)!;
        // The tag sits on the box's row, beside it, and its pointer touches the box.
        assert.ok(h.tag.y < box.y + box.h && h.tag.y + h.tag.h > box.y, `${code} ${step.id}: tag on the box's row`);
        assert.ok(!overlap(h.tag, box));
        assert.ok(h.pointer.some((p) => Math.abs(p.x - box.x) <= 1.5 || Math.abs(p.x - (box.x + box.w)) <= 1.5), `${code} ${step.id}: pointer reaches the box`);
        assert.equal(h.lines[0]?.spans[0]?.text, 'You are here');
        for (const l of h.lines) assert.ok(extent(l).left >= h.tag.x && extent(l).right <= h.tag.x + h.tag.w, `${code} ${step.id}: tag text fits`);
        for (const other of layout.boxes) assert.ok(!overlap(h.tag, other), `${code} ${step.id}: tag covers box ${other.stepId}`);
        assert.ok(inside(h.tag, { x: 0, y: 0, w: layout.width, h: layout.height }));
      }
    }
  });

  it('gives the same geometry with and without a highlight', () => {
    const cfm = catalogue.cfms.find((c) => c.code === '01.2.a')!;
    const plain = layoutCfm(catalogue, cfm);
    const marked = layoutCfm(catalogue, cfm, { highlight: cfm.steps[4]!.id });
    assert.deepEqual(marked.boxes, plain.boxes);
    assert.deepEqual(marked.edges, plain.edges);
  });
});
