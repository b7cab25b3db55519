/**
 * End to end, as a person would use Pandu in Teams: the real bot (`node --import tsx bot/main.ts`,
 * local mode, lowdb in a fresh data dir) behind the Microsoft 365 Agents Playground, driven in
 * headless Debian Chromium with playwright-core. It waits on what is visible in the chat, never on
 * sleeps, and saves a screenshot of each stage to var/screenshots/NN-name.png.
 *
 * Needs Chromium at /usr/bin/chromium (`apt-get update && apt-get install -y chromium`); without it
 * the test fails and says so. Nothing leaves 127.0.0.1: Chromium resolves no host names.
 *
 * Two things about the Playground (0.2.28, pinned) that shape the test:
 * - It sends every activity with locale en-US (hard-coded), so Pandu greets in English, as it would
 *   greet someone whose Teams is in English. The person then presses "Bahasa Indonesia" on the
 *   welcome card, and Pandu keeps to Indonesian from then on (the choice is stored, so it survives
 *   the restart too).
 * - It renders Action.Execute (not the Action.Submit fallback) and sends it as an
 *   `adaptiveCard/action` invoke whose answer replaces the card in place, as Teams does: the
 *   walkthrough card is updated where it is, no new message is posted. The test checks that.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  freePort,
  launchChromium,
  ROOT,
  screenshotCard,
  startBotProcess,
  startPlayground,
  stopAllChildren,
  stopChild,
  tailOf,
  waitForMore,
  type BotProcess,
  type PlaygroundProcess,
} from '../helpers/browser.js';

const SHOTS = path.join(ROOT, 'var', 'screenshots');
const WAIT_MS = 20_000;
const PUB = 'DINSOS 03.1.a';
const ADOPTION = 'DINSOS 01.2.a';
const DECISION = 'Apakah berkas lengkap dan permohonan layak?';
const BRANCH = 'Belum lengkap atau tidak layak';

/** "Langkah k dari n" for this k exactly (so that 1 does not match 10). */
function stepOf(k: number): RegExp {
  return new RegExp(`Langkah ${k} dari \\d+`);
}

