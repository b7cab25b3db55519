import type { Catalogue, Process, Unit } from '../catalogue/types.js';
import { formatWita } from '../format/wita-time.js';
import { pick, t, type Lang } from '../i18n/messages.js';
import { onboardingUnits, processOfCfm, type CheckQuestion, type OnboardingItem } from '../onboarding/onboarding-path.js';
import { figuresOf, nextItem, type OnboardingDoc } from '../onboarding/onboarding-progress.js';
import type { OnboardingSummary, TeamMember } from '../onboarding/onboarding-team.js';
import type { ButtonView, CardView } from './card-view.js';
import { button, helpButton, processListButton } from './shared-buttons.js';
import type { ButtonData } from './verbs.js';

/** A button that replaces its card in place (Action.Execute) with an Action.Submit fallback. */
interface ExecuteButton extends ButtonView {
  readonly verb: string;
}

const execute = (title: string, data: ButtonData): ExecuteButton => ({ ...button(title, data), verb: data.verb });
const LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;

/** A person's path, their progress and the catalogue: what every item card needs. */
export interface PathContext {
  readonly catalogue: Catalogue;
  readonly path: readonly OnboardingItem[];
  readonly doc: OnboardingDoc;
}

/** The card that asks for the person's unit: the internal units as buttons, grouped (≤ 5 per row). */
export function onboardingUnitsView(catalogue: Catalogue, lang: Lang, current?: string, note?: string): CardView {
  const units = onboardingUnits(catalogue);
  const groups = (['pimpinan', 'sekretariat', 'bidang', 'upt'] as const).flatMap((type) => {
    const members = units.filter((u) => u.type === type);
    const label = t(lang, `onboarding.units.group.${type}`);
    return chunks(members, 5).map((part) => ({ label, buttons: part.map((u) => execute(u.short, { verb: 'onboarding.unit', unit: u.id })) }));
  });
  const currentUnit = units.find((u) => u.id === current);
  const notes = [...(note ? [note] : []), ...(currentUnit ? [t(lang, 'onboarding.units.current', { unit: pick(lang, currentUnit.name, currentUnit.nameEn) })] : [])];
  return {
    template: 'onboarding-units',
    data: {
      lang,
      fallback: `${t(lang, 'onboarding.units.title')}: ${units.map((u) => u.short).join(', ')}`,
      title: t(lang, 'onboarding.units.title'),
      body: t(lang, 'onboarding.units.body'),
      notes: notes.map((text) => ({ text })),
      hasNotes: notes.length > 0,
      groups,
    },
  };
}

/** The short title of an item, for the checklist, notices and the skip note. */
export function itemTitle(catalogue: Catalogue, item: OnboardingItem, lang: Lang): string {
  switch (item.kind) {
    case 'intro':
      return t(lang, 'onboarding.item.intro');
    case 'process-map':
      return t(lang, 'onboarding.item.map');
    case 'unit':
      return t(lang, 'onboarding.item.unit', { unit: unitName(catalogue, item.unit, lang) });
    case 'tour': {
      const cfm = catalogue.cfms.find((c) => c.code === item.cfm);
      return t(lang, 'onboarding.item.tour', { code: item.cfm, title: cfm ? shorten(pick(lang, cfm.title, cfm.titleEn), 70) : '' });
    }
    case 'check':
      return t(lang, item.check.type === 'who' ? 'onboarding.item.checkWho' : 'onboarding.item.checkNext', { code: item.check.cfm });
    case 'complete':
      return t(lang, 'onboarding.item.complete');
  }
}

/**
 * The card of one item of the path: the department in brief, the process map, the unit, a CFM tour,
 * a check question (with its feedback once answered) or the completion card.
 */
export function onboardingItemView(pc: PathContext, item: OnboardingItem, lang: Lang, notes: readonly string[] = []): CardView {
  switch (item.kind) {
    case 'intro':
      return introView(pc, lang, notes);
    case 'process-map':
      return processMapView(pc, item, lang, notes);
    case 'unit':
      return unitItemView(pc, item, lang, notes);
    case 'tour':
      return tourView(pc, item, lang, notes);
    case 'check':
      return checkView(pc, item, item.check, lang, notes);
    case 'complete':
      return completeView(pc, lang, notes);
  }
}

