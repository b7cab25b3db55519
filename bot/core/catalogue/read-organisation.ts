import { compact, FieldReader, type Obj, type SourceDoc } from './field-reader.js';
import type { PathPart } from './problems.js';
import type { RefCollector } from './references.js';
import { EXTERNAL_UNIT_TYPES, INTERNAL_UNIT_TYPES, type Unit } from './types.js';

const UNIT_FIELDS = ['id', 'name', 'nameEn', 'short', 'kind', 'type', 'group', 'aliases', 'description', 'descriptionEn', 'inDecree'];
const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Reads `organisation.yaml`: internal units, relation-map parties and other outside actors. */
export function readOrganisation(doc: SourceDoc, refs: RefCollector): UnitsRead {
  const reader = new FieldReader(doc);
  const root = reader.object(doc.data, [], ['units', 'parties', 'actors']);
  if (!root) return { reader, units: [] };
  const units: PlacedUnit[] = [];
  for (const section of ['units', 'parties', 'actors'] as const) {
    const expectedKind = section === 'units' ? 'internal' : 'external';
    units.push(...reader.list(root, section, [], (value, path) => place(readUnit(reader, refs, value, path, expectedKind), path), { nonEmpty: section !== 'actors', optional: section === 'actors' }));
  }
  return { reader, units };
}

/** A unit and where it stands in its file. */
export interface PlacedUnit {
  readonly unit: Unit;
  readonly path: readonly PathPart[];
}

export interface UnitsRead {
  readonly reader: FieldReader;
  readonly units: readonly PlacedUnit[];
}

function place(unit: Unit | undefined, path: readonly PathPart[]): PlacedUnit | undefined {
  return unit ? { unit, path } : undefined;
}

/** Reads extra outside actors kept in their own file (a list of unit entries). */
export function readExtraActors(doc: SourceDoc, refs: RefCollector): UnitsRead {
  const reader = new FieldReader(doc);
  if (!Array.isArray(doc.data)) {
    reader.report([], 'This file must be a YAML list of actors ("- id: ...").', 'Write one "- id: ..." entry per actor, as under "actors:" in organisation.yaml.');
    return { reader, units: [] };
  }
  const units: PlacedUnit[] = [];
  doc.data.forEach((value, i) => {
    const placed = place(readUnit(reader, refs, value, [i], 'external'), [i]);
    if (placed) units.push(placed);
  });
  return { reader, units };
}

function readUnit(reader: FieldReader, refs: RefCollector, value: unknown, path: readonly (string | number)[], expectedKind: 'internal' | 'external'): Unit | undefined {
  const obj: Obj | undefined = reader.object(value, path, UNIT_FIELDS);
  if (!obj) return undefined;
  const id = reader.text(obj, 'id', path);
  if (id !== undefined && !ID_PATTERN.test(id)) {
    reader.report([...path, 'id'], `The id "${id}" has characters other than lowercase letters, digits and dashes.`, 'Write ids in lowercase with dashes, e.g. "bidang-rehsos".');
  }
  const kind = reader.oneOf(obj, 'kind', path, ['internal', 'external']);
  if (kind !== undefined && kind !== expectedKind) {
    reader.report([...path, 'kind'], `"kind" is ${kind}, but this list holds ${expectedKind} units.`, `Set kind: ${expectedKind}, or move the entry to the right list.`);
  }
  const types = expectedKind === 'internal' ? INTERNAL_UNIT_TYPES : EXTERNAL_UNIT_TYPES;
  const type = reader.oneOf(obj, 'type', path, types);
  const group = reader.text(obj, 'group', path, { optional: true });
  refs.add(reader, [...path, 'group'], 'relation-party', group);
  const name = reader.text(obj, 'name', path);
  const nameEn = reader.text(obj, 'nameEn', path);
  const short = reader.text(obj, 'short', path);
  const aliases = reader.texts(obj, 'aliases', path, { optional: true });
  const description = reader.text(obj, 'description', path, { optional: true });
  const descriptionEn = reader.text(obj, 'descriptionEn', path, { optional: true });
  const inDecree = reader.bool(obj, 'inDecree', path) ?? true;
  if (id === undefined || name === undefined || nameEn === undefined || short === undefined || type === undefined) return undefined;
  return { id, name, nameEn, short, kind: expectedKind, type, aliases, inDecree, ...compact({ group, description, descriptionEn }) };
}
