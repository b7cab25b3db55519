/**
 * A BPMN 2.0 diagram back to a CFM: the way back of `export-bpmn.ts`, for a CFM the department has
 * corrected in a BPMN modeller.
 *
 * - Lanes are the actors: a lane's `pandu:actor` extension names its unit, unless the lane has been
 *   renamed to another unit's name; a lane without it is matched by name against the units' names,
 *   short names, aliases and ids (ignoring case and accents).
 * - Tasks are steps (action = the task's name, actor = its lane). A task followed by an exclusive
 *   gateway is a decision step (question = the gateway's name, one branch per labelled outgoing flow);
 *   a task followed by an end event is an end step; a task followed by a task has `next`.
 * - The first step is the task after the start event; the others follow in the diagram's reading order
 *   (left to right by the centre of their shapes, then top to bottom), or, for a file without a diagram,
 *   in the order a walk from the start event meets them (then document order).
 * - Step ids and everything a modeller does not show (English texts, inputs, output, time limit, basis,
 *   sources, the CFM's metadata) come from the Pandu extension elements; an element without them takes
 *   them from `base` (the current CFM with that code: same step id, or same action for a new task), so a
 *   modeller edit that only moves boxes or renames a task keeps everything else. What is still missing
 *   is filled and noted (`notes`): an English text with the Indonesian one, an output with
 *   `PLACEHOLDER`, the basis with `inferred`. `bpmn:documentation` is never read.
 * - Compared with `base`, a changed CFM goes back to draft (its confirmation is dropped).
 * - The result is written as the catalogue's YAML and read back with the catalogue's own reader and
 *   flow checks; their problems are reported against the BPMN element they came from (`path` is the
 *   element id, `line` its line in the XML).
 */
import { isDeepStrictEqual } from 'node:util';
import type { ModdleElement } from 'bpmn-moddle';
import { Document, isMap, isScalar, isSeq, parseDocument, Scalar, visit, type Node, type ToStringOptions } from 'yaml';
import { parseYamlSource } from '../read-catalogue-files.js';
import { checkFlow } from '../../core/catalogue/check-flow.js';
import { closest, editDistance } from '../../core/catalogue/field-reader.js';
import type { Problem } from '../../core/catalogue/problems.js';
import { readCfm } from '../../core/catalogue/read-cfm.js';
import { RefCollector } from '../../core/catalogue/references.js';
import type { Catalogue, Cfm, Confirmation, LegalBasis, RuleChange, Source, Unit } from '../../core/catalogue/types.js';
import { bpmnIds, createBpmnModdle } from './export-bpmn.js';

export interface ImportBpmnOptions {
  /** The code of the CFM the diagram becomes (it replaces the CFM with that code, if any). */
  readonly code: string;
  readonly catalogue: Catalogue;
  /** The current CFM with that code: where data the diagram does not hold comes from. */
  readonly base?: Cfm;
  /** The BPMN file's name, for problems (default `<code>.bpmn`). */
  readonly file?: string;
}

