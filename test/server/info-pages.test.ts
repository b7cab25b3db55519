import assert from 'node:assert/strict';
import { getPath, startTestBot, type TestBot } from '../helpers/http-bot.js';

describe('the pages the Teams package links to', () => {
  let bot: TestBot;
  before(async () => {
    bot = await startTestBot();
  });
  after(async () => bot?.close());

  for (const [route, text] of [['/', /Pandu adalah bot Microsoft Teams/], ['/privacy', /tidak menyimpan data penerima manfaat/], ['/terms', /berstatus <em>draf<\/em>/]] as const) {
    it(`serves ${route} as HTML`, async () => {
      const res = await getPath(bot.url, route);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(res.text, text);
    });
  }
});
