import type { Catalogue } from '../catalogue/types.js';
import { pick, t, type Lang } from '../i18n/messages.js';
import type { CardView } from './card-view.js';
import { helpButton, processListButton } from './shared-buttons.js';

/** What a unit does: the processes it takes part in (relation map) and the CFMs it owns. */
export function unitView(catalogue: Catalogue, unitId: string, lang: Lang): CardView | undefined {
  const unit = catalogue.units.find((u) => u.id === unitId);
  if (!unit) return undefined;
  const processes = catalogue.processes.filter((p) => p.units.includes(unit.id));
  const owned = catalogue.cfms.filter((c) => c.owner === unit.id);
  const name = pick(lang, unit.name, unit.nameEn);
  return {
    template: 'unit',
    data: {
      lang,
      fallback: t(lang, 'unit.summary', { name, count: processes.length }),
      title: name,
      description: unit.description ? pick(lang, unit.description, unit.descriptionEn) : '',
      hasDescription: Boolean(unit.description),
      notice: unit.inDecree ? '' : t(lang, 'unit.notInDecree'),
      hasNotice: !unit.inDecree,
      processesLabel: t(lang, 'unit.processes'),
      processes: processes.map((p) => ({
        text: `${p.code} ${pick(lang, p.title, p.titleEn)}`,
        role: p.units[0] === unit.id ? t(lang, 'unit.first') : t(lang, 'unit.member'),
        data: { verb: 'lookup.show', kind: 'process', code: p.code },
      })),
      hasProcesses: processes.length > 0,
      processesNone: t(lang, 'unit.processesNone'),
      ownsLabel: t(lang, 'unit.owns'),
      owns: owned.map((c) => ({ text: `${c.code} ${pick(lang, c.title, c.titleEn)}`, data: { verb: 'lookup.show', kind: 'cfm', code: c.code } })),
      hasOwns: owned.length > 0,
      actions: [processListButton(lang), helpButton(lang)],
    },
  };
}