export type ImportBpmnResult =
  | {
      readonly ok: true;
      readonly cfm: Cfm;
      /** The CFM as a `cfm/<code>.yaml` file. */
      readonly yaml: string;
      /** True when the CFM differs from `base` (then its status is draft again); false without a base. */
      readonly changed: boolean;
      /** What the import filled in or decided, for the person importing (placeholders, renames). */
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Text put in a required field the diagram and `base` leave empty, to be filled in the YAML. */
export const PLACEHOLDER = '(belum diisi)';
const STEP_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

// ---------------------------------------------------------------------------------------------
// Reading loose moddle elements

function isElement(value: unknown): value is ModdleElement {
  return typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string';
}

function text(el: ModdleElement | undefined, key: string): string | undefined {
  const value = el?.[key];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  return value.trim() === '' ? undefined : value.trim();
}

/** A name as a modeller shows it: line breaks and repeated spaces are layout, not content. */
function name(el: ModdleElement | undefined): string | undefined {
  const value = text(el, 'name');
  return value === undefined ? undefined : value.replace(/\s+/g, ' ');
}

function list(el: ModdleElement | undefined, key: string): ModdleElement[] {
  const value = el?.[key];
  return Array.isArray(value) ? value.filter(isElement) : [];
}

function texts(el: ModdleElement | undefined, key: string): string[] {
  const value = el?.[key];
  return Array.isArray(value) ? value.flatMap((v) => (typeof v === 'string' && v.trim() !== '' ? [v.trim()] : [])) : [];
}

function single(el: ModdleElement | undefined, key: string): ModdleElement | undefined {
  const value = el?.[key];
  return isElement(value) ? value : undefined;
}

function extension(el: ModdleElement | undefined, type: string): ModdleElement | undefined {
  return list(single(el, 'extensionElements'), 'values').find((v) => v.$type === type);
}

/** Lowercase, accents and punctuation dropped: how lane names are compared with unit names. */
export function normaliseName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const namesByCatalogue = new WeakMap<Catalogue, Map<string, Unit>>();

/** Every unit by each of its names (normalised): name, short name, English name, id, aliases. */
function unitNames(catalogue: Catalogue): Map<string, Unit> {
  let names = namesByCatalogue.get(catalogue);
  if (!names) {
    names = new Map<string, Unit>();
    for (const unit of catalogue.units) for (const n of [unit.name, unit.short, unit.nameEn, unit.id, ...unit.aliases]) if (!names.has(normaliseName(n))) names.set(normaliseName(n), unit);
    namesByCatalogue.set(catalogue, names);
  }
  return names;
}

/**
 * The names of the `n` units most like `name`: by edit distance to any of their names, with a bonus for
 * each word they share (allowing a typo), so "Pemohn izin" finds "Pemohon (…)".
 */
export function closestUnits(name: string, units: readonly Unit[], n: number): string[] {
  const target = normaliseName(name);
  const words = target.split(' ').filter((w) => w.length >= 3);
  const score = (unit: Unit) =>
    Math.min(
      ...[unit.name, unit.short, ...unit.aliases].map((variant) => {
        const v = normaliseName(variant);
        const vWords = v.split(' ');
        const shared = words.filter((w) => vWords.some((x) => editDistance(w, x) <= (w.length >= 6 ? 2 : 1))).length;
        return editDistance(target, v) - 4 * shared;
      }),
    );
  return units
    .map((unit) => ({ unit, score: score(unit) }))
    .sort((a, b) => a.score - b.score || a.unit.name.localeCompare(b.unit.name))
    .slice(0, n)
    .map((x) => x.unit.name);
}

/** A step id made from a task's name: lowercase words with dashes, at most five words. */
export function slugStepId(value: string): string {
  const words = normaliseName(value).split(' ').filter(Boolean).slice(0, 5);
  return words.join('-').slice(0, 48).replace(/-+$/, '') || 'langkah';
}

// ---------------------------------------------------------------------------------------------
// The import

type Kind = 'task' | 'gateway' | 'start' | 'end';

interface StepDraft {
  readonly task: ModdleElement;
  id: string;
  /** Where each part of the step came from, to report problems against it. */
  readonly where: { lane?: string; flow?: string; gateway?: string; branches: string[] };
}

/** Problems found while reading the diagram, before there is a CFM to check. */
class Problems {
  readonly list: Problem[] = [];

  constructor(
    private readonly file: string,
    private readonly xml: string,
  ) {}

  add(elementId: string | undefined, message: string, fix: string): void {
    const line = elementId ? lineOfId(this.xml, elementId) : undefined;
    this.list.push({ file: this.file, ...(line === undefined ? {} : { line }), path: elementId ?? '', message, fix });
  }
}

/** The 1-based line of the element with this id in the XML text. */
function lineOfId(xml: string, id: string): number | undefined {
  const at = xml.search(new RegExp(`\\sid="${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
  return at < 0 ? undefined : xml.slice(0, at).split('\n').length;
}

function describe(el: ModdleElement): string {
  const n = name(el);
  const kind = el.$type.replace(/^bpmn:/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${kind} ${el.id ?? '(no id)'}${n ? ` "${n}"` : ''}`;
}

/** Reads a BPMN file as the CFM `opts.code`, checks it like the catalogue would, and writes its YAML. */
export async function importBpmnAsCfm(xml: string, opts: ImportBpmnOptions): Promise<ImportBpmnResult> {
  const file = opts.file ?? `${opts.code}.bpmn`;
  const problems = new Problems(file, xml);
  const notes: string[] = [];
  const { base, catalogue } = opts;

  // 1. Parse.
  let definitions: ModdleElement;
  try {
    const parsed = await createBpmnModdle().fromXML(xml, 'bpmn:Definitions');
    definitions = parsed.rootElement;
    for (const warning of parsed.warnings) {
      problems.add(warning.element?.id, `The BPMN file is not clean BPMN 2.0: ${warning.message.split('\n')[0]}`, 'Save the diagram again from the modeller, or correct the element by hand.');
    }
  } catch (error) {
    problems.add(undefined, `The BPMN file cannot be read: ${(error as Error).message.split('\n')[0]}`, 'Export the diagram again from the modeller as BPMN 2.0 XML.');
    return { ok: false, problems: problems.list };
  }
  if (problems.list.length > 0) return { ok: false, problems: problems.list };

  // 2. The process and its pool.
  const roots = list(definitions, 'rootElements');
  const processes = roots.filter((e) => e.$instanceOf('bpmn:Process'));
  const drawn = processes.filter((p) => list(p, 'flowElements').length > 0);
  if (drawn.length !== 1) {
    if (drawn.length === 0) problems.add(processes[0]?.id, 'The diagram holds no process with tasks.', 'Draw the procedure (start event, tasks, gateways, end events) inside one pool.');
    else for (const p of drawn.slice(1)) problems.add(p.id, `The diagram holds ${drawn.length} processes (pools with tasks); a CFM is one procedure.`, 'Keep the procedure in one pool: move the tasks of the other pools into lanes of the first.');
    return { ok: false, problems: problems.list };
  }
  const process = drawn[0]!;
  const participant = roots.filter((e) => e.$instanceOf('bpmn:Collaboration')).flatMap((c) => list(c, 'participants')).find((p) => p['processRef'] === process);
  const cfmExt = extension(process, 'pandu:Cfm');
  const storedCode = text(cfmExt, 'code');
  if (storedCode && storedCode !== opts.code) notes.push(`The diagram was exported from CFM ${storedCode}; it is imported as ${opts.code}.`);

  // 3. Lanes → actors.
  const laneOfNode = new Map<ModdleElement, ModdleElement>();
  const collectLanes = (laneSet: ModdleElement | undefined): void => {
    for (const lane of list(laneSet, 'lanes')) {
      for (const node of list(lane, 'flowNodeRef')) laneOfNode.set(node, lane);
      collectLanes(single(lane, 'childLaneSet'));
    }
  };
  for (const laneSet of list(process, 'laneSets')) collectLanes(laneSet);
  const units = new Map(catalogue.units.map((u) => [u.id, u]));
  const unitByName = unitNames(catalogue);
  const actorOfLane = new Map<ModdleElement, string | undefined>();
  const laneActor = (lane: ModdleElement): string | undefined => {
    if (actorOfLane.has(lane)) return actorOfLane.get(lane);
    const laneName = name(lane);
    const stored = text(extension(lane, 'pandu:Actor'), 'unit');
    const byName = laneName ? unitByName.get(normaliseName(laneName)) : undefined;
    let actor: string | undefined;
    if (stored && units.has(stored)) {
      actor = stored;
      if (byName && byName.id !== stored) {
        actor = byName.id;
        notes.push(`Lane ${lane.id} was renamed to "${laneName}": its steps now belong to ${byName.id} instead of ${stored}.`);
      } else if (laneName && !byName) notes.push(`Lane ${lane.id} is named "${laneName}", which is no unit's name; its steps stay with ${stored} (${units.get(stored)!.name}).`);
    } else if (byName) actor = byName.id;
    else {
      const near = closestUnits(laneName ?? '', catalogue.units, 3);
      problems.add(
        lane.id,
        laneName ? `Lane ${lane.id} "${laneName}" is not a unit, party or actor of the catalogue.` : `Lane ${lane.id} has no name, so its actor is unknown.`,
        `Name the lane after a unit, e.g. ${near.map((n) => `"${n}"`).join(', ')}, or add the actor to organisation.yaml (or an actors-*.yaml file) first.`,
      );
    }
    actorOfLane.set(lane, actor);
    return actor;
  };

  // 4. Flow nodes and flows.
  const flowElements = list(process, 'flowElements');
  const docIndex = new Map(flowElements.map((e, k) => [e, k]));
  const kindOf = new Map<ModdleElement, Kind>();
  const flows: ModdleElement[] = [];
  for (const el of flowElements) {
    if (el.$instanceOf('bpmn:SequenceFlow')) flows.push(el);
    else if (el.$instanceOf('bpmn:Task')) kindOf.set(el, 'task');
    else if (el.$instanceOf('bpmn:ExclusiveGateway')) kindOf.set(el, 'gateway');
    else if (el.$instanceOf('bpmn:StartEvent')) kindOf.set(el, 'start');
    else if (el.$instanceOf('bpmn:EndEvent')) kindOf.set(el, 'end');
    else if (el.$instanceOf('bpmn:DataObject') || el.$instanceOf('bpmn:DataObjectReference') || el.$instanceOf('bpmn:DataStoreReference')) continue;
    else {
      problems.add(el.id, `The ${describe(el)} has no counterpart in a CFM.`, 'Use only tasks, exclusive gateways (for decisions), one start event and end events; draw a sub-process as its tasks.');
    }
  }
  const outgoing = new Map<ModdleElement, ModdleElement[]>();
  const incoming = new Map<ModdleElement, ModdleElement[]>();
  for (const flow of flows) {
    const source = single(flow, 'sourceRef');
    const target = single(flow, 'targetRef');
    if (!source || !target || !kindOf.has(source) || !kindOf.has(target)) {
      problems.add(flow.id, `Sequence flow ${flow.id} does not connect two elements of the procedure.`, 'Connect both ends of the arrow to a task, gateway or event, or delete it.');
      continue;
    }
    outgoing.set(source, [...(outgoing.get(source) ?? []), flow]);
    incoming.set(target, [...(incoming.get(target) ?? []), flow]);
  }
  // A node's outgoing flows in its own order (the order of the branches), then document order.
  for (const [node, outs] of outgoing) {
    const own = list(node, 'outgoing');
    const rank = (f: ModdleElement) => (own.includes(f) ? own.indexOf(f) : own.length + (docIndex.get(f) ?? 0));
    outs.sort((a, b) => rank(a) - rank(b));
  }
  const target = (flow: ModdleElement) => single(flow, 'targetRef')!;

  const nodes = [...kindOf.keys()];
  const tasks = nodes.filter((n) => kindOf.get(n) === 'task');
  const starts = nodes.filter((n) => kindOf.get(n) === 'start');
  let firstTask: ModdleElement | undefined;
  if (starts.length === 0) problems.add(process.id, 'The diagram has no start event.', 'Put a start event before the first task and connect it to that task.');
  for (const extra of starts.slice(1)) problems.add(extra.id, `The diagram has ${starts.length} start events; a CFM starts at one step.`, 'Keep one start event; connect the other paths to a task instead.');
  if (starts.length === 1) {
    const outs = outgoing.get(starts[0]!) ?? [];
    const to = outs.length === 1 ? target(outs[0]!) : undefined;
    if (!to || kindOf.get(to) !== 'task') problems.add(starts[0]!.id, `The start event ${starts[0]!.id} must lead to exactly one task (it has ${outs.length} outgoing flow${outs.length === 1 ? '' : 's'}${to ? `, to the ${describe(to)}` : ''}).`, 'Connect the start event to the first task with one arrow.');
    else firstTask = to;
  }
  if (tasks.length === 0) problems.add(process.id, 'The diagram has no tasks.', 'Draw each step of the procedure as a task.');
  for (const gateway of nodes.filter((n) => kindOf.get(n) === 'gateway')) {
    const ins = incoming.get(gateway) ?? [];
    const from = ins.map((f) => single(f, 'sourceRef')!);
    if (ins.length !== 1 || kindOf.get(from[0]!) !== 'task') {
      problems.add(gateway.id, `The gateway ${gateway.id}${name(gateway) ? ` "${name(gateway)}"` : ''} must follow exactly one task, the step whose outcome it decides (it has ${ins.length} incoming flow${ins.length === 1 ? '' : 's'}${ins.length === 1 ? `, from the ${describe(from[0]!)}` : ''}).`, 'Draw one arrow from the deciding task into the gateway; let every path that joins later go to a task directly.');
    }
  }

  // 5. Step ids: the extension's (the original keeps it if a task was copied), else base's for the same action, else made from the name.
  const drafts = new Map<ModdleElement, StepDraft>();
  const claimed = new Set<string>();
  const stored = (task: ModdleElement) => {
    const id = text(extension(task, 'pandu:Step'), 'stepId');
    return id && STEP_ID.test(id) ? id : undefined;
  };
  const claim = (task: ModdleElement, id: string) => {
    claimed.add(id);
    drafts.set(task, { task, id, where: { branches: [] } });
  };
  for (const task of tasks) {
    const id = stored(task);
    if (id && task.id === bpmnIds.task(id) && !claimed.has(id)) claim(task, id);
  }
  for (const task of tasks) if (!drafts.has(task) && stored(task) && !claimed.has(stored(task)!)) claim(task, stored(task)!);
  for (const task of tasks) {
    if (drafts.has(task)) continue;
    const action = name(task);
    const match = action ? base?.steps.find((s) => s.action === action && !claimed.has(s.id)) : undefined;
    let id = match?.id ?? slugStepId(action ?? task.id ?? 'langkah');
    for (let n = 2; claimed.has(id); n++) id = `${slugStepId(action ?? 'langkah')}-${n}`;
    if (stored(task)) notes.push(`Task ${task.id} carries the step id "${stored(task)}" of another task (copied in the modeller?); it became step "${id}".`);
    else if (!match) notes.push(`Task ${task.id} is new: it became step "${id}".`);
    claim(task, id);
  }

  // 6. Each task with what follows it.
  interface Built {
    readonly draft: StepDraft;
    readonly flow:
      | { kind: 'task'; next: ModdleElement }
      | { kind: 'end' }
      | { kind: 'decision'; gateway: ModdleElement; question: string; questionEn?: string; branches: { label: string; labelEn?: string; next: ModdleElement; flow: ModdleElement }[] };
  }
  const built = new Map<ModdleElement, Built>();
  for (const task of tasks) {
    const draft = drafts.get(task)!;
    if (!name(task)) problems.add(task.id, `The task ${task.id} has no name.`, 'Name the task with the step\'s action, e.g. "Verifikasi berkas permohonan".');
    const outs = outgoing.get(task) ?? [];
    if (outs.length === 0) {
      problems.add(task.id, `The ${describe(task)} leads nowhere: it has no outgoing flow.`, 'Connect it to the next task, to a gateway (for a decision) or to an end event.');
      continue;
    }
    if (outs.length > 1) {
      problems.add(task.id, `The ${describe(task)} has ${outs.length} outgoing flows; a step leads to one next step.`, 'Put an exclusive gateway after the task and let the flows leave the gateway, each labelled with its outcome.');
      continue;
    }
    const flow = outs[0]!;
    draft.where.flow = flow.id;
    const to = target(flow);
    const kind = kindOf.get(to);
    if (kind === 'task') built.set(task, { draft, flow: { kind: 'task', next: to } });
    else if (kind === 'end') built.set(task, { draft, flow: { kind: 'end' } });
    else if (kind === 'gateway') {
      draft.where.gateway = to.id;
      const branchFlows = outgoing.get(to) ?? [];
      const labelled = branchFlows.filter((f) => name(f));
      if (labelled.length < 2) {
        problems.add(to.id, `The gateway ${to.id}${name(to) ? ` "${name(to)}"` : ''} has ${branchFlows.length} outgoing flow${branchFlows.length === 1 ? '' : 's'}${labelled.length === branchFlows.length ? '' : `, ${labelled.length} of them labelled`}; a decision needs at least two labelled branches.`, 'Draw an arrow for every outcome and name each with its outcome (e.g. "Lengkap", "Belum lengkap"), or delete the gateway and connect the task to its next task.');
        continue;
      }
      let bad = false;
      for (const f of branchFlows) {
        if (!name(f)) {
          problems.add(f.id, `The flow ${f.id} leaves the gateway ${to.id} without a label.`, 'Name the arrow with the outcome it stands for.');
          bad = true;
        } else if (kindOf.get(target(f)) !== 'task') {
          problems.add(f.id, `The branch "${name(f)}" (${f.id}) of the gateway ${to.id} goes to the ${describe(target(f))}, not to a task.`, 'Let every branch lead to a task (the step that follows that outcome); an end event follows the task that ends the procedure.');
          bad = true;
        }
      }
      if (bad) continue;
      const baseStep = base?.steps.find((s) => s.id === draft.id);
      const question = name(to) ?? (baseStep?.kind === 'decision' ? baseStep.question : undefined);
      if (!question) {
        problems.add(to.id, `The gateway ${to.id} has no name; its name is the decision's question.`, 'Name the gateway with the question, e.g. "Apakah berkas lengkap?".');
        continue;
      }
      draft.where.branches = branchFlows.map((f) => f.id ?? '');
      const decisionExt = extension(to, 'pandu:Decision');
      built.set(task, {
        draft,
        flow: {
          kind: 'decision',
          gateway: to,
          question,
          ...optional({ questionEn: text(decisionExt, 'questionEn') }),
          branches: branchFlows.map((f) => ({ label: name(f)!, next: target(f), flow: f, ...optional({ labelEn: text(extension(f, 'pandu:Branch'), 'labelEn') }) })),
        },
      });
    } else problems.add(flow.id, `The flow ${flow.id} from the ${describe(task)} goes to the ${describe(to)}.`, 'Connect the task to the next task, a gateway or an end event.');
  }

  // 7. Actors.
  const actorOf = new Map<ModdleElement, string>();
  for (const task of tasks) {
    const lane = laneOfNode.get(task);
    const draft = drafts.get(task)!;
    if (lane) draft.where.lane = lane.id;
    const actor = lane ? laneActor(lane) : (text(extension(task, 'pandu:Step'), 'actor') ?? base?.steps.find((s) => s.id === draft.id)?.actor);
    if (actor) actorOf.set(task, actor);
    else if (!lane) problems.add(task.id, `The ${describe(task)} lies in no lane, so its actor is unknown.`, 'Move the task into the lane of the unit that does it.');
  }
  if (problems.list.length > 0) return { ok: false, problems: problems.list };

  // 8. Order: the first task, then the diagram's reading order (or a walk from the start).
  const bounds = new Map<ModdleElement, { x: number; y: number }>();
  for (const diagram of list(definitions, 'diagrams')) {
    for (const shape of list(single(diagram, 'plane'), 'planeElement')) {
      const el = single(shape, 'bpmnElement');
      const b = single(shape, 'bounds');
      const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((k) => Number(b?.[k] ?? NaN)) as [number, number, number, number];
      if (el && [x, y, w, h].every(Number.isFinite)) bounds.set(el, { x: x + w / 2, y: y + h / 2 });
    }
  }
  const rest = tasks.filter((t) => t !== firstTask);
  let ordered: ModdleElement[];
  if (rest.every((t) => bounds.has(t))) {
    ordered = rest.sort((a, b) => bounds.get(a)!.x - bounds.get(b)!.x || bounds.get(a)!.y - bounds.get(b)!.y || docIndex.get(a)! - docIndex.get(b)!);
  } else {
    const seen = new Set<ModdleElement>([firstTask!]);
    const queue = [firstTask!];
    ordered = [];
    while (queue.length > 0) {
      const b = built.get(queue.shift()!)!;
      const next = b.flow.kind === 'task' ? [b.flow.next] : b.flow.kind === 'decision' ? b.flow.branches.map((x) => x.next) : [];
      for (const n of next) {
        if (!seen.has(n)) {
          seen.add(n);
          ordered.push(n);
          queue.push(n);
        }
      }
    }
    ordered.push(...rest.filter((t) => !seen.has(t)).sort((a, b) => docIndex.get(a)! - docIndex.get(b)!));
  }
  ordered.unshift(firstTask!);

  // 9. The steps, with data from the extension, else from base.
  const steps: Record<string, unknown>[] = [];
  const drafted: StepDraft[] = [];
  const idOf = (task: ModdleElement) => drafts.get(task)!.id;
  for (const task of ordered) {
    const { draft, flow } = built.get(task)!;
    drafted.push(draft);
    const ext = extension(task, 'pandu:Step');
    const baseStep = base?.steps.find((s) => s.id === draft.id);
    const action = name(task)!;
    const fill = (field: string, value: string | undefined, fallback: string): string => {
      if (value !== undefined) return value;
      notes.push(`Step "${draft.id}" (${task.id}) has no ${field}: it was set to "${fallback}"; correct it in the YAML.`);
      return fallback;
    };
    if (baseStep && baseStep.action !== action) notes.push(`Step "${draft.id}" was renamed from "${baseStep.action}" to "${action}"; check its English text ("${text(ext, 'actionEn') ?? baseStep.actionEn}").`);
    const basis = text(ext, 'basis');
    const slaDays = ext ? ext['slaDays'] : baseStep?.slaDays;
    const step: Record<string, unknown> = {
      id: draft.id,
      actor: actorOf.get(task),
      action,
      actionEn: fill('English action', text(ext, 'actionEn') ?? baseStep?.actionEn, action),
      inputs: ext ? texts(ext, 'input') : [...(baseStep?.inputs ?? [])],
      output: fill('output', text(ext, 'output') ?? baseStep?.output, PLACEHOLDER),
      slaDays: typeof slaDays === 'number' ? slaDays : undefined,
      slaNote: ext ? text(ext, 'slaNote') : baseStep?.slaNote,
    };
    if (flow.kind === 'task') step['next'] = idOf(flow.next);
    else if (flow.kind === 'end') step['end'] = true;
    else {
      const baseDecision = baseStep?.kind === 'decision' ? baseStep : undefined;
      const question = flow.question;
      if (baseDecision && question !== baseDecision.question) notes.push(`The question of step "${draft.id}" changed from "${baseDecision.question}" to "${question}"; check its English text.`);
      step['decision'] = { question, questionEn: fill('English question', flow.questionEn ?? baseDecision?.questionEn, question) };
      step['branches'] = flow.branches.map((b) => ({
        label: b.label,
        labelEn: fill(`English label for the branch "${b.label}"`, b.labelEn ?? baseDecision?.branches.find((x) => x.label === b.label)?.labelEn, b.label),
        next: idOf(b.next),
      }));
    }
    step['basis'] = basis === 'sourced' || basis === 'inferred' ? basis : (baseStep?.basis ?? 'inferred');
    const source = ext ? texts(ext, 'sourceRef') : [...(baseStep?.source ?? [])];
    if (source.length > 0) step['source'] = source;
    steps.push(step);
  }

  // 10. The CFM's metadata, from the process's extension, else from base.
  const participantName = name(participant);
  const titleFromPool = participantName?.replace(new RegExp(`^(${[opts.code, storedCode].filter(Boolean).map((c) => c!.replace(/\./g, '\\.')).join('|')})\\s+`), '');
  const meta = <T>(fromExt: T | undefined, fromBase: T | undefined): T | undefined => (cfmExt ? fromExt : fromBase);
  const status = text(cfmExt, 'status') ?? base?.status ?? 'draft';
  const confirmationExt = single(cfmExt, 'confirmation');
  const confirmation: Confirmation | undefined = meta(
    confirmationExt && text(confirmationExt, 'by') && text(confirmationExt, 'at') ? { by: text(confirmationExt, 'by')!, at: text(confirmationExt, 'at')!, ...optional({ catalogueVersion: text(confirmationExt, 'catalogueVersion'), fingerprint: text(confirmationExt, 'fingerprint') }) } : undefined,
    base?.confirmation,
  );
  const raw: Record<string, unknown> = {
    code: opts.code,
    subprocess: text(cfmExt, 'subprocess') ?? base?.subprocess,
    title: titleFromPool || name(process) || base?.title,
    titleEn: text(cfmExt, 'titleEn') ?? base?.titleEn,
    printedTitle: meta(text(cfmExt, 'printedTitle'), base?.printedTitle),
    owner: text(cfmExt, 'owner') ?? base?.owner,
    status,
    confirmation,
    summary: text(cfmExt, 'summary') ?? base?.summary,
    summaryEn: text(cfmExt, 'summaryEn') ?? base?.summaryEn,
    legalBasis: cfmExt ? list(cfmExt, 'legalBasis').map((l): Partial<LegalBasis> => ({ ref: text(l, 'ref'), status: text(l, 'status') as LegalBasis['status'], note: text(l, 'note') })) : (base?.legalBasis ?? []),
    sources: cfmExt ? list(cfmExt, 'source').map((s): Partial<Source> => ({ id: text(s, 'sourceId'), title: text(s, 'title'), url: text(s, 'url') })) : (base?.sources ?? []),
    changes: cfmExt ? list(cfmExt, 'change').map((c): Partial<RuleChange> => ({ since: text(c, 'since'), ref: text(c, 'ref'), note: text(c, 'note'), noteEn: text(c, 'noteEn') })) : (base?.changes ?? []),
    steps,
  };

  // 11. A change sends a confirmed CFM back to draft.
  let changed = false;
  if (base) {
    const comparable = (c: unknown) => {
      const { status: _s, confirmation: _c, ...restOf } = JSON.parse(JSON.stringify(c)) as Record<string, unknown>;
      return restOf;
    };
    const asCfm = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
    (asCfm['steps'] as Record<string, unknown>[]).forEach((s) => normaliseStepShape(s));
    changed = !isDeepStrictEqual(comparable(asCfm), comparable(base));
    if (changed) {
      if (raw['status'] !== 'draft') notes.push(`The CFM changed, so its status was set back from "${String(raw['status'])}" to draft; the owner unit confirms it again.`);
      raw['status'] = 'draft';
      delete raw['confirmation'];
    }
  }

  // 12. Write it as the catalogue's YAML, and check it with the catalogue's own reader.
  const yaml = cfmYaml(raw);
  const checked = checkCfmYaml(yaml, opts.code, catalogue);
  if (!checked.cfm || checked.problems.length > 0) {
    for (const p of checked.problems) {
      const id = elementFor(p.path, drafted, process.id, participant?.id);
      problems.add(id, `${p.message}${p.path ? ` (${p.path} in the CFM)` : ''}`, p.fix);
    }
    if (problems.list.length === 0) problems.add(process.id, 'The imported CFM could not be read back.', 'Report this as a bug in the BPMN import.');
    return { ok: false, problems: problems.list };
  }
  return { ok: true, cfm: checked.cfm, yaml, changed, notes };
}

/** Turns a step in the file's shape (`decision: {question}`, `end: true`) into the catalogue's shape, for comparing. */
function normaliseStepShape(step: Record<string, unknown>): void {
  if (step['next'] !== undefined) step['kind'] = 'task';
  else if (step['end'] !== undefined) {
    step['kind'] = 'end';
    delete step['end'];
  } else {
    step['kind'] = 'decision';
    const decision = step['decision'] as Record<string, unknown>;
    step['question'] = decision['question'];
    step['questionEn'] = decision['questionEn'];
    delete step['decision'];
  }
  if (step['source'] === undefined) step['source'] = [];
}

/** The BPMN element a problem at this path of the CFM file came from. */
function elementFor(path: string, steps: readonly StepDraft[], processId: string | undefined, participantId: string | undefined): string | undefined {
  const m = /^steps\[(\d+)\](?:\.([A-Za-z]+)(?:\[(\d+)\])?)?/.exec(path);
  if (!m) return path === 'title' ? (participantId ?? processId) : processId;
  const step = steps[Number(m[1])];
  if (!step) return processId;
  const field = m[2];
  if (field === 'next') return step.where.flow ?? step.task.id;
  if (field === 'branches') return (m[3] !== undefined ? step.where.branches[Number(m[3])] : undefined) ?? step.where.gateway ?? step.task.id;
  if (field === 'decision') return step.where.gateway ?? step.task.id;
  if (field === 'actor') return step.where.lane ?? step.task.id;
  return step.task.id;
}

/** Reads a CFM file's text with the catalogue's reader and checks its references and flow. */
export function checkCfmYaml(yaml: string, code: string, catalogue: Catalogue): { cfm?: Cfm; problems: Problem[] } {
  const problems: Problem[] = [];
  const doc = parseYamlSource(`cfm/${code}.yaml`, yaml, problems);
  if (!doc) return { problems };
  const refs = new RefCollector();
  const read = readCfm(doc, refs);
  const units = new Map(catalogue.units.map((u) => [u.id, u]));
  for (const ref of refs.refs) {
    let candidates: string[];
    let what: string;
    if (ref.kind === 'subprocess') {
      candidates = catalogue.subprocesses.map((s) => s.code);
      what = 'a sub-process in processes.yaml';
    } else if (ref.kind === 'internal-unit') {
      candidates = catalogue.units.filter((u) => u.kind === 'internal').map((u) => u.id);
      what = 'an internal unit (under "units:" in organisation.yaml)';
    } else {
      candidates = catalogue.units.map((u) => u.id);
      what = 'a unit, party or actor in organisation.yaml';
    }
    if (candidates.includes(ref.value)) continue;
    const near = closest(ref.value, candidates);
    const exists = units.get(ref.value);
    ref.reader.report(ref.path, exists ? `"${ref.value}" is an outside party, but ${what} is needed here.` : `"${ref.value}" is not ${what}.`, near ? `Did you mean "${near}"?` : `Use one of: ${candidates.slice(0, 12).join(', ')}${candidates.length > 12 ? ', …' : ''}.`);
  }
  if (read.cfm) checkFlow({ ...read, cfm: read.cfm });
  problems.push(...read.reader.problems);
  return { ...(read.cfm ? { cfm: read.cfm } : {}), problems };
}

function optional<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------------------------
// YAML in the catalogue's style

const YAML_OPTIONS: ToStringOptions = { lineWidth: 0, flowCollectionPadding: false };
const CFM_KEYS = ['code', 'subprocess', 'title', 'titleEn', 'printedTitle', 'owner', 'status', 'confirmation', 'summary', 'summaryEn', 'legalBasis', 'sources', 'changes', 'steps'];
const STEP_KEYS = ['id', 'actor', 'action', 'actionEn', 'inputs', 'output', 'slaDays', 'slaNote', 'next', 'decision', 'branches', 'end', 'basis', 'source'];
const FLOW_LINE = 120;

/** The files' key order of the entries under each key. */
const NESTED_KEYS: Readonly<Record<string, readonly string[]>> = {
  confirmation: ['by', 'at', 'catalogueVersion', 'fingerprint'],
  legalBasis: ['ref', 'status', 'note'],
  sources: ['id', 'title', 'url'],
  changes: ['since', 'ref', 'note', 'noteEn'],
  decision: ['question', 'questionEn'],
  branches: ['label', 'labelEn', 'next'],
};

/** Keys in the files' order (also inside entries), empty optional values dropped. */
function ordered(obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...keys, ...Object.keys(obj).filter((k) => !keys.includes(k))]) {
    const value = obj[key];
    if (value === undefined || value === null) continue;
    const inner = NESTED_KEYS[key] ?? [];
    out[key] = isPlainObject(value) ? ordered(value, inner) : Array.isArray(value) ? value.map((v) => (isPlainObject(v) ? ordered(v, inner) : v)) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A CFM (in the file's shape, or a `Cfm`) as the text of its `cfm/<code>.yaml` file. */
export function cfmYaml(cfm: Record<string, unknown> | Cfm): string {
  const data = ordered({ ...cfm }, CFM_KEYS);
  if (Array.isArray(data['changes']) && data['changes'].length === 0) delete data['changes'];
  data['steps'] = ((cfm.steps as readonly Record<string, unknown>[] | undefined) ?? []).map((s) => ordered(stepInFileShape(s), STEP_KEYS));
  const doc = new Document(data);
  const root = doc.contents;
  if (!isMap(root)) return doc.toString(YAML_OPTIONS);
  const folded = (node: unknown, min: number) => {
    if (isScalar(node) && typeof node.value === 'string' && node.value.length > min) node.type = Scalar.BLOCK_FOLDED;
  };
  folded(root.get('summary', true), 80);
  folded(root.get('summaryEn', true), 80);
  const flowItems = (node: unknown) => {
    if (isSeq(node)) for (const item of node.items) if (isMap(item)) item.flow = true;
  };
  const confirmation = root.get('confirmation', true);
  if (isMap(confirmation)) confirmation.flow = true;
  flowItems(root.get('legalBasis', true));
  flowItems(root.get('sources', true));
  const changes = root.get('changes', true);
  if (isSeq(changes)) for (const change of changes.items) if (isMap(change)) folded(change.get('note', true), 100);
  const steps = root.get('steps', true);
  if (isSeq(steps)) {
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      const inputs = step.get('inputs', true);
      if (isSeq(inputs)) {
        const values = inputs.items.map((i) => String(isScalar(i) ? i.value : ''));
        inputs.flow = values.length === 0 || `    inputs: [${values.join(', ')}]`.length <= FLOW_LINE;
      }
      const source = step.get('source', true);
      if (isSeq(source)) source.flow = true;
      flowItems(step.get('branches', true));
    }
  }
  // Words YAML 1.1 readers take for booleans or null stay text, and so do addresses inside {…}.
  visit(doc, {
    Scalar(key, node, path) {
      if (key === 'key' || typeof node.value !== 'string') return;
      const parent = path[path.length - 2];
      if (/^(y|yes|n|no|true|false|on|off|null|~)$/i.test(node.value) || (isMap(parent) && parent.flow && node.value.includes(':'))) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return wrapFolded(doc.toString(YAML_OPTIONS));
}

const FOLD_WIDTH = 106;

/** The folded blocks (`key: >-` and their simple content lines) of a YAML text: start line, end line, text. */
function foldedBlocks(lines: readonly string[]): { start: number; end: number; text: string; lines: string[] }[] {
  const out: { start: number; end: number; text: string; lines: string[] }[] = [];
  for (let k = 0; k < lines.length; k++) {
    if (!/:\s>-$/.test(lines[k]!)) continue;
    // The column of the key: `  - note: >-` has its key at column 4.
    const keyIndent = /^[ -]*/.exec(lines[k]!)![0].length;
    const content: string[] = [];
    let end = k + 1;
    for (; end < lines.length; end++) {
      const line = lines[end]!;
      if (line.trim() === '' || /^\s*/.exec(line)![0].length <= keyIndent) break;
      content.push(line.trim());
    }
    if (content.length > 0) out.push({ start: k + 1, end, text: content.join(' '), lines: content });
  }
  return out;
}

/**
 * Wraps the long line of each folded block (`key: >-`) at spaces, as the files are written, keeping
 * the line breaks of `previous` (the existing file) for a text that did not change. Splitting a folded
 * line at a single space does not change its value.
 */
function wrapFolded(text: string, previous?: string): string {
  const kept = new Map((previous ? foldedBlocks(previous.split('\n')) : []).map((b) => [b.text, b.lines]));
  const lines = text.split('\n');
  const out: string[] = [];
  let at = 0;
  for (const block of foldedBlocks(lines)) {
    out.push(...lines.slice(at, block.start));
    const indent = /^\s*/.exec(lines[block.start]!)![0];
    const old = kept.get(block.text);
    if (old) out.push(...old.map((l) => indent + l));
    else if (block.lines.length === 1 && !/\s\s/.test(block.text)) {
      let current = '';
      for (const word of block.text.split(' ')) {
        if (current !== '' && indent.length + current.length + 1 + word.length > FOLD_WIDTH) {
          out.push(indent + current);
          current = word;
        } else current = current === '' ? word : `${current} ${word}`;
      }
      out.push(indent + current);
    } else out.push(...lines.slice(block.start, block.end));
    at = block.end;
  }
  out.push(...lines.slice(at));
  return out.join('\n');
}

/** A step of the catalogue (`kind`, `question`) in the file's shape (`decision: {…}`, `end: true`). */
function stepInFileShape(step: Record<string, unknown>): Record<string, unknown> {
  const { kind, question, questionEn, ...rest } = step;
  if (kind === undefined) return { ...rest };
  const out: Record<string, unknown> = { ...rest };
  if (kind === 'decision') out['decision'] = { question, questionEn };
  if (kind === 'end') out['end'] = true;
  if (Array.isArray(out['source']) && out['source'].length === 0) delete out['source'];
  return out;
}

/**
 * Carries what a person wrote by hand in an existing CFM file over to a new text of it, so that a
 * re-import changes only what changed: the leading comment block, comments before keys and list
 * entries, quoting and flow style of values that did not change, and the order of keys in entries
 * whose keys did not change. Steps are matched by id, other list entries by position.
 */
export function keepComments(yaml: string, existing: string): string {
  const next = parseDocument(yaml);
  const old = parseDocument(existing);
  if (old.errors.length > 0 || next.errors.length > 0) return yaml;
  carry(old.contents, next.contents);
  if (old.commentBefore) next.commentBefore = old.commentBefore;
  if (old.comment) next.comment = old.comment;
  return wrapFolded(next.toString(YAML_OPTIONS), existing);
}

function carry(from: unknown, to: unknown): void {
  if (!isNodeLike(from) || !isNodeLike(to)) return;
  if (from.commentBefore && !to.commentBefore) to.commentBefore = from.commentBefore;
  if (from.comment && !to.comment) to.comment = from.comment;
  if (isScalar(from) && isScalar(to)) {
    if (from.value === to.value && from.type) to.type = from.type;
  } else if (isMap(from) && isMap(to)) {
    to.flow = from.flow;
    const keyOf = (pair: { key: unknown }) => (isScalar(pair.key) ? pair.key.value : undefined);
    const oldKeys = from.items.map(keyOf);
    if (oldKeys.length === to.items.length && to.items.every((p) => oldKeys.includes(keyOf(p)))) to.items.sort((a, b) => oldKeys.indexOf(keyOf(a)) - oldKeys.indexOf(keyOf(b)));
    for (const pair of to.items) {
      const match = from.items.find((p) => keyOf(p) === keyOf(pair));
      if (!match) continue;
      carry(match.key, pair.key);
      carry(match.value, pair.value);
    }
  } else if (isSeq(from) && isSeq(to)) {
    if (from.items.length === to.items.length) to.flow = from.flow;
    const idOf = (item: unknown) => (isMap(item) ? item.get('id') : undefined);
    to.items.forEach((item, k) => {
      const id = idOf(item);
      carry(typeof id === 'string' ? from.items.find((o) => idOf(o) === id) : from.items[k], item);
    });
  }
}

function isNodeLike(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value);
}
