// The dashboard stays usable when the store holds events centuries apart
// (a mistyped year in a file or a field report): the date slider has a
// bounded number of steps, its ends are the data's first and last days,
// and filtering by it still works. Its own store and server, so that the
// odd dates reach no other test.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { STEP, skip, truce, serve, exampleStore, launch, stop } from './lib.mjs';

describe('dates far apart', { timeout: 3 * STEP }, () => {
  let tmp, server, ctx, page;
  const pageErrors = [];

  before(async () => {
    if (skip) return;
    let db;
    ({ tmp, db } = exampleStore());
    const odd = path.join(tmp, 'odd.jsonl');
    fs.writeFileSync(odd, [
      { id: 'test:year-1000', date_start: '1000-01-01', lat: 36.2, lon: 37.15,
        category: 'battle', actor1: 'Military Forces of Syria (2000-)', actor2: 'Syrian insurgents' },
      { id: 'test:year-9999', date_start: '9999-12-31', lat: 36.2, lon: 37.15,
        category: 'battle', actor1: 'Military Forces of Syria (2000-)', actor2: 'Syrian insurgents' },
    ].map((e) => JSON.stringify(e)).join('\n') + '\n');
    truce(db, 'ingest', odd);
    truce(db, 'assess');
    server = await serve(db);
    ctx = await launch(tmp);
    page = ctx.pages()[0] || await ctx.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    if (ctx) await ctx.close();
    if (server) await stop(server);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('draws the map with the slider spanning 1000 to 9999', { skip, timeout: STEP }, async () => {
    const t0 = Date.now();
    await page.goto(server.url);
    await page.waitForSelector('body.ready', { state: 'attached' });
    await page.waitForSelector('#loading', { state: 'hidden' });
    assert.ok(Date.now() - t0 < 15_000, `the page took ${Date.now() - t0} ms`);
    assert.equal(await page.locator('#range-from-label').innerText(), '1000-01-01');
    assert.equal(await page.locator('#range-to-label').innerText(), '9999-12-31');
    const steps = +(await page.locator('#range-to').getAttribute('max')) + 1;
    assert.ok(steps >= 2 && steps <= 1500, `${steps} slider steps`);
    // a field report beside the example file: two sources, one point an incident
    assert.match(await page.locator('#count').innerText(), /^125 incidents shown/);
    // The slider's last step alone holds the year-9999 event only.
    await page.evaluate(() => {
      const f = document.getElementById('range-from');
      f.value = f.max;
      f.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.waitForFunction(() => /^1 (event|incident) shown/.test(document.getElementById('count').textContent));
    assert.deepEqual(pageErrors, [], 'script errors in the page');
  });
});