/** "Orientasi saya": every item with its status (done, next, skipped, to do), each opens its card. */
export function onboardingChecklistView(pc: PathContext, lang: Lang, notes: readonly string[] = []): CardView {
  const { catalogue, path, doc } = pc;
  const next = doc.completedAt ? undefined : nextItem(path, doc);
  const figures = figuresOf(path, doc);
  const rows = path.map((item) => {
    const progress = doc.items[item.id];
    const status = progress?.status === 'done' ? 'done' : item === next ? 'next' : progress?.status === 'skipped' ? 'skipped' : 'todo';
    const icon = { done: '✅', next: '➡️', skipped: '⏭️', todo: '⬜' }[status];
    return { icon, title: itemTitle(catalogue, item, lang), status: t(lang, `onboarding.status.${status}`), data: button('', { verb: 'onboarding.open', item: item.id }).data };
  });
  const allNotes = [...notes, ...(doc.completedAt ? [t(lang, 'onboarding.list.completed', { date: formatWita(doc.completedAt, lang) })] : [])];
  const summary = t(lang, 'onboarding.list.summary', { unit: unitName(catalogue, doc.unit, lang), done: figures.done, total: figures.total, skipped: figures.skipped });
  return {
    template: 'onboarding-checklist',
    data: {
      lang,
      fallback: `${t(lang, 'onboarding.list.title')}: ${summary}`,
      title: t(lang, 'onboarding.list.title'),
      summary,
      score: t(lang, 'onboarding.list.score', { correct: figures.correct, answered: figures.answered }),
      hasScore: figures.answered > 0,
      notes: allNotes.map((text) => ({ text })),
      hasNotes: allNotes.length > 0,
      rows,
      actions: [
        ...(next ? [button(t(lang, 'onboarding.button.continue'), { verb: 'onboarding.next' })] : []),
        button(t(lang, 'onboarding.button.changeUnit'), { verb: 'onboarding.pick' }),
      ],
    },
  };
}

/** Nothing started yet: say how to start. */
export function onboardingNotStartedView(lang: Lang): CardView {
  return {
    template: 'onboarding-checklist',
    data: {
      lang,
      fallback: t(lang, 'onboarding.list.none'),
      title: t(lang, 'onboarding.list.title'),
      summary: t(lang, 'onboarding.list.none'),
      score: '',
      hasScore: false,
      notes: [],
      hasNotes: false,
      rows: [],
      actions: [button(t(lang, 'onboarding.button.start'), { verb: 'onboarding.start' })],
    },
  };
}

/** "Progres orientasi tim": each new employee of the manager's units with their figures. */
export function onboardingTeamView(catalogue: Catalogue, members: readonly TeamMember[], unitIds: readonly string[], lang: Lang): CardView {
  const units = unitIds.includes('*') || unitIds.length === 0 ? t(lang, 'onboarding.team.everyone') : unitIds.map((id) => unitShort(catalogue, id)).join(', ');
  const rows = members.map((m) => ({ name: m.name, lines: teamLines(catalogue, m.unit, m.summary, lang).map((text) => ({ text })) }));
  return {
    template: 'onboarding-team',
    data: {
      lang,
      fallback: `${t(lang, 'onboarding.team.title')}: ${rows.length}`,
      title: t(lang, 'onboarding.team.title'),
      body: t(lang, 'onboarding.team.body', { units }),
      rows,
      hasRows: rows.length > 0,
      none: t(lang, 'onboarding.team.none'),
    },
  };
}

/** The friendly nudge sent to a person whose path stalled. */
export function onboardingNudgeView(pc: PathContext, name: string, lang: Lang): CardView {
  const figures = figuresOf(pc.path, pc.doc);
  const next = nextItem(pc.path, pc.doc);
  const body = t(lang, 'onboarding.nudge.body', { name, done: figures.done, total: figures.total, next: itemTitle(pc.catalogue, next, lang) });
  return noticeView(pc, lang, t(lang, 'onboarding.nudge.title'), body, [execute(t(lang, 'onboarding.button.continue'), { verb: 'onboarding.start' })]);
}

