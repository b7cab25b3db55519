/**
 * A CFM as a BPMN 2.0 diagram, so that the department can open a reconstructed procedure in a BPMN
 * modeller (bpmn.io, Camunda Modeler), correct it visually and hand it back (`import-bpmn.ts`).
 *
 * The mapping:
 * - one collaboration with one participant (the pool, named "<code> <title>") for one process;
 * - a lane per actor, in order of first appearance, named with the unit's Indonesian name;
 * - a start event before the first step;
 * - every step is a task named with its action; a decision step's task is followed by an exclusive
 *   gateway named with the question, whose outgoing flows are the branches (named with the labels);
 *   an end step's task is followed by an end event; `next` is a sequence flow.
 *
 * Everything the modeller does not show but a CFM needs is kept in `bpmn:extensionElements` in the
 * Pandu namespace (see `PANDU_PACKAGE`): the CFM's metadata on the process (`pandu:cfm`), the step id,
 * actor, English action, inputs, output, time limit and sources on each task (`pandu:step`), the unit id
 * on each lane (`pandu:actor`), the English question on each gateway (`pandu:decision`) and the
 * English label on each branch (`pandu:branch`). Modellers keep unknown extension elements when they
 * save, so the file survives a round trip through them. A `bpmn:documentation` on each element says the
 * same in words, for people reading it in the modeller's properties panel; the importer never reads it.
 *
 * The diagram (BPMNDI) has horizontal lanes stacked top to bottom and the flow left to right: every
 * step gets its own column (in the file's order, so the importer can read the order back from the x
 * positions), with its gateway or end event beside it; arrows are orthogonal and routed around every
 * shape (`routeFlows`).
 */
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import type { Catalogue, Cfm, Step, Unit } from '../../core/catalogue/types.js';

/** The namespace of Pandu's BPMN extension elements. */
export const PANDU_NS = 'https://pandu.dinsos.nttprov.go.id/bpmn';

const attr = (name: string, type = 'String') => ({ name, type, isAttr: true });
const child = (name: string, type = 'String', isMany = false) => ({ name, type, ...(isMany ? { isMany } : {}) });

/**
 * The moddle package descriptor of the Pandu namespace. Element names are the type names with a
 * lowercase first letter (`pandu:step`); short codes are attributes, free text is element content (an
 * attribute would lose line breaks).
 */
export const PANDU_PACKAGE = {
  name: 'Pandu',
  uri: PANDU_NS,
  prefix: 'pandu',
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  enumerations: [],
  types: [
    {
      name: 'Cfm',
      superClass: ['Element'],
      properties: [
        attr('code'),
        attr('subprocess'),
        attr('owner'),
        attr('status'),
        child('titleEn'),
        child('printedTitle'),
        child('summary'),
        child('summaryEn'),
        child('confirmation', 'Confirmation'),
        child('legalBasis', 'LegalBasis', true),
        child('source', 'Source', true),
        child('change', 'Change', true),
      ],
    },
    { name: 'Confirmation', properties: [attr('by'), attr('at'), attr('catalogueVersion'), attr('fingerprint')] },
    { name: 'LegalBasis', properties: [attr('status'), child('ref'), child('note')] },
    { name: 'Source', properties: [attr('sourceId'), attr('url'), child('title')] },
    { name: 'Change', properties: [attr('since'), child('ref'), child('note'), child('noteEn')] },
    {
      name: 'Step',
      superClass: ['Element'],
      properties: [attr('stepId'), attr('actor'), attr('basis'), attr('slaDays', 'Integer'), child('actionEn'), child('input', 'String', true), child('output'), child('slaNote'), child('sourceRef', 'String', true)],
    },
    { name: 'Actor', superClass: ['Element'], properties: [attr('unit')] },
    { name: 'Decision', superClass: ['Element'], properties: [child('questionEn')] },
    { name: 'Branch', superClass: ['Element'], properties: [child('labelEn')] },
  ],
};

let shared: BpmnModdle | undefined;

/** A moddle that knows BPMN and the Pandu extension (one, shared: building it is slow, using it keeps no state). */
export function createBpmnModdle(): BpmnModdle {
  shared ??= new BpmnModdle({ pandu: PANDU_PACKAGE });
  return shared;
}

