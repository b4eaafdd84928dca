// One incident, many reports, in a real browser against a real `truce
// serve` (DESIGN section 15): with an ACLED row, a news report and a field
// report of one shelling added to the example store, the map draws the
// incident once (ringed, "3 reports of one incident"), the count says
// incidents, and the event panel lists the three reports, why each was
// linked, and opens another report when clicked. Saves
// build/screenshots/incident.png.
//
// Run: scripts/run-browser-tests.sh (or node --test tests/browser/).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TRUCE, STEP, skip, truce, serve, exampleStore, openPage, finish } from './lib.mjs';

const REPORTS = [
  { id: 'acled:77', source: 'acled', source_id: '77', lat: 36.2, lon: 37.15, radius_km: 1,
    actor1: 'Military Forces of Syria (2000-)', fatalities: 4 },
  { id: 'news:q1', source: 'news', source_id: 'q1', lat: 36.21, lon: 37.16, radius_km: 25,
    actor1: 'Syrian government forces', fatalities: 6 },
  { id: 'field:88', source: 'field', source_id: '88', lat: 36.203, lon: 37.153, radius_km: 2,
    actor1: 'Syrian Arab Army', fatalities: 5 },
].map((r) => ({ ...r, date_start: '2016-05-15', date_end: '2016-05-15', category: 'remote_violence',
                actor2: 'Civilians' }));

describe('one incident, many reports', { timeout: 4 * STEP }, () => {
  let tmp, db, server, ctx, page, events;
  let pageErrors = [];

  before(async () => {
    if (skip) return;
    assert.ok(fs.existsSync(TRUCE), `${TRUCE} is missing: run make first`);
    ({ tmp, db } = exampleStore());
    const file = path.join(tmp, 'shelling.jsonl');
    fs.writeFileSync(file, REPORTS.map((r) => JSON.stringify(r)).join('\n') + '\n');
    truce(db, 'ingest', file);
    truce(db, 'assess');
    server = await serve(db);
    events = (await (await fetch(server.url + 'api/health')).json()).events;
    ({ ctx, page, pageErrors } = await openPage(tmp));
  });

  after(() => finish({ page, ctx, server, tmp }, 'incident.png', async (p) => {
    // the representative open, its reports in view
    await p.evaluate(() => window.truce.openEvent('acled:77', true));
    await p.waitForSelector('#event-body section.incident');
    await p.locator('#event-body section.incident').scrollIntoViewIfNeeded();
    await p.waitForTimeout(800);
  }));

  it('draws the incident once and counts incidents', { skip, timeout: STEP }, async () => {
    await page.goto(server.url);
    await page.waitForSelector('body.ready', { state: 'attached' });
    await page.waitForSelector('#loading', { state: 'hidden' });
    // the three reports are one point: two fewer than the events stored
    const drawn = await page.evaluate(() => {
      let n = 0;
      document.querySelectorAll('path.ev').forEach((p) => { if (p.getBoundingClientRect().width > 0) n++; });
      document.querySelectorAll('.truce-cluster span').forEach((s) => { n += parseInt(s.textContent, 10); });
      return n;
    });
    assert.equal(drawn, events - 2, `${drawn} points for ${events} events, three of them one incident`);
    assert.match(await page.locator('#count').innerText(), new RegExp(`^${events - 2} incidents shown`));
    const ringed = await page.evaluate(() => {
      const m = window.truce.state.markerById['acled:77'];
      return m ? [m.options.weight, m.getTooltip() && m.getTooltip().getContent()] : null;
    });
    assert.deepEqual(ringed, [2.4, '3 reports of one incident']);
    assert.equal(await page.evaluate(() => !!window.truce.state.markerById['news:q1']), false,
                 'a report other than the representative has a point of its own');
  });

  it('lists the reports of the incident and opens another', { skip, timeout: STEP }, async () => {
    await page.evaluate(() => window.truce.openEvent('acled:77', true));
    await page.waitForSelector('#event-body section.incident');
    const text = await page.locator('#event-body section.incident').innerText();
    assert.match(text, /One incident, 3 reports/);
    assert.match(text, /3 sources: acled, news, field/);
    assert.match(text, /news:q1 \(news\)/);
    assert.match(text, /the times overlap, [0-9.]+ km apart, within 1 \+ 25 \+ 2 km, both remote_violence/);
    assert.match(text, /representative/);
    await page.locator('#event-body section.incident button[data-id="field:88"]').click();
    await page.waitForFunction(() => {
      const s = window.truce.state.current;
      return s && s.id === 'field:88' && document.querySelector('#event-body section.incident b');
    });
    // the report open is named, not a link; the others are links
    assert.equal(await page.locator('#event-body section.incident b').innerText(), 'field:88');
    assert.equal(await page.locator('#event-body section.incident button[data-id="acled:77"]').count(), 1);
    assert.deepEqual(pageErrors, [], 'script errors in the page');
  });
});