/** The notice to a manager that someone of their unit completed the orientation. */
export function onboardingCompletedNoticeView(pc: PathContext, name: string, lang: Lang): CardView {
  const figures = figuresOf(pc.path, pc.doc);
  const body = t(lang, 'onboarding.notice.body', { name, unit: unitName(pc.catalogue, pc.doc.unit, lang), date: formatWita(pc.doc.completedAt ?? pc.doc.updatedAt, lang), done: figures.done, correct: figures.correct, answered: figures.answered });
  return noticeView(pc, lang, t(lang, 'onboarding.notice.title', { name }), body, [], [button(t(lang, 'onboarding.button.team'), { verb: 'onboarding.team' })]);
}

function noticeView(pc: PathContext, lang: Lang, title: string, body: string, primary: ExecuteButton[], submit: ButtonView[] = []): CardView {
  return itemCard(pc, undefined, lang, { title, paragraphs: [body], primary, submit, fallback: `${title}. ${body}` });
}

function introView(pc: PathContext, lang: Lang, notes: readonly string[]): CardView {
  const { catalogue } = pc;
  const { profile } = catalogue;
  const dept = profile.department;
  const staff = profile.staff;
  const sex = record(staff['bySex']);
  const total = record(profile.resources['total']);
  const vehicles = ['roda2', 'roda4', 'roda6'].reduce((sum, k) => sum + (typeof total[k] === 'number' ? total[k] : 0), 0);
  const served = new Set((Array.isArray(profile.rpjmd['missionsServed']) ? profile.rpjmd['missionsServed'] : []).map(Number));
  const units = onboardingUnits(catalogue);
  const groups = (['sekretariat', 'bidang', 'upt'] as const).flatMap((type) => {
    const members = units.filter((u) => u.type === type);
    return members.length > 0 ? [t(lang, 'onboarding.intro.group', { label: t(lang, `onboarding.units.group.${type}`), count: members.length, names: members.map((u) => pick(lang, u.name, u.nameEn)).join('; ') })] : [];
  });
  const figure = (key: string): string | number => (typeof total[key] === 'number' ? total[key] : '–');
  const sections = [
    { label: t(lang, 'onboarding.intro.task'), lines: [pick(lang, dept.task, dept.taskEn)] },
    { label: t(lang, 'onboarding.intro.functions'), lines: (lang === 'en' && dept.functionsEn.length === dept.functions.length ? dept.functionsEn : dept.functions).map((f) => `• ${f}`) },
    { label: t(lang, 'onboarding.intro.units'), lines: groups.map((g) => `• ${g}`) },
    { label: t(lang, 'onboarding.intro.staff'), lines: [t(lang, 'onboarding.intro.staffValue', { total: staff.total, asOf: String(staff['asOf'] ?? '–'), men: String(sex['laki-laki'] ?? '–'), women: String(sex['perempuan'] ?? '–') })] },
    {
      label: t(lang, 'onboarding.intro.resources'),
      lines: [t(lang, 'onboarding.intro.resourcesValue', { tanah: figure('tanah'), gedung: figure('gedung'), vehicles, roda2: figure('roda2'), roda4: figure('roda4'), roda6: figure('roda6'), komputer: figure('komputer'), laptop: figure('laptop'), internet: figure('internet') })],
    },
    { label: t(lang, 'onboarding.intro.vision', { period: String(profile.rpjmd['period'] ?? '') }).trim(), lines: [pick(lang, profile.rpjmd.vision, profile.rpjmd.visionEn)] },
    { label: t(lang, 'onboarding.intro.missions'), lines: profile.rpjmd.missions.map((m, i) => t(lang, served.has(i + 1) ? 'onboarding.intro.missionServed' : 'onboarding.intro.mission', { n: i + 1, text: m })) },
    { label: t(lang, 'onboarding.intro.targets'), lines: catalogue.targets.map((x) => `• ${/^\d/.test(x.id) ? `${x.id} ` : ''}${pick(lang, x.title, x.titleEn)}`) },
  ];
  return itemCard(pc, 'intro', lang, {
    title: t(lang, 'onboarding.item.intro'),
    paragraphs: [t(lang, 'onboarding.intro.body', { name: pick(lang, dept.name, typeof dept['nameEn'] === 'string' ? dept['nameEn'] : undefined), decree: profile.decree.number })],
    sections,
    notes,
    primary: [execute(t(lang, 'onboarding.button.next'), { verb: 'onboarding.done', item: 'intro' })],
    extra: [execute(t(lang, 'onboarding.button.changeUnit'), { verb: 'onboarding.pick' })],
  });
}