/** BPMN ids are XML names: letters, digits, `-`, `_` and `.`; codes keep only the safe ones. */
export function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** The BPMN element ids of a CFM's parts, shared by the exporter and the tests. */
export const bpmnIds = {
  definitions: (code: string) => `Definitions_${idPart(code)}`,
  collaboration: (code: string) => `Collaboration_${idPart(code)}`,
  participant: (code: string) => `Participant_${idPart(code)}`,
  process: (code: string) => `Process_${idPart(code)}`,
  laneSet: (code: string) => `LaneSet_${idPart(code)}`,
  lane: (actor: string) => `Lane_${idPart(actor)}`,
  start: () => 'StartEvent_1',
  task: (step: string) => `Task_${idPart(step)}`,
  gateway: (step: string) => `Gateway_${idPart(step)}`,
  end: (step: string) => `End_${idPart(step)}`,
  /** The flow out of the start event, or a step's one flow (to its next task, gateway or end event). */
  flow: (step: string) => `Flow_${idPart(step)}`,
  branch: (step: string, index: number) => `Flow_${idPart(step)}_${index + 1}`,
};

// ---------------------------------------------------------------------------------------------
// Layout (pure geometry)

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Pt {
  readonly x: number;
  readonly y: number;
}

type NodeKind = 'start' | 'task' | 'gateway' | 'end';

interface FlowNodeSpec {
  readonly id: string;
  readonly kind: NodeKind;
  readonly lane: number;
  readonly step?: Step;
}

interface FlowSpec {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly name?: string;
  readonly labelEn?: string;
}

const SIZE: Record<NodeKind, { w: number; h: number }> = { start: { w: 36, h: 36 }, end: { w: 36, h: 36 }, task: { w: 100, h: 80 }, gateway: { w: 50, h: 50 } };
const POOL_X = 160;
const POOL_Y = 80;
/** The label band at the left of the pool and of each lane. */
const BAND = 30;
const LANE_H = 180;
const LEFT_PAD = 50;
const RIGHT_PAD = 50;
/** Between a step's task and its gateway or end event. */
const NEAR_GAP = 50;
/** Between columns. */
const COLUMN_GAP = 70;

export interface BpmnLayout {
  readonly pool: Box;
  readonly lanes: readonly Box[];
  readonly nodes: readonly Box[];
  /** Waypoints of each flow, from the source's border to the target's. */
  readonly flows: readonly (readonly Pt[])[];
}

/** Places the nodes in columns and lanes and routes every flow. */
export function layoutBpmn(laneCount: number, nodes: readonly FlowNodeSpec[], flows: readonly FlowSpec[]): BpmnLayout {
  const contentX = POOL_X + 2 * BAND + LEFT_PAD;
  const laneTop = (lane: number) => POOL_Y + lane * LANE_H;
  const boxes: Box[] = [];
  let x = contentX;
  nodes.forEach((node, k) => {
    const { w, h } = SIZE[node.kind];
    if (k > 0) x += node.kind === 'gateway' || node.kind === 'end' ? NEAR_GAP : COLUMN_GAP;
    boxes.push({ x, y: laneTop(node.lane) + (LANE_H - h) / 2, w, h });
    x += w;
  });
  const width = x + RIGHT_PAD - POOL_X;
  const pool: Box = { x: POOL_X, y: POOL_Y, w: width, h: laneCount * LANE_H };
  const lanes = Array.from({ length: laneCount }, (_, l): Box => ({ x: POOL_X + BAND, y: laneTop(l), w: width - BAND, h: LANE_H }));
  const routed = routeFlows(boxes, nodes.map((n) => n.kind), flows, { left: contentX - LEFT_PAD + 10, right: x + RIGHT_PAD - 10, lanes });
  return { pool, lanes, nodes: boxes, flows: routed };
}

interface RouteArea {
  readonly left: number;
  readonly right: number;
  readonly lanes: readonly Box[];
}

const RIGHT = 0;
const DOWN = 1;
const LEFT = 2;
const UP = 3;
const MARGIN = 8;
const BEND = 30;
const OVERLAP = 600;
const CROSS = 12;

/**
 * Orthogonal routing on a grid of candidate lines (the shapes' borders and centres, tracks in the
 * gaps between columns, tracks along the top and bottom of each lane): a shortest path with a cost per
 * bend, never through a shape (kept `MARGIN` away from every shape but its own ends), and with a
 * heavy cost for running along an arrow already placed, so arrows neither hide each other nor boxes.
 * Arrows leave a task or gateway to the right, top or bottom and enter a task from the left, top or
 * bottom; events and gateways are entered from the left.
 */