describe('Pandu in the Microsoft 365 Agents Playground (headless Chromium)', function () {
  this.timeout(180_000);

  let dir: string | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let bot: BotProcess | undefined;
  let playground: PlaygroundProcess | undefined;
  const botLogs: string[] = [];

  afterEach(async function () {
    const failed = this.currentTest?.state !== 'passed';
    if (failed && page) await page.screenshot({ path: path.join(SHOTS, '99-failure.png') }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stopAllChildren();
    if (failed && dir) {
      const report = [
        `The browser test failed; its files are kept in ${dir} (screenshot: var/screenshots/99-failure.png).`,
        ...botLogs.map((file) => `--- ${path.basename(file)} (last lines)\n${tailOf(file)}`),
        ...(playground ? [`--- playground output\n${tailOf(playground.outFile)}`, `--- playground log\n${tailOf(playground.logFile)}`] : []),
      ];
      process.stderr.write(`${report.join('\n')}\n`);
    } else if (dir) {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('greets, answers, walks 03.1.a through a decision to its summary, and resumes 01.2.a after a restart', async function () {
    browser = await launchChromium();
    await mkdir(SHOTS, { recursive: true });
    await rm(path.join(SHOTS, '99-failure.png'), { force: true });
    dir = await mkdtemp(path.join(tmpdir(), 'pandu-playground-'));
    const dataDir = path.join(dir, 'data');
    await mkdir(dataDir);
    const botPort = await freePort();
    const startPandu = async (): Promise<BotProcess> => {
      const logFile = path.join(dir!, `bot-${botLogs.length + 1}.log`);
      botLogs.push(logFile);
      return startBotProcess({ port: botPort, dataDir, logFile });
    };
    bot = await startPandu();
    playground = await startPlayground({ botUrl: bot.url, port: await freePort(), dir });

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const p = page;
    const cards = p.locator('.ac-adaptiveCard');
    const textbox = p.locator('[contenteditable="true"][role="textbox"]');
    const shot = (card: Locator, name: string): Promise<void> => screenshotCard(p, card, path.join(SHOTS, `${name}.png`));

    /** Types a message into the compose box and sends it, as a person does. */
    const send = async (text: string): Promise<void> => {
      await textbox.click();
      await textbox.fill(text);
      await p.getByRole('button', { name: 'Send Message' }).click();
    };
    /**
     * Presses `button` on `card` and waits until one more card shows `expected`. With `inPlace`
     * (Action.Execute) the card must have been updated where it is: no card was added to the chat.
     */
    const press = async (card: Locator, button: string, expected: Locator, inPlace: boolean): Promise<Locator> => {
      const total = await cards.count();
      const before = await expected.count();
      await card.getByRole('button', { name: button, exact: true }).click();
      await waitForMore(expected, before, `the card after pressing "${button}"`, WAIT_MS);
      if (inPlace) assert.equal(await cards.count(), total, `pressing "${button}" (Action.Execute) posted a new card instead of updating the card in place`);
      return expected.last();
    };

    // 1. The welcome card, sent when the Playground "installs" the app on page load.
    await p.goto(playground.url, { waitUntil: 'domcontentloaded' });
    const welcome = cards.filter({ hasText: 'Welcome to Pandu' });
    await welcome.first().waitFor();
    assert.equal(await welcome.count(), 1, 'the welcome card appears once');
    await shot(welcome.first(), '01-welcome');
    await welcome.first().getByRole('button', { name: 'Bahasa Indonesia', exact: true }).click();
    await p.locator('p', { hasText: 'Pandu akan menjawab dalam bahasa Indonesia' }).first().waitFor();

    // 2. A question, answered with the procedure's card.
    const answers = cards.filter({ hasText: PUB }).filter({ hasText: 'Yang menangani' });
    await send('siapa yang menangani izin PUB?');
    await answers.first().waitFor();
    const answer = answers.last();
    assert.match(await answer.innerText(), /Bidang Pemberdayaan Sosial/);
    await shot(answer, '02-answer');

    // 3. "Pandu langkah-langkahnya" (Action.Submit) starts the walkthrough in a new card.
    const pubSteps = cards.filter({ hasText: PUB }).filter({ hasText: /Langkah \d+ dari \d+/ });
    let step = await press(answer, 'Pandu langkah-langkahnya', pubSteps.filter({ hasText: stepOf(1) }), false);
    await shot(step, '03-step1');

    // 4. "Lanjut" until the decision (each press updates the card in place).
    let k = 1;
    while ((await step.filter({ hasText: DECISION }).count()) === 0) {
      assert.ok(k < 10, `no decision "${DECISION}" after ${k} steps`);
      step = await press(step, 'Lanjut', pubSteps.filter({ hasText: stepOf(k + 1) }), true);
      k += 1;
    }
    await shot(step, '04-decision');

    // 5. A branch, then "Selesai" on the step it leads to: the summary replaces the card.
    step = await press(step, BRANCH, pubSteps.filter({ hasText: stepOf(k + 1) }), true);
    const summary = await press(step, 'Selesai', cards.filter({ hasText: 'Selesai: 03.1.a' }), true);
    assert.match(await summary.innerText(), new RegExp(`→ ${BRANCH}`), 'the summary shows the branch taken');
    assert.equal(await pubSteps.count(), 0, 'no step card of 03.1.a is left once it is finished');
    await shot(summary, '05-summary');

    // 6. A second walkthrough, one step in; then Pandu restarts (killed, as in a crash) and
    //    "lanjutkan" brings back the step the person was at.
    const adoptionSteps = cards.filter({ hasText: ADOPTION }).filter({ hasText: /Langkah \d+ dari \d+/ });
    const adoption1 = adoptionSteps.filter({ hasText: stepOf(1) });
    await send('pandu adopsi anak');
    await adoption1.first().waitFor();
    const adoption2 = adoptionSteps.filter({ hasText: stepOf(2) });
    const atStep2 = await (await press(adoption1.last(), 'Lanjut', adoption2, true)).innerText();
    const lines = atStep2.split('\n').filter((line) => line.trim() !== '');
    const lane = lines.findIndex((line) => line.startsWith('Lajur:'));
    const action = lane >= 0 ? lines[lane + 1] : undefined;
    assert.ok(action, `the step card of ${ADOPTION} has a lane and an action under it:\n${atStep2}`);

    const firstPid = bot.child.pid;
    await stopChild(bot.child, 'SIGKILL');
    bot = await startPandu();
    assert.notEqual(bot.child.pid, firstPid);

    const before = await adoption2.count();
    await send('lanjutkan');
    await waitForMore(adoption2, before, `a new card of ${ADOPTION} at "Langkah 2 dari" after "lanjutkan"`, WAIT_MS);
    const resumed = adoption2.last();
    assert.ok((await resumed.innerText()).includes(action), `the resumed card shows the step left before the restart ("${action}")`);
    await shot(resumed, '06-resumed');
  });
});