function processMapView(pc: PathContext, item: OnboardingItem, lang: Lang, notes: readonly string[]): CardView {
  const { catalogue, doc } = pc;
  const line = (p: Process): string => t(lang, p.units.includes(doc.unit) ? 'onboarding.map.lineYours' : 'onboarding.map.line', { code: p.code, title: pick(lang, p.title, p.titleEn) });
  const main = catalogue.processes.filter((p) => p.kind === 'utama');
  const support = catalogue.processes.filter((p) => p.kind === 'pendukung');
  return itemCard(pc, item.id, lang, {
    title: t(lang, 'onboarding.item.map'),
    paragraphs: [t(lang, 'onboarding.map.body', { main: main.length, support: support.length })],
    sections: [
      { label: t(lang, 'list.main'), lines: main.map(line) },
      { label: t(lang, 'list.support'), lines: support.map(line) },
    ],
    notes,
    primary: [execute(t(lang, 'onboarding.button.next'), { verb: 'onboarding.done', item: item.id })],
    submit: [processListButton(lang)],
  });
}

function unitItemView(pc: PathContext, item: Extract<OnboardingItem, { kind: 'unit' }>, lang: Lang, notes: readonly string[]): CardView {
  const { catalogue } = pc;
  const unit = catalogue.units.find((u) => u.id === item.unit);
  const processes = catalogue.processes.filter((p) => p.units.includes(item.unit));
  const processLines = processes.flatMap((p) => {
    const others = p.units.filter((u) => u !== item.unit).map((u) => unitShort(catalogue, u));
    const parties = p.parties.map((u) => unitName(catalogue, u, lang));
    return [
      t(lang, 'onboarding.unit.processLine', { code: p.code, title: pick(lang, p.title, p.titleEn), role: t(lang, p.units[0] === item.unit ? 'unit.first' : 'unit.member') }),
      others.length > 0 ? t(lang, 'onboarding.unit.with', { units: others.join(', ') }) : t(lang, 'onboarding.unit.alone'),
      ...(parties.length > 0 ? [t(lang, 'onboarding.unit.parties', { parties: parties.join(', ') })] : []),
    ];
  });
  const acting = catalogue.cfms.map((c) => ({ c, count: c.steps.filter((s) => s.actor === item.unit).length })).filter((x) => x.count > 0);
  const sections = [
    { label: t(lang, 'onboarding.unit.processes'), lines: processLines.length > 0 ? processLines : [t(lang, 'onboarding.unit.none')] },
    ...(acting.length > 0 ? [{ label: t(lang, 'onboarding.unit.acts'), lines: acting.map(({ c, count }) => t(lang, 'onboarding.unit.actsLine', { code: c.code, title: shorten(pick(lang, c.title, c.titleEn), 80), count })) }] : []),
  ];
  return itemCard(pc, item.id, lang, {
    title: t(lang, 'onboarding.item.unit', { unit: unit ? pick(lang, unit.name, unit.nameEn) : item.unit }),
    paragraphs: unit?.description ? [pick(lang, unit.description, unit.descriptionEn)] : [],
    sections,
    notes,
    warnings: unit && !unit.inDecree ? [t(lang, 'unit.notInDecree')] : [],
    primary: [execute(t(lang, 'onboarding.button.next'), { verb: 'onboarding.done', item: item.id })],
    submit: [button(t(lang, 'onboarding.button.changeUnit'), { verb: 'onboarding.pick' })],
  });
}