function routeFlows(boxes: readonly Box[], kinds: readonly NodeKind[], flows: readonly FlowSpec[], area: RouteArea): Pt[][] {
  const xsSet = new Set<number>([area.left, area.right]);
  const ysSet = new Set<number>();
  for (const b of boxes) for (const v of [b.x, b.x + b.w / 2, b.x + b.w]) xsSet.add(v);
  const byX = [...boxes].sort((a, b) => a.x - b.x);
  for (let k = 0; k + 1 < byX.length; k++) {
    const a = byX[k]!.x + byX[k]!.w;
    const b = byX[k + 1]!.x;
    for (let t = 1; t <= 3; t++) xsSet.add(round(a + ((b - a) * t) / 4));
  }
  for (const lane of area.lanes) for (const d of [12, 24, 36]) ysSet.add(lane.y + d).add(lane.y + lane.h - d);
  for (const b of boxes) for (const v of [b.y, b.y + b.h / 2, b.y + b.h]) ysSet.add(v);
  const xs = [...xsSet].sort((a, b) => a - b);
  const ys = [...ysSet].sort((a, b) => a - b);
  const nx = xs.length;
  const ny = ys.length;
  const np = nx * ny;
  const pointOf = (x: number, y: number) => ys.indexOf(y) * nx + xs.indexOf(x);
  const px = (p: number) => xs[p % nx]!;
  const py = (p: number) => ys[(p - (p % nx)) / nx]!;

  // Segment s = 2p is the one right of point p, 2p+1 the one below it. For each, the shapes it passes
  // through when they are inflated by MARGIN (up to two; BLOCKED for more) and, as bits 1 and 2,
  // whether it passes through the first or second of them exactly.
  const NONE = -1;
  const BLOCKED = -2;
  const near1 = new Int32Array(2 * np).fill(NONE);
  const near2 = new Int32Array(2 * np).fill(NONE);
  const exact = new Uint8Array(2 * np);
  const mark = (seg: number, box: number, inside: boolean) => {
    if (near1[seg] === NONE) {
      near1[seg] = box;
      if (inside) exact[seg]! |= 1;
    } else if (near2[seg] === NONE) {
      near2[seg] = box;
      if (inside) exact[seg]! |= 2;
    } else near1[seg] = BLOCKED;
  };
  boxes.forEach((b, k) => {
    const l = b.x - MARGIN;
    const r = b.x + b.w + MARGIN;
    const t = b.y - MARGIN;
    const bt = b.y + b.h + MARGIN;
    for (let yi = 0; yi < ny; yi++) {
      const y = ys[yi]!;
      // Horizontal segments on a line through the shape.
      if (t < y && y < bt) {
        for (let xi = 0; xi + 1 < nx; xi++) {
          if (Math.max(xs[xi]!, l) < Math.min(xs[xi + 1]!, r)) mark(2 * (yi * nx + xi), k, b.y < y && y < b.y + b.h && Math.max(xs[xi]!, b.x) < Math.min(xs[xi + 1]!, b.x + b.w));
        }
      }
      // Vertical segments from this line down.
      if (yi + 1 < ny && Math.max(y, t) < Math.min(ys[yi + 1]!, bt)) {
        for (let xi = 0; xi < nx; xi++) {
          const x = xs[xi]!;
          if (l < x && x < r) mark(2 * (yi * nx + xi) + 1, k, b.x < x && x < b.x + b.w && Math.max(y, b.y) < Math.min(ys[yi + 1]!, b.y + b.h));
        }
      }
    }
  });

  const used = new Int32Array(2 * np);
  const visited = new Int32Array(np);
  const dist = new Float64Array(np * 4);
  const prev = new Int32Array(np * 4);
  /** The point one step from p in direction d, or -1 at the grid's edge. */
  const neighbour = (p: number, d: number): number => {
    const xi = p % nx;
    if (d === RIGHT) return xi < nx - 1 ? p + 1 : -1;
    if (d === LEFT) return xi > 0 ? p - 1 : -1;
    if (d === DOWN) return p + nx < np ? p + nx : -1;
    return p - nx >= 0 ? p - nx : -1;
  };
  const segment = (p: number, d: number, q: number): number => (d === RIGHT ? 2 * p : d === LEFT ? 2 * q : d === DOWN ? 2 * p + 1 : 2 * q + 1);
  const ports = (k: number, out: boolean): { p: number; d: number; cost: number }[] => {
    const b = boxes[k]!;
    const cx = b.x + b.w / 2;
    const cy = b.y + b.h / 2;
    const kind = kinds[k]!;
    if (out) {
      const list = [{ p: pointOf(b.x + b.w, cy), d: RIGHT, cost: 0 }];
      if (kind === 'task' || kind === 'gateway') list.push({ p: pointOf(cx, b.y), d: UP, cost: 20 }, { p: pointOf(cx, b.y + b.h), d: DOWN, cost: 20 });
      return list;
    }
    const list = [{ p: pointOf(b.x, cy), d: RIGHT, cost: 0 }];
    if (kind === 'task') list.push({ p: pointOf(cx, b.y), d: DOWN, cost: 20 }, { p: pointOf(cx, b.y + b.h), d: UP, cost: 20 });
    return list;
  };
  const segCost = (seg: number, p: number, q: number) => {
    const length = Math.abs(px(q) - px(p)) + Math.abs(py(q) - py(p));
    return length + (used[seg]! > 0 ? OVERLAP + 3 * length : 0);
  };

  const route = (from: number, to: number): Pt[] => {
    /** A segment may run through the margin of the arrow's own ends, never through them or another shape. */
    const ok = (seg: number) => {
      const a = near1[seg]!;
      if (a === NONE) return true;
      if (a === BLOCKED) return false;
      const b = near2[seg]!;
      if (a !== from && a !== to) return false;
      if (b !== NONE && b !== from && b !== to) return false;
      return exact[seg] === 0;
    };
    dist.fill(Infinity);
    prev.fill(-1);
    const heap = new MinHeap();
    const starts = new Map<number, number>();
    for (const port of ports(from, true)) {
      const q = neighbour(port.p, port.d);
      if (q < 0) continue;
      const seg = segment(port.p, port.d, q);
      if (!ok(seg)) continue;
      const state = q * 4 + port.d;
      const cost = port.cost + segCost(seg, port.p, q);
      if (cost < dist[state]!) {
        dist[state] = cost;
        starts.set(state, port.p);
      }
    }
    const targetPorts = ports(to, false);
    const goals = new Map(targetPorts.map((g) => [g.p * 4 + g.d, g.cost]));
    const gx = targetPorts.map((g) => px(g.p));
    const gy = targetPorts.map((g) => py(g.p));
    // A*: the distance to the nearest entry never overestimates what is left.
    const h = (p: number) => {
      let best = Infinity;
      for (let k = 0; k < gx.length; k++) best = Math.min(best, Math.abs(px(p) - gx[k]!) + Math.abs(py(p) - gy[k]!));
      return best;
    };
    for (const state of starts.keys()) heap.push(dist[state]! + h((state - (state % 4)) / 4), state);
    let best = -1;
    let bestCost = Infinity;
    while (heap.size > 0) {
      const f = heap.peekCost();
      const state = heap.pop();
      if (f >= bestCost) break;
      const p = (state - (state % 4)) / 4;
      const d = state % 4;
      const cost = dist[state]!;
      if (f > cost + h(p) + 1e-9) continue;
      const goal = goals.get(state);
      if (goal !== undefined && cost + goal < bestCost) {
        best = state;
        bestCost = cost + goal;
      }
      for (let turn = 0; turn < 3; turn++) {
        const nd = turn === 0 ? d : turn === 1 ? (d + 1) % 4 : (d + 3) % 4;
        const q = neighbour(p, nd);
        if (q < 0) continue;
        const seg = segment(p, nd, q);
        if (!ok(seg)) continue;
        const next = q * 4 + nd;
        const c = cost + segCost(seg, p, q) + (nd === d ? 0 : BEND) + (visited[q]! > 0 ? CROSS : 0);
        if (c < dist[next]!) {
          dist[next] = c;
          prev[next] = state;
          heap.push(c + h(q), next);
        }
      }
    }
    if (best < 0) return fallback(boxes[from]!, boxes[to]!);
    const states: number[] = [];
    for (let s = best; s >= 0; s = prev[s]!) states.push(s);
    states.reverse();
    const points = [starts.get(states[0]!)!, ...states.map((s) => (s - (s % 4)) / 4)];
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k]!;
      const b = points[k + 1]!;
      used[b === a + 1 ? 2 * a : b === a - 1 ? 2 * b : b > a ? 2 * a + 1 : 2 * b + 1]!++;
      visited[a]!++;
    }
    visited[points[points.length - 1]!]!++;
    return simplify(points.map((p) => ({ x: px(p), y: py(p) })));
  };

  // The short, obvious arrows first; long ones and loops find their way around them.
  const span = (f: FlowSpec) => (f.to > f.from ? f.to - f.from : 3 * (f.from - f.to) + 10);
  const order = flows.map((_, k) => k).sort((a, b) => span(flows[a]!) - span(flows[b]!) || a - b);
  const out: Pt[][] = new Array<Pt[]>(flows.length);
  for (const k of order) out[k] = route(flows[k]!.from, flows[k]!.to);
  return out;
}

