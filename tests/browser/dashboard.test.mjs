// The dashboard in a real browser against a real `truce serve`.
//
// Builds a temporary store from the example data (the steps of
// scripts/demo.sh, plus the Syria outline as boundaries and two users),
// starts `truce serve --port 0` on it, and drives Debian's Chromium with
// playwright-core: the map draws the land, the zones and the events; an
// event opens with its explanation; a monitor files a field report and
// sees its verdict; an analyst takes the case a step further. Every request
// the page makes must go to the server (no CDN, no outside host). Saves
// build/screenshots/dashboard.png.
//
// Run: scripts/run-browser-tests.sh (or node --test tests/browser/). Skips
// only when /usr/bin/chromium is missing. Environment: TRUCE_BIN (default
// build/truce), TRUCE_BROWSER_SHOTS (default build/screenshots),
// TRUCE_CHROMIUM (default /usr/bin/chromium).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TOP, TRUCE, SHOTS, STEP, skip, truce, serve, exampleStore, launch, stop } from './lib.mjs';

if (skip) console.log(`# skip: ${skip}`);

describe('dashboard', { timeout: 6 * STEP }, () => {
  let tmp, db, server, ctx, page, tokens = {}, health;
  const pageErrors = [];
  const foreign = [];

  before(async () => {
    if (skip) return;
    assert.ok(fs.existsSync(TRUCE), `${TRUCE} is missing: run make first`);
    // truce serve serves the web/ folder beside its binary.
    const web = path.join(path.dirname(TRUCE), 'web');
    assert.ok(fs.existsSync(path.join(web, 'index.html')),
              `${web} is missing: run scripts/build-web.sh`);
    ({ tmp, db } = exampleStore());
    tokens.mon = truce(db, 'users', 'add', 'mon', '--role', 'monitor').trim();
    tokens.ana = truce(db, 'users', 'add', 'ana', '--role', 'analyst').trim();
    assert.match(tokens.mon, /^\S{16,}$/, 'users add printed no token');
    assert.match(tokens.ana, /^\S{16,}$/, 'users add printed no token');

    server = await serve(db);
    health = await (await fetch(server.url + 'api/health')).json();
    assert.ok(health.events > 0, 'the store has no events');

    ctx = await launch(tmp);
    page = ctx.pages()[0] || await ctx.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(server.url) && !/^(data|blob|about):/.test(u)) foreign.push(u);
    });
  });

  after(async () => {
    if (page) {
      try {
        fs.mkdirSync(SHOTS, { recursive: true });
        await page.evaluate(() => { window.truce.showTab('event'); window.truce.home(); });
        await page.waitForTimeout(800);   // the clusters' zoom animation
        await page.screenshot({ path: path.join(SHOTS, 'dashboard.png') });
        console.log(`# screenshot: ${path.relative(TOP, path.join(SHOTS, 'dashboard.png'))}`);
      } catch (e) {
        console.log(`# no screenshot: ${e.message}`);
      }
    }
    if (ctx) await ctx.close();
    if (server) await stop(server);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('draws the land, the agreement zones and every event, with nothing from outside', { skip, timeout: STEP }, async () => {
    await page.goto(server.url);
    await page.waitForSelector('body.ready', { state: 'attached' });
    await page.waitForSelector('#loading', { state: 'hidden' });
    const land = await page.locator('path.land').count();
    const zones = await page.locator('path.zone').count();
    assert.ok(land >= 1, `no land drawn from the boundaries (${land} paths)`);
    assert.ok(zones >= 5, `expected a zone path for each of the 5 agreements, got ${zones}`);
    // Every event is on the map: a marker of its own, or counted in a cluster.
    const drawn = await page.evaluate(() => {
      let n = 0;
      document.querySelectorAll('path.ev').forEach((p) => {
        const r = p.getBoundingClientRect();
        if (r.width > 0) n++;
      });
      document.querySelectorAll('.truce-cluster span').forEach((s) => { n += parseInt(s.textContent, 10); });
      return n;
    });
    assert.equal(drawn, health.events, `markers and clusters account for ${drawn} of ${health.events} events`);
    assert.match(await page.locator('#count').innerText(), new RegExp(`^${health.events} events shown`));
    assert.match(await page.locator('#legend-zones').innerText(), /Regime of calm: Aleppo/);
    assert.deepEqual(foreign, [], 'the page asked hosts other than the server');
    assert.deepEqual(pageErrors, [], 'script errors in the page');
  });

  it('opens an event from the map with each agreement\'s verdict and explanation', { skip, timeout: STEP }, async () => {
    // Zoom in on Aleppo, where markers stand alone, and click a violation.
    await page.evaluate(() => window.truce.map.setView([36.2, 37.15], 12, { animate: false }));
    await page.waitForTimeout(500);
    const pt = await page.$$eval('path.ev-violation', (ps) => {
      for (const p of ps) {
        const r = p.getBoundingClientRect();
        if (r.width > 2) return [r.x + r.width / 2, r.y + r.height / 2];
      }
      return null;
    });
    assert.ok(pt, 'no violation marker visible over Aleppo');
    await page.mouse.click(pt[0], pt[1]);
    await page.waitForSelector('#event-body .assess .explain');
    const text = await page.locator('#event-body').innerText();
    assert.match(text, /Verdict:/, 'no explanation in the event panel');
    assert.match(text, /Verdict under each agreement/);
    assert.equal(await page.locator('#event-body .ev-verdict .badge').innerText(), 'violation');
    assert.match(text, /Sign in with an analyst/, 'a reader is offered no review form');
  });

  it('lets a monitor file a field report and shows its verdict', { skip, timeout: STEP }, async () => {
    await page.fill('#token', tokens.mon);
    await page.click('#signin-btn');
    // The token lives for the tab only, unless "remember me" was ticked.
    const kept = await page.evaluate(() => [sessionStorage.getItem('truce.token'), localStorage.getItem('truce.token')]);
    assert.deepEqual(kept, [tokens.mon, null], 'the token is kept beyond the tab');
    await page.click('.tabs [data-tab=file]');
    // The position is set by clicking the map (Aleppo, inside both zones).
    const xy = await page.evaluate(() => {
      const m = window.truce.map;
      m.setView([36.2, 37.15], 11, { animate: false });
      const p = m.latLngToContainerPoint([36.19, 37.17]);
      const r = m.getContainer().getBoundingClientRect();
      return [r.x + p.x, r.y + p.y];
    });
    await page.mouse.click(xy[0], xy[1]);
    assert.ok(Math.abs(parseFloat(await page.inputValue('#r-lat')) - 36.19) < 0.01, 'the map click set no latitude');
    assert.ok(Math.abs(parseFloat(await page.inputValue('#r-lon')) - 37.17) < 0.01, 'the map click set no longitude');
    await page.fill('#r-time', '2016-05-06T14:30');
    await page.fill('#r-radius', '1');
    await page.selectOption('#r-category', 'remote_violence');
    await page.check('#r-directed');
    await page.fill('#r-actor1', 'Military Forces of Syria (2000-)');
    await page.fill('#r-actor2', 'Civilians (Syria)');
    await page.fill('#r-location', 'Aleppo - Bustan al-Qasr (browser test)');
    await page.fill('#r-notes', 'Two shells hit the market, seen from the monitors\' car.');
    await page.click('#r-submit');
    await page.waitForSelector('#report-result .assess .explain');
    assert.match(await page.locator('#r-msg').innerText(), /^Filed as field:/);
    assert.equal(await page.locator('#report-result .ev-verdict .badge').innerText(), 'violation');
    assert.match(await page.locator('#report-result').innerText(), /Verdict: violation, attributed to government/);
    assert.match(await page.locator('#count').innerText(), new RegExp(`^${health.events + 1} (events|incidents) shown`));
  });

  it('lets an analyst take the case a step further', { skip, timeout: STEP }, async () => {
    await page.click('#signout-btn');
    assert.deepEqual(await page.evaluate(() => [sessionStorage.getItem('truce.token'), localStorage.getItem('truce.token')]),
                     [null, null], 'signing out leaves a token behind');
    await page.fill('#token', tokens.ana);
    await page.check('#remember');
    await page.click('#signin-btn');
    assert.equal(await page.evaluate(() => localStorage.getItem('truce.token')), tokens.ana,
                 '"remember me" did not keep the token');
    await page.click('#report-result button.link');
    await page.waitForSelector('#review-form');
    // The steps offered and the words shown are the API's, not a copy.
    const vocab = await (await fetch(server.url + 'api/vocabulary')).json();
    const offered = async () => page.$$eval('#rv-state option', (os) => os.map((o) => o.value));
    assert.deepEqual(await offered(), vocab.review.start, 'a new case offers other steps than the API');
    assert.deepEqual(await page.$$eval('#f-category option', (os) => os.slice(1).map((o) => o.value)),
                     vocab.categories.map((c) => c.name), 'the category filter is not the API\'s list');
    await page.selectOption('#rv-state', 'alleged');
    await page.fill('#rv-note', 'Case opened on the monitors\' report.');
    await page.click('#review-form button[type=submit]');
    await page.waitForSelector('#review-form .msg.ok');
    assert.equal(await page.locator('.review .state').innerText(), 'alleged');
    // Next: information requested from the guarantor of the side.
    await page.selectOption('#rv-state', 'information_requested');
    await page.selectOption('#rv-guarantor', 'russia');
    await page.fill('#rv-note', 'Asked the guarantor of the government side.');
    await page.click('#review-form button[type=submit]');
    await page.waitForFunction(() =>
      document.querySelector('.review .state')?.textContent.startsWith('information requested'));
    const state = vocab.review.states.find((s) => s.name === 'information_requested');
    assert.equal(await page.locator('.review .state').innerText(), state.words);
    assert.deepEqual(await offered(), state.next, 'the steps after information_requested are not the API\'s');
    const review = await page.locator('.review').innerText();
    assert.match(review, /guarantor: russia/);
    assert.match(review, /mon: filed the report/, 'the history lacks the report');
    assert.match(review, /ana: information requested/, 'the history lacks the analyst\'s step');
    // The computed verdict stays beside the review.
    assert.equal(await page.locator('#event-body .ev-verdict .badge').innerText(), 'violation');
  });

  it('says a violation of both sides is mutual', { skip, timeout: STEP }, async () => {
    await page.evaluate(() => { window.truce.showTab('event'); window.truce.openEvent('example:castello-road-cut-2016-07-17', true); });
    const loaded = (id) => page.waitForFunction((want) => {
      const b = document.getElementById('event-body');
      return b && b.querySelector('.assess') && (b.textContent || '').includes(want);
    }, id);
    await loaded('example:castello-road-cut-2016-07-17');
    const body = await page.locator('#event-body').innerText();
    assert.match(body, /Attributed to: mutual: Government of Syria and allies and Armed opposition/);
    // one side alone is named as such
    await page.evaluate(() => window.truce.openEvent('example:al-dabeet-hospital-2016-05-03', true));
    await loaded('example:al-dabeet-hospital-2016-05-03');
    const one = await page.locator('#event-body').innerText();
    assert.match(one, /Attributed to: Armed opposition/);
    assert.doesNotMatch(one, /Attributed to: mutual/);
  });

  it('shows the trend, the coverage and the daily report', { skip, timeout: STEP }, async () => {
    await page.click('.tabs [data-tab=trend]');
    await page.selectOption('#t-agreement', 'syria-aleppo-2016-05');
    await page.click('#trend-form button[type=submit]');
    await page.waitForSelector('#trend-chart canvas');
    assert.match(await page.locator('#trend-body').innerText(), /Rate ratio \(after \/ before\)/);
    await page.click('.tabs [data-tab=coverage]');
    await page.fill('#c-date', '2016-05-05');
    await page.click('#coverage-form button[type=submit]');
    await page.waitForSelector('#coverage-body .cls');
    assert.equal((await page.locator('#coverage-body .cls').innerText()).toLowerCase(), 'nationwide');
    await page.click('.tabs [data-tab=report]');
    await page.selectOption('#d-agreement', 'syria-aleppo-2016-05');
    await page.fill('#d-date', '2016-05-05');
    await page.click('#dreport-form button[type=submit]');
    await page.waitForSelector('#d-frame:not([hidden])');
    const frame = page.frameLocator('#d-frame');
    await frame.locator('h1').first().waitFor();
    assert.match(await frame.locator('body').innerText(), /Aleppo/);
    assert.deepEqual(foreign, [], 'the page asked hosts other than the server');
    assert.deepEqual(pageErrors, [], 'script errors in the page');
    // The report's copy for a new tab is of this origin: it runs no script.
    const href = await page.getAttribute('#d-open', 'href');
    assert.match(href, /^blob:/);
    const copy = await ctx.newPage();
    try {
      await copy.goto(href);
      assert.match(await copy.locator('body').innerText(), /Aleppo/);
      const ran = await copy.evaluate(async () => {
        document.body.insertAdjacentHTML('beforeend', '<img src="data:," onerror="window.ranScript = 1">');
        await new Promise((r) => setTimeout(r, 300));
        return window.ranScript === 1;
      });
      assert.equal(ran, false, 'markup in the report copy ran script');
    } finally {
      await copy.close();
    }
  });

  it('loads map tiles from the URL a user sets, and only then', { skip, timeout: STEP }, async () => {
    const asked = [];
    // a 1x1 PNG for every tile of a host that does not exist
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await page.route('https://tiles.truce.invalid/**', (route) => {
      asked.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'image/png', body: png });
    });
    try {
      await page.evaluate(() => window.truce.showTab('event'));
      await page.click('summary:has-text("Map settings")');
      await page.fill('#tile-url', 'https://tiles.truce.invalid/{z}/{x}/{y}.png');
      await page.click('#tile-apply');
      await page.waitForFunction(() => document.querySelectorAll('.leaflet-tile-loaded').length > 0);
      assert.ok(asked.length > 0, 'no tile was asked for');
      await page.fill('#tile-url', '');
      await page.click('#tile-apply');
      assert.equal(await page.evaluate(() => localStorage.getItem('truce.tiles')), null);
    } finally {
      await page.unroute('https://tiles.truce.invalid/**');
      foreign.length = 0;
    }
  });
});