function tourView(pc: PathContext, item: Extract<OnboardingItem, { kind: 'tour' }>, lang: Lang, notes: readonly string[]): CardView {
  const { catalogue } = pc;
  const cfm = catalogue.cfms.find((c) => c.code === item.cfm);
  if (!cfm) return itemCard(pc, item.id, lang, { title: item.cfm, paragraphs: [], notes, primary: [execute(t(lang, 'onboarding.button.next'), { verb: 'onboarding.done', item: item.id })] });
  const steps = item.steps.flatMap((id) => {
    const n = cfm.steps.findIndex((s) => s.id === id);
    const step = cfm.steps[n];
    return step ? [t(lang, 'onboarding.tour.stepLine', { n: n + 1, action: pick(lang, step.action, step.actionEn) })] : [];
  });
  return itemCard(pc, item.id, lang, {
    code: t(lang, 'answer.code', { code: cfm.code }),
    title: pick(lang, cfm.title, cfm.titleEn),
    paragraphs: [t(lang, 'onboarding.tour.owner', { owner: unitName(catalogue, cfm.owner, lang) })],
    sections: [
      { label: t(lang, 'onboarding.tour.summary'), lines: [pick(lang, cfm.summary, cfm.summaryEn)] },
      { label: t(lang, 'onboarding.tour.yourSteps'), lines: steps.length > 0 ? steps : [t(lang, 'onboarding.tour.noSteps')] },
      { label: '', lines: [t(lang, 'onboarding.tour.how')] },
    ],
    notes,
    warnings: cfm.status === 'draft' ? [t(lang, 'answer.draftNotice', { owner: unitName(catalogue, cfm.owner, lang) })] : [],
    primary: [execute(t(lang, 'onboarding.button.tour'), { verb: 'onboarding.tour', cfm: cfm.code }), execute(t(lang, 'onboarding.button.next'), { verb: 'onboarding.done', item: item.id })],
    submit: [button(t(lang, 'button.diagram'), { verb: 'guide.diagram', cfm: cfm.code })],
  });
}

/** The texts of a check question: the question, the choices in their (shuffled) order, the right one. */
export function checkTexts(catalogue: Catalogue, check: CheckQuestion, lang: Lang): { question: string; choices: string[]; right: number; explanation: string } | undefined {
  const cfm = catalogue.cfms.find((c) => c.code === check.cfm);
  if (!cfm) return undefined;
  const title = pick(lang, cfm.title, cfm.titleEn);
  const right = check.choices.indexOf(check.answer);
  if (check.type === 'who') {
    const process = processOfCfm(catalogue, cfm);
    const parties = process?.parties.map((p) => unitName(catalogue, p, lang)) ?? [];
    const explanation = [
      t(lang, 'onboarding.check.whyWho', { owner: unitName(catalogue, cfm.owner, lang), process: process?.code ?? '', title: process ? pick(lang, process.title, process.titleEn) : '', units: (process?.units ?? []).map((u) => unitName(catalogue, u, lang)).join(', ') }),
      ...(parties.length > 0 ? [t(lang, 'onboarding.check.whyParties', { parties: parties.join(', ') })] : []),
    ].join(' ');
    return { question: t(lang, 'onboarding.check.who', { title, code: cfm.code }), choices: check.choices.map((u) => unitName(catalogue, u, lang)), right, explanation };
  }
  const stepText = (id: string): string => {
    const step = cfm.steps.find((s) => s.id === id);
    return step ? pick(lang, step.action, step.actionEn) : id;
  };
  const step = cfm.steps.find((s) => s.id === check.step);
  const next = cfm.steps.find((s) => s.id === check.answer);
  const explanation = t(lang, 'onboarding.check.whyNext', { actor: unitName(catalogue, step?.actor ?? '', lang), step: stepText(check.step), output: step?.output ?? '', next: stepText(check.answer), nextActor: unitName(catalogue, next?.actor ?? '', lang) });
  return { question: t(lang, 'onboarding.check.next', { code: cfm.code, title: shorten(title, 80), step: stepText(check.step) }), choices: check.choices.map(stepText), right, explanation };
}

