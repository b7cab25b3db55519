import assert from 'node:assert/strict';
import type { Catalogue, Cfm } from '../../../bot/core/catalogue/types.js';
import { buildOnboardingPath, checkId, MAX_CHECKS, MAX_TOURS, onboardingUnits, processOfCfm, seededShuffle, type OnboardingItem } from '../../../bot/core/onboarding/onboarding-path.js';
import { checkTexts } from '../../../bot/core/views/onboarding-views.js';
import { realKnowledge } from '../../helpers/knowledge.js';

const ITEM_ID = /^(?:intro|process-map|complete|unit:[a-z0-9-]+|tour:[0-9a-z.]+|check:who:[0-9a-z.]+|check:next:[0-9a-z.]+:[a-z0-9-]+)$/;

function cfmOf(catalogue: Catalogue, code: string): Cfm {
  const cfm = catalogue.cfms.find((c) => c.code === code);
  assert.ok(cfm, `CFM ${code} exists`);
  return cfm;
}

describe('the onboarding path, generated from the real catalogue', () => {
  it('is built for every internal unit: intro, process map, the unit, tours, checks, completion, with ids from catalogue codes', async () => {
    const { catalogue } = await realKnowledge();
    const units = onboardingUnits(catalogue);
    assert.ok(units.length >= 10, 'Kepala Dinas, Sekretariat, the Bidang and the UPT');
    assert.ok(!units.some((u) => u.type === 'peran'), 'roles such as "pegawai" are not units to onboard into');
    for (const unit of units) {
      const path = buildOnboardingPath(catalogue, unit.id);
      const ids = path.map((i) => i.id);
      assert.equal(new Set(ids).size, ids.length, `${unit.id}: ids are unique`);
      for (const id of ids) assert.match(id, ITEM_ID, `${unit.id}: ${id}`);
      assert.deepEqual(ids.slice(0, 3), ['intro', 'process-map', `unit:${unit.id}`]);
      assert.equal(ids.at(-1), 'complete');
      const kinds = path.map((i) => i.kind);
      assert.deepEqual(kinds, [...kinds].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b)), `${unit.id}: items in the order of the path`);
      const tours = path.filter((i) => i.kind === 'tour');
      const checks = path.filter((i) => i.kind === 'check');
      assert.ok(tours.length >= 4 && tours.length <= MAX_TOURS, `${unit.id}: ${tours.length} tours`);
      assert.ok(checks.length >= 4 && checks.length <= MAX_CHECKS, `${unit.id}: ${checks.length} checks`);
      assert.ok(path.length <= 3 + MAX_TOURS + MAX_CHECKS + 1, `${unit.id}: a sensible length (${path.length})`);
      for (const item of tours) {
        const cfm = cfmOf(catalogue, item.cfm);
        assert.equal(item.id, `tour:${cfm.code}`);
        assert.deepEqual(item.steps, cfm.steps.filter((s) => s.actor === unit.id).map((s) => s.id), `${item.id}: the steps the unit acts in`);
      }
      for (const item of checks) {
        assert.equal(item.id, checkId(item.check));
        assert.ok(tours.some((tour) => tour.cfm === item.check.cfm), `${item.id} asks about a toured CFM`);
      }
    }
  });

  it('tours the CFMs the unit acts in first, and those of its processes in the relation map', async () => {
    const { catalogue } = await realKnowledge();
    for (const unit of onboardingUnits(catalogue)) {
      const tours = buildOnboardingPath(catalogue, unit.id).filter((i) => i.kind === 'tour');
      const acts = (c: Cfm) => c.steps.filter((s) => s.actor === unit.id).length;
      const related = catalogue.cfms.filter((c) => acts(c) > 0 || processOfCfm(catalogue, c)?.units.includes(unit.id));
      if (related.length === 0) {
        // A unit the decree's maps do not name (the newer Bidang): one CFM of each main process.
        const processes = tours.map((tour) => processOfCfm(catalogue, cfmOf(catalogue, tour.cfm))!);
        assert.deepEqual(processes.map((p) => p.kind), processes.map(() => 'utama'), unit.id);
        assert.equal(new Set(processes.map((p) => p.code)).size, tours.length);
        continue;
      }
      for (const tour of tours) assert.ok(related.some((c) => c.code === tour.cfm), `${unit.id}: ${tour.cfm} is related to the unit`);
      const acting = related.filter((c) => acts(c) > 0);
      if (acting.length >= MAX_TOURS) {
        const least = Math.min(...tours.map((tour) => acts(cfmOf(catalogue, tour.cfm))));
        assert.ok(least > 0, `${unit.id}: with ${acting.length} CFMs to act in, every tour is one of them`);
      } else {
        for (const c of acting) assert.ok(tours.some((tour) => tour.cfm === c.code), `${unit.id}: ${c.code}, where it acts, is toured`);
      }
    }
  });

  it("asks who handles a CFM with 3–4 units, one right: the CFM's owner; the others take no part in it", async () => {
    const { catalogue } = await realKnowledge();
    let asked = 0;
    for (const unit of onboardingUnits(catalogue)) {
      for (const item of buildOnboardingPath(catalogue, unit.id)) {
        if (item.kind !== 'check' || item.check.type !== 'who') continue;
        asked++;
        const cfm = cfmOf(catalogue, item.check.cfm);
        const process = processOfCfm(catalogue, cfm)!;
        const { choices, answer } = item.check;
        assert.equal(answer, cfm.owner, `${item.id}: the owner is right`);
        assert.ok(choices.length >= 3 && choices.length <= 4, `${item.id}: ${choices.length} choices`);
        assert.equal(new Set(choices).size, choices.length);
        assert.equal(choices.filter((c) => c === answer).length, 1);
        for (const wrong of choices.filter((c) => c !== answer)) {
          const u = catalogue.units.find((x) => x.id === wrong);
          assert.ok(u && u.kind === 'internal', `${item.id}: ${wrong} is a unit`);
          assert.ok(!process.units.includes(wrong), `${item.id}: ${wrong} is not in the relation map of ${process.code}`);
          assert.ok(!cfm.steps.some((s) => s.actor === wrong), `${item.id}: ${wrong} acts in no step`);
        }
      }
    }
    assert.ok(asked >= 10, `${asked} "who" questions`);
  });

  it('asks for the step after a step, with four steps of the same CFM, one right: its next step', async () => {
    const { catalogue } = await realKnowledge();
    let asked = 0;
    for (const unit of onboardingUnits(catalogue)) {
      for (const item of buildOnboardingPath(catalogue, unit.id)) {
        if (item.kind !== 'check' || item.check.type !== 'next') continue;
        asked++;
        const cfm = cfmOf(catalogue, item.check.cfm);
        const step = cfm.steps.find((s) => s.id === (item.check as { step: string }).step);
        assert.ok(step && step.kind === 'task', `${item.id}: asks about a task step`);
        assert.equal(item.check.answer, step.next, `${item.id}: the right answer is the step's next`);
        assert.equal(item.check.choices.length, 4);
        const chosen = item.check.choices.map((id) => cfm.steps.find((s) => s.id === id));
        assert.ok(chosen.every(Boolean), `${item.id}: every choice is a step of ${cfm.code}`);
        assert.equal(new Set(chosen.map((s) => s!.action)).size, 4, `${item.id}: the choices read differently`);
        assert.ok(!item.check.choices.includes(step.id), `${item.id}: the asked step is not a choice`);
        if (cfm.steps.some((s) => s.kind === 'task' && s.actor === unit.id)) assert.equal(step.actor, unit.id, `${item.id}: a step the unit acts in`);
      }
    }
    assert.ok(asked >= 20, `${asked} "next step" questions`);
  });

  it('explains every question in both languages, and the right answer the text shows is the right one', async () => {
    const { catalogue } = await realKnowledge();
    for (const unit of onboardingUnits(catalogue)) {
      for (const item of buildOnboardingPath(catalogue, unit.id)) {
        if (item.kind !== 'check') continue;
        for (const lang of ['id', 'en'] as const) {
          const texts: NonNullable<ReturnType<typeof checkTexts>> = checkTexts(catalogue, item.check, lang)!;
          assert.equal(texts.choices.length, item.check.choices.length);
          assert.equal(texts.right, item.check.choices.indexOf(item.check.answer));
          assert.ok(!/\{\w+\}/.test(texts.question + texts.explanation), `${item.id}/${lang}: no placeholder left`);
          const cfm = cfmOf(catalogue, item.check.cfm);
          if (item.check.type === 'who') assert.match(texts.explanation, new RegExp(escape(lang === 'en' ? catalogue.units.find((u) => u.id === cfm.owner)!.nameEn : catalogue.units.find((u) => u.id === cfm.owner)!.name)));
          else assert.ok(texts.explanation.includes(texts.choices[texts.right]!), `${item.id}/${lang}: the explanation names the right step`);
        }
      }
    }
  });

  it('gives the same items, ids and choice order every time, even from a catalogue whose lists come in another order', async () => {
    const { catalogue } = await realKnowledge();
    const shuffled: Catalogue = { ...catalogue, units: [...catalogue.units].reverse(), cfms: [...catalogue.cfms].reverse(), processes: [...catalogue.processes].reverse() };
    for (const unit of onboardingUnits(catalogue)) {
      const first = buildOnboardingPath(catalogue, unit.id);
      assert.deepEqual(buildOnboardingPath(catalogue, unit.id), first);
      assert.deepEqual(buildOnboardingPath(shuffled, unit.id), first, unit.id);
    }
  });

  it('shuffles the choices by the item id: the right answer is not always in the same place', async () => {
    const { catalogue } = await realKnowledge();
    const places = new Set<number>();
    for (const unit of onboardingUnits(catalogue)) {
      for (const item of buildOnboardingPath(catalogue, unit.id)) if (item.kind === 'check') places.add(item.check.choices.indexOf(item.check.answer));
    }
    assert.ok(places.size >= 3, `right answers at places ${[...places].join(', ')}`);
    assert.deepEqual(seededShuffle([1, 2, 3, 4, 5], 'check:who:03.1.a'), seededShuffle([1, 2, 3, 4, 5], 'check:who:03.1.a'));
    assert.deepEqual([...seededShuffle([1, 2, 3, 4, 5], 'x')].sort(), [1, 2, 3, 4, 5]);
    const orders = new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((seed) => seededShuffle([1, 2, 3, 4], seed).join('')));
    assert.ok(orders.size > 1, 'different seeds give different orders');
  });
});

const ORDER: OnboardingItem['kind'][] = ['intro', 'process-map', 'unit', 'tour', 'check', 'complete'];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