/** Drops the points in the middle of straight stretches. */
function simplify(points: readonly Pt[]): Pt[] {
  const out: Pt[] = [];
  for (const p of points) {
    const a = out[out.length - 2];
    const b = out[out.length - 1];
    if (b && p.x === b.x && p.y === b.y) continue;
    if (a && b && ((a.x === b.x && b.x === p.x) || (a.y === b.y && b.y === p.y))) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** An elbow from the source's right to the target's left, should the grid hold no route at all. */
function fallback(a: Box, b: Box): Pt[] {
  const start = { x: a.x + a.w, y: a.y + a.h / 2 };
  const end = { x: b.x, y: b.y + b.h / 2 };
  const mid = round((start.x + end.x) / 2);
  return simplify([start, { x: mid, y: start.y }, { x: mid, y: end.y }, end]);
}

class MinHeap {
  private readonly costs: number[] = [];
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(cost: number, item: number): void {
    let i = this.items.length;
    this.costs.push(cost);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.costs[parent]! <= cost) break;
      this.costs[i] = this.costs[parent]!;
      this.items[i] = this.items[parent]!;
      i = parent;
    }
    this.costs[i] = cost;
    this.items[i] = item;
  }

  peekCost(): number {
    return this.costs[0]!;
  }

  pop(): number {
    const top = this.items[0]!;
    const cost = this.costs.pop()!;
    const item = this.items.pop()!;
    const n = this.items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.costs[r]! < this.costs[l]! ? r : l;
        if (this.costs[c]! >= cost) break;
        this.costs[i] = this.costs[c]!;
        this.items[i] = this.items[c]!;
        i = c;
      }
      this.costs[i] = cost;
      this.items[i] = item;
    }
    return top;
  }
}