function checkView(pc: PathContext, item: OnboardingItem, check: CheckQuestion, lang: Lang, notes: readonly string[]): CardView {
  const texts = checkTexts(pc.catalogue, check, lang);
  const progress = pc.doc.items[item.id];
  const answered = progress?.answer !== undefined ? check.choices.indexOf(progress.answer) : -1;
  const { k, n } = positionOf(pc, item.id);
  const choiceLine = (i: number): string => t(lang, 'onboarding.check.choice', { letter: LETTERS[i] ?? String(i + 1), text: texts?.choices[i] ?? '' });
  const result =
    answered >= 0 && texts
      ? [
          { text: t(lang, progress?.correct ? 'onboarding.check.right' : 'onboarding.check.wrong'), weight: 'Bolder' },
          ...(progress?.correct ? [] : [{ text: t(lang, 'onboarding.check.yours', { letter: LETTERS[answered] ?? '', text: texts.choices[answered] ?? '' }), weight: 'Default' }]),
          { text: t(lang, 'onboarding.check.answer', { letter: LETTERS[texts.right] ?? '', text: texts.choices[texts.right] ?? '' }), weight: 'Default' },
          { text: texts.explanation, weight: 'Default' },
        ]
      : [];
  const question = texts?.question ?? check.cfm;
  return {
    template: 'onboarding-check',
    data: {
      lang,
      fallback: `${t(lang, 'onboarding.kicker', { k, n })}: ${question}`,
      kicker: t(lang, 'onboarding.kicker', { k, n }),
      bar: bar(k, n),
      title: t(lang, 'onboarding.check.title'),
      question,
      choices: (texts?.choices ?? []).map((_, i) => ({ text: choiceLine(i) })),
      result,
      isRight: answered >= 0 && progress?.correct === true,
      isWrong: answered >= 0 && progress?.correct !== true,
      notes: notes.map((text) => ({ text })),
      hasNotes: notes.length > 0,
      answers: answered >= 0 ? [] : check.choices.map((choice, i) => execute(LETTERS[i] ?? String(i + 1), { verb: 'onboarding.answer', item: item.id, choice })),
      hasAnswers: answered < 0,
      next: answered >= 0 ? [execute(t(lang, 'onboarding.button.next'), { verb: 'onboarding.next' })] : [],
      hasNext: answered >= 0,
      execute: answered >= 0 ? [] : [execute(t(lang, 'onboarding.button.skip'), { verb: 'onboarding.skip', item: item.id })],
      submit: [button(t(lang, 'onboarding.button.checklist'), { verb: 'onboarding.list' })],
    },
  };
}

function completeView(pc: PathContext, lang: Lang, notes: readonly string[]): CardView {
  const { catalogue, path, doc } = pc;
  const skipped = path.filter((i) => i.kind !== 'complete' && doc.items[i.id]?.status !== 'done');
  if (skipped.length > 0) {
    return itemCard(pc, 'complete', lang, {
      title: t(lang, 'onboarding.pending.title'),
      paragraphs: [t(lang, 'onboarding.pending.body', { count: skipped.length })],
      sections: [{ label: '', lines: skipped.map((i) => `• ${itemTitle(catalogue, i, lang)}`) }],
      notes,
      primary: skipped.slice(0, 5).map((i) => execute(shorten(itemTitle(catalogue, i, lang), 40), { verb: 'onboarding.open', item: i.id })),
    });
  }
  const figures = figuresOf(path, doc);
  const learned = path.filter((i) => i.kind === 'unit' || i.kind === 'tour').map((i) => `• ${itemTitle(catalogue, i, lang)}`);
  return itemCard(pc, 'complete', lang, {
    title: t(lang, 'onboarding.complete.title'),
    paragraphs: [t(lang, 'onboarding.complete.body', { done: figures.done, unit: unitName(catalogue, doc.unit, lang), correct: figures.correct, answered: figures.answered }), t(lang, 'onboarding.complete.next')],
    sections: learned.length > 0 ? [{ label: t(lang, 'onboarding.complete.learned'), lines: learned }] : [],
    notes,
    primary: [],
    submit: [button(t(lang, 'onboarding.button.checklist'), { verb: 'onboarding.list' }), processListButton(lang), helpButton(lang)],
  });
}

