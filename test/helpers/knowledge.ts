import { loadCatalogue } from '../../bot/catalogue/load-catalogue.js';
import { buildLookupIndex, type LookupIndex } from '../../bot/core/lookup/build-index.js';
import type { Catalogue } from '../../bot/core/catalogue/types.js';
import type { WorkCalendar } from '../../bot/core/calendar/working-days.js';

let shared: { catalogue: Catalogue; index: LookupIndex } | undefined;

/** The real catalogue and its lookup index, built once for all tests. */
export async function realKnowledge(): Promise<{ catalogue: Catalogue; index: LookupIndex }> {
  if (!shared) {
    const loaded = await loadCatalogue();
    if (!loaded.ok) throw new Error('the real catalogue is invalid: run npm run catalogue:check');
    shared = { catalogue: loaded.catalogue, index: buildLookupIndex(loaded.catalogue) };
  }
  return shared;
}

let calendar: WorkCalendar | undefined;

/** The working calendar from the real holiday files (WITA, office hours 07:30–16:00). */
export async function realCalendar(): Promise<WorkCalendar> {
  if (!calendar) {
    const { loadHolidays } = await import('../../bot/calendar/load-holidays.js');
    const { createCalendar } = await import('../../bot/core/calendar/working-days.js');
    const loaded = await loadHolidays(undefined, { now: new Date('2026-11-28T00:00:00Z') });
    if (!loaded.ok) throw new Error('the holiday files are invalid');
    calendar = createCalendar(loaded.holidays);
  }
  return calendar;
}