function round(v: number): number {
  return Math.round(v);
}

// ---------------------------------------------------------------------------------------------
// The model

/** The actors of a CFM in order of first appearance: its lanes, top to bottom. */
export function cfmActors(cfm: Cfm): string[] {
  return [...new Set(cfm.steps.map((s) => s.actor))];
}

/**
 * The CFM with this code as BPMN 2.0 XML (a collaboration, its process with lanes, the Pandu
 * extension and the diagram). Throws for an unknown code.
 */
export async function exportCfmToBpmn(catalogue: Catalogue, code: string): Promise<string> {
  const cfm = catalogue.cfms.find((c) => c.code === code);
  if (!cfm) throw new Error(`No CFM has the code "${code}".`);
  const units = new Map(catalogue.units.map((u) => [u.id, u]));
  const moddle = createBpmnModdle();
  const create = (type: string, attrs: Record<string, unknown> = {}) => moddle.create(type, withoutUndefined(attrs));
  const doc = (text: string) => [create('bpmn:Documentation', { text })];
  const ext = (value: ModdleElement) => create('bpmn:ExtensionElements', { values: [value] });

  // Nodes and flows in document order: the start event, then each step's task and its gateway or end event.
  const actors = cfmActors(cfm);
  const laneOf = (actor: string) => actors.indexOf(actor);
  const nodes: FlowNodeSpec[] = [{ id: bpmnIds.start(), kind: 'start', lane: laneOf(cfm.steps[0]?.actor ?? '') }];
  const taskIndex = new Map<string, number>();
  for (const step of cfm.steps) {
    taskIndex.set(step.id, nodes.length);
    nodes.push({ id: bpmnIds.task(step.id), kind: 'task', lane: laneOf(step.actor), step });
    if (step.kind === 'decision') nodes.push({ id: bpmnIds.gateway(step.id), kind: 'gateway', lane: laneOf(step.actor), step });
    if (step.kind === 'end') nodes.push({ id: bpmnIds.end(step.id), kind: 'end', lane: laneOf(step.actor), step });
  }
  const flows: FlowSpec[] = [];
  const first = cfm.steps[0];
  if (first) flows.push({ id: bpmnIds.flow('start'), from: 0, to: taskIndex.get(first.id)! });
  for (const step of cfm.steps) {
    const from = taskIndex.get(step.id)!;
    if (step.kind === 'task') {
      const to = taskIndex.get(step.next);
      if (to !== undefined) flows.push({ id: bpmnIds.flow(step.id), from, to });
    } else {
      flows.push({ id: bpmnIds.flow(step.id), from, to: from + 1 });
      if (step.kind === 'decision') {
        step.branches.forEach((branch, k) => {
          const to = taskIndex.get(branch.next);
          if (to !== undefined) flows.push({ id: bpmnIds.branch(step.id, k), from: from + 1, to, name: branch.label, labelEn: branch.labelEn });
        });
      }
    }
  }

  // Semantic elements.
  const elements: ModdleElement[] = nodes.map((node) => {
    const step = node.step;
    if (node.kind === 'start') return create('bpmn:StartEvent', { id: node.id, name: 'Mulai' });
    if (node.kind === 'gateway' && step?.kind === 'decision') {
      return create('bpmn:ExclusiveGateway', { id: node.id, name: step.question, documentation: doc(step.questionEn), extensionElements: ext(create('pandu:Decision', { questionEn: step.questionEn })) });
    }
    if (node.kind === 'end') return create('bpmn:EndEvent', { id: node.id, name: 'Selesai' });
    return create('bpmn:Task', { id: node.id, name: step!.action, documentation: doc(stepDocumentation(step!)), extensionElements: ext(stepExtension(create, step!)) });
  });
  const flowElements = flows.map((f) =>
    create('bpmn:SequenceFlow', {
      id: f.id,
      name: f.name,
      sourceRef: elements[f.from],
      targetRef: elements[f.to],
      ...(f.labelEn ? { documentation: doc(f.labelEn), extensionElements: ext(create('pandu:Branch', { labelEn: f.labelEn })) } : {}),
    }),
  );
  flows.forEach((f, k) => {
    push(elements[f.from]!, 'outgoing', flowElements[k]!);
    push(elements[f.to]!, 'incoming', flowElements[k]!);
  });
  const lanes = actors.map((actor, l) => {
    const unit = units.get(actor);
    return create('bpmn:Lane', {
      id: bpmnIds.lane(actor),
      name: unit?.name ?? actor,
      documentation: doc(laneDocumentation(actor, unit)),
      extensionElements: ext(create('pandu:Actor', { unit: actor })),
      flowNodeRef: elements.filter((_, k) => nodes[k]!.lane === l),
    });
  });
  const process = create('bpmn:Process', {
    id: bpmnIds.process(cfm.code),
    name: cfm.title,
    isExecutable: false,
    documentation: doc(processDocumentation(cfm)),
    extensionElements: ext(cfmExtension(create, cfm)),
    laneSets: [create('bpmn:LaneSet', { id: bpmnIds.laneSet(cfm.code), lanes })],
    flowElements: [...elements, ...flowElements],
  });
  const participant = create('bpmn:Participant', { id: bpmnIds.participant(cfm.code), name: `${cfm.code} ${cfm.title}`, processRef: process });
  const collaboration = create('bpmn:Collaboration', { id: bpmnIds.collaboration(cfm.code), participants: [participant] });

  // Diagram.
  const layout = layoutBpmn(actors.length, nodes, flows);
  const bounds = (b: Box) => create('dc:Bounds', { x: b.x, y: b.y, width: b.w, height: b.h });
  const shape = (element: ModdleElement, b: Box, extra: Record<string, unknown> = {}) => create('bpmndi:BPMNShape', { id: `${element.id!}_di`, bpmnElement: element, bounds: bounds(b), ...extra });
  const planeElement: ModdleElement[] = [
    shape(participant, layout.pool, { isHorizontal: true }),
    ...lanes.map((lane, l) => shape(lane, layout.lanes[l]!, { isHorizontal: true })),
    ...elements.map((element, k) => shape(element, layout.nodes[k]!, nodes[k]!.kind === 'gateway' ? { isMarkerVisible: true } : {})),
    ...flowElements.map((flow, k) => create('bpmndi:BPMNEdge', { id: `${flow.id!}_di`, bpmnElement: flow, waypoint: layout.flows[k]!.map((p) => create('dc:Point', { x: p.x, y: p.y })) })),
  ];
  const diagram = create('bpmndi:BPMNDiagram', { id: `BPMNDiagram_${idPart(cfm.code)}`, name: cfm.code, plane: create('bpmndi:BPMNPlane', { id: `BPMNPlane_${idPart(cfm.code)}`, bpmnElement: collaboration, planeElement }) });
  const definitions = create('bpmn:Definitions', {
    id: bpmnIds.definitions(cfm.code),
    targetNamespace: PANDU_NS,
    exporter: 'Pandu',
    exporterVersion: catalogue.version,
    rootElements: [collaboration, process],
    diagrams: [diagram],
  });
  const { xml } = await moddle.toXML(definitions, { format: true });
  return xml;
}