interface ItemCardParts {
  readonly code?: string;
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly sections?: readonly { readonly label: string; readonly lines: readonly string[] }[];
  readonly notes?: readonly string[];
  readonly warnings?: readonly string[];
  readonly primary: readonly ExecuteButton[];
  /** In-place buttons among the card's own actions (Lewati, Ganti unit). */
  readonly extra?: readonly ExecuteButton[];
  readonly submit?: readonly ButtonView[];
  readonly fallback?: string;
}

/** The common layout of item cards and notices (template onboarding-item). */
function itemCard(pc: PathContext, itemId: string | undefined, lang: Lang, parts: ItemCardParts): CardView {
  const { k, n } = itemId ? positionOf(pc, itemId) : { k: 0, n: pc.path.length };
  const kicker = itemId ? t(lang, 'onboarding.kicker', { k, n }) : t(lang, 'onboarding.title');
  const skippable = itemId !== undefined && itemId !== 'complete' && pc.doc.items[itemId]?.status !== 'done';
  const notes = parts.notes ?? [];
  const warnings = parts.warnings ?? [];
  return {
    template: 'onboarding-item',
    data: {
      lang,
      fallback: parts.fallback ?? `${kicker}: ${parts.title}`,
      kicker,
      bar: itemId ? bar(k, n) : '',
      hasBar: itemId !== undefined,
      code: parts.code ?? '',
      hasCode: parts.code !== undefined,
      title: parts.title,
      paragraphs: parts.paragraphs.map((text) => ({ text })),
      sections: (parts.sections ?? []).filter((s) => s.lines.length > 0).map((s) => ({ label: s.label, hasLabel: s.label !== '', lines: s.lines.map((text) => ({ text })) })),
      notes: notes.map((text) => ({ text })),
      hasNotes: notes.length > 0,
      warnings: warnings.map((text) => ({ text })),
      hasWarnings: warnings.length > 0,
      primary: parts.primary,
      hasPrimary: parts.primary.length > 0,
      execute: [...(skippable ? [execute(t(lang, 'onboarding.button.skip'), { verb: 'onboarding.skip', item: itemId })] : []), ...(parts.extra ?? [])],
      submit: [...(itemId && itemId !== 'complete' ? [button(t(lang, 'onboarding.button.checklist'), { verb: 'onboarding.list' })] : []), ...(parts.submit ?? [])].slice(0, 3),
    },
  };
}

function teamLines(catalogue: Catalogue, unit: string, s: OnboardingSummary, lang: Lang): string[] {
  return [
    t(lang, 'onboarding.team.started', { unit: unitShort(catalogue, unit), date: formatWita(s.startedAt, lang) }),
    t(lang, 'onboarding.team.figures', { done: s.done, total: s.total, last: formatWita(s.updatedAt, lang) }),
    s.answered > 0 ? t(lang, 'onboarding.team.score', { correct: s.correct, answered: s.answered }) : t(lang, 'onboarding.team.scoreNone'),
    ...(s.completedAt ? [`✅ ${t(lang, 'onboarding.team.completed', { date: formatWita(s.completedAt, lang) })}`] : []),
  ];
}

/** "Bagian k dari n": the item's place in the path. */
function positionOf(pc: PathContext, itemId: string): { k: number; n: number } {
  const i = pc.path.findIndex((x) => x.id === itemId);
  return { k: i + 1, n: pc.path.length };
}

function bar(k: number, n: number): string {
  const filled = n > 0 ? Math.round((10 * k) / n) : 0;
  return `${'▰'.repeat(filled)}${'▱'.repeat(10 - filled)}`;
}

function unitName(catalogue: Catalogue, id: string, lang: Lang): string {
  const unit: Unit | undefined = catalogue.units.find((u) => u.id === id);
  return unit ? pick(lang, unit.name, unit.nameEn) : id;
}

function unitShort(catalogue: Catalogue, id: string): string {
  return catalogue.units.find((u) => u.id === id)?.short ?? id;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
