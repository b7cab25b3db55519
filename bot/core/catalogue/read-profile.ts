import { FieldReader, isObj, type Obj, type SourceDoc } from './field-reader.js';
import type { PathPart } from './problems.js';
import type { RefCollector } from './references.js';
import type { DecreeNote, Profile, Target } from './types.js';

const PROFILE_FIELDS = ['decree', 'rpjmd', 'targets', 'department', 'staff', 'resources', 'decreeNotes'];

/**
 * Reads `profile.yaml`: the decree's facts about the department. Only the fields the bot uses are
 * checked strictly; the rest is kept as written, for onboarding to show.
 */
export function readProfile(doc: SourceDoc, refs: RefCollector): { reader: FieldReader; profile?: Profile; targets: Target[] } {
  const reader = new FieldReader(doc);
  const root = reader.object(doc.data, [], PROFILE_FIELDS);
  if (!root) return { reader, targets: [] };
  const targets = reader.list(root, 'targets', [], (value, path) => readTarget(reader, value, path), { nonEmpty: true });
  const decree = section(reader, root, 'decree');
  const rpjmd = section(reader, root, 'rpjmd');
  const department = section(reader, root, 'department');
  const staff = section(reader, root, 'staff');
  const resources = section(reader, root, 'resources');
  const decreeNotes = reader.list(root, 'decreeNotes', [], (value, path) => readNote(reader, value, path), { nonEmpty: true });
  if (!decree || !rpjmd || !department || !staff || !resources) return { reader, targets };
  const number = reader.text(decree, 'number', ['decree']);
  const title = reader.text(decree, 'title', ['decree']);
  const vision = reader.text(rpjmd, 'vision', ['rpjmd']);
  const visionEn = reader.text(rpjmd, 'visionEn', ['rpjmd']);
  const missions = reader.texts(rpjmd, 'missions', ['rpjmd'], { nonEmpty: true });
  const goals = reader.texts(rpjmd, 'goals', ['rpjmd'], { nonEmpty: true });
  const objectives = reader.texts(rpjmd, 'objectives', ['rpjmd'], { nonEmpty: true });
  const name = reader.text(department, 'name', ['department']);
  const task = reader.text(department, 'task', ['department']);
  const taskEn = reader.text(department, 'taskEn', ['department']);
  const functions = reader.texts(department, 'functions', ['department'], { nonEmpty: true });
  const functionsEn = reader.texts(department, 'functionsEn', ['department'], { nonEmpty: true });
  const upt = reader.texts(department, 'upt', ['department'], { nonEmpty: true });
  upt.forEach((u, i) => refs.add(reader, ['department', 'upt', i], 'internal-unit', u));
  const total = reader.integer(staff, 'total', ['staff'], { min: 1 });
  if ([number, title, vision, visionEn, name, task, taskEn, total].some((v) => v === undefined)) return { reader, targets };
  const profile: Profile = {
    decree: { ...decree, number: number!, title: title! },
    rpjmd: { ...rpjmd, vision: vision!, visionEn: visionEn!, missions, goals, objectives },
    department: { ...department, name: name!, task: task!, taskEn: taskEn!, functions, functionsEn, upt },
    staff: { ...staff, total: total! },
    resources,
    decreeNotes,
  };
  return { reader, profile, targets };
}

function section(reader: FieldReader, root: Obj, key: string): Obj | undefined {
  const value = root[key];
  if (!isObj(value)) {
    reader.report([key], `The section "${key}" is missing or is not a mapping.`, `Add a "${key}:" section with its fields.`);
    return undefined;
  }
  return value;
}

function readTarget(reader: FieldReader, value: unknown, path: readonly PathPart[]): Target | undefined {
  const obj = reader.object(value, path, ['id', 'title', 'titleEn', 'indicators']);
  if (!obj) return undefined;
  const id = reader.text(obj, 'id', path);
  const title = reader.text(obj, 'title', path);
  const titleEn = reader.text(obj, 'titleEn', path);
  const indicators = reader.texts(obj, 'indicators', path);
  return id && title && titleEn ? { id, title, titleEn, indicators } : undefined;
}

function readNote(reader: FieldReader, value: unknown, path: readonly PathPart[]): DecreeNote | undefined {
  const obj = reader.object(value, path, ['id', 'where', 'note', 'resolution']);
  if (!obj) return undefined;
  const id = reader.text(obj, 'id', path);
  const where = reader.text(obj, 'where', path);
  const note = reader.text(obj, 'note', path);
  const resolution = reader.text(obj, 'resolution', path);
  return id && where && note && resolution ? { id, where, note, resolution } : undefined;
}