function push(element: ModdleElement, property: string, value: ModdleElement): void {
  const list = element.get(property) as ModdleElement[];
  list.push(value);
}

function withoutUndefined(attrs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined));
}

type Create = (type: string, attrs?: Record<string, unknown>) => ModdleElement;

function stepExtension(create: Create, step: Step): ModdleElement {
  return create('pandu:Step', {
    stepId: step.id,
    actor: step.actor,
    basis: step.basis,
    slaDays: step.slaDays,
    actionEn: step.actionEn,
    input: [...step.inputs],
    output: step.output,
    slaNote: step.slaNote,
    sourceRef: [...step.source],
  });
}

function cfmExtension(create: Create, cfm: Cfm): ModdleElement {
  return create('pandu:Cfm', {
    code: cfm.code,
    subprocess: cfm.subprocess,
    owner: cfm.owner,
    status: cfm.status,
    titleEn: cfm.titleEn,
    printedTitle: cfm.printedTitle,
    summary: cfm.summary,
    summaryEn: cfm.summaryEn,
    confirmation: cfm.confirmation ? create('pandu:Confirmation', { ...cfm.confirmation }) : undefined,
    legalBasis: cfm.legalBasis.map((l) => create('pandu:LegalBasis', { ...l })),
    source: cfm.sources.map((s) => create('pandu:Source', { sourceId: s.id, title: s.title, url: s.url })),
    change: cfm.changes.map((c) => create('pandu:Change', { ...c })),
  });
}

function stepDocumentation(step: Step): string {
  const lines = [
    step.actionEn,
    `Dokumen masuk (inputs): ${step.inputs.length > 0 ? step.inputs.join('; ') : '-'}`,
    `Hasil (output): ${step.output}`,
  ];
  if (step.slaDays !== undefined || step.slaNote) lines.push(`Batas waktu (SLA): ${[step.slaDays !== undefined ? `${step.slaDays} hari kerja` : '', step.slaNote ?? ''].filter(Boolean).join(' - ')}`);
  lines.push(step.basis === 'sourced' ? `Dasar (basis): bersumber (sourced): ${step.source.join(', ')}` : `Dasar (basis): rekonstruksi (inferred)${step.source.length > 0 ? `: ${step.source.join(', ')}` : ''}`);
  lines.push(`Langkah (step): ${step.id}`);
  return lines.join('\n');
}

function laneDocumentation(actor: string, unit: Unit | undefined): string {
  return unit ? `${actor}: ${unit.nameEn}${unit.kind === 'external' ? ' (pihak luar / outside party)' : ''}` : actor;
}

function processDocumentation(cfm: Cfm): string {
  const parts = [`${cfm.code}: ${cfm.titleEn}`, cfm.summary, cfm.summaryEn];
  if (cfm.legalBasis.length > 0) parts.push(['Dasar hukum (legal basis):', ...cfm.legalBasis.map((l) => `- ${l.ref}${l.note ? ` (${l.note})` : ''}`)].join('\n'));
  parts.push(`Status: ${cfm.status}. Pandu membaca data CFM dari elemen pandu:* di extensionElements, bukan dari teks ini.`);
  return parts.join('\n\n');
}
