// A store too large to draw every event (12,000, more than the 10,000
// points the page draws at most): the map shows the server's cells
// (GET /api/cells) with the counts by verdict, and the points of sparse
// cells; the cells and points add up to the count shown and to the
// store; a click on a cell zooms to it and asks for that view's cells; a
// filter asks again. Its own store and server.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TOP, STEP, skip, truce, serve, openPage, finish } from './lib.mjs';

const N = 12000;

describe('the map of a large store', { timeout: 4 * STEP }, () => {
  let tmp, server, ctx, page;
  let pageErrors = [];
  const cellRequests = [];

  before(async () => {
    if (skip) return;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'truce-cells-'));
    const db = path.join(tmp, 'cells.db');
    const csv = path.join(tmp, 'events.csv');
    execFileSync('python3', [path.join(TOP, 'bench/gen_events.py'), String(N), '-o', csv]);
    truce(db, 'init');
    truce(db, 'actors', 'load', 'examples/actors.json');
    truce(db, 'agreements', 'load', 'examples/agreements-syria-2016.json');
    truce(db, 'boundaries', 'load', 'examples/zones/syria.geojson', '--name', 'syria');
    truce(db, 'ingest', csv);
    truce(db, 'assess');
    server = await serve(db);
    ({ ctx, page, pageErrors } = await openPage(tmp));
    // the map's requests (the overview's lists ask for latest= apart)
    page.on('request', (r) => {
      if (r.url().includes('/api/cells') && !r.url().includes('latest=')) cellRequests.push(r.url());
    });
  });

  after(() => finish({ page, ctx, server, tmp }, 'cells.png', async (p) => {
    await p.evaluate(() => window.truce.home());
    await p.waitForTimeout(500);
  }));

  // What the map holds: the cells' events, the points (clustered or not),
  // and the count the page shows.
  const drawn = () => page.evaluate(() => {
    const t = window.truce;
    let inCells = 0;
    t.cells.eachLayer((m) => { inCells += m.truceCell.n; });
    let points = 0;
    t.clusters.eachLayer(() => { points++; });
    return { cells: t.cells.getLayers().length, inCells, points, shown: t.state.shown,
             complete: t.state.complete, zoom: t.map.getZoom(),
             count: document.getElementById('count').textContent };
  });

  it('draws cells with their counts, adding up to the store', { skip, timeout: STEP }, async () => {
    await page.goto(server.url);
    await page.waitForSelector('body.ready', { state: 'attached' });
    await page.waitForSelector('#loading', { state: 'hidden' });
    await page.waitForTimeout(400);
    const d = await drawn();
    assert.equal(d.complete, false, 'a store this large is drawn as cells');
    assert.ok(d.cells > 5, `${d.cells} cells drawn`);
    assert.equal(d.shown, N);
    assert.equal(d.inCells + d.points, N, `cells ${d.inCells} + points ${d.points}`);
    assert.match(d.count, /^12,000 events shown/);
    // the ring of a cell: its count, its verdicts in its title
    const ring = page.locator('.truce-cell .ring').first();
    assert.match(await ring.innerText(), /^\d+(k)?$/);
    assert.match(await ring.getAttribute('title'), /(violation|permitted|not covered|undetermined)/);
    // the slider spans the data's year, from the server's days
    assert.equal(await page.locator('#range-from-label').innerText(), '2016-01-01');
    assert.equal(await page.locator('#range-to-label').innerText(), '2016-12-31');
    // the tally by verdict is the server's, of all 12,000
    const tally = await page.locator('#event-body .tally b').allInnerTexts();
    assert.equal(tally.map((s) => +s.replace(/,/g, '')).reduce((a, b) => a + b, 0), N);
    // the latest violations of the view, from the server's cells
    await page.waitForSelector('#event-body h4');
    const heads = await page.locator('#event-body h4').allInnerTexts();
    const viol = heads.find((x) => x.startsWith('Latest violations'));
    assert.ok(viol, `headings: ${heads}`);
    assert.match(viol, /^Latest violations \(latest 8 of [\d,]+\)$/);
    const dates = await page.locator('#event-body .evlist').first().locator('.d').allInnerTexts();
    assert.equal(dates.length, 8);
    assert.deepEqual([...dates].sort().reverse(), dates, 'latest first');
  });

  it('zooms to a cell and asks for that view', { skip, timeout: STEP }, async () => {
    const before = await drawn();
    const asked = cellRequests.length;
    // the cell with the most events
    await page.evaluate(() => {
      let best = null;
      window.truce.cells.eachLayer((m) => { if (!best || m.truceCell.n > best.truceCell.n) best = m; });
      best.fire('click');
    });
    await page.waitForFunction((z) => window.truce.map.getZoom() > z, before.zoom);
    await page.waitForFunction((n) => window.truce.state.shown !== n, before.shown);
    await page.waitForSelector('#loading', { state: 'hidden' });
    const d = await drawn();
    assert.ok(cellRequests.length > asked, 'a new request for the view');
    assert.match(cellRequests[cellRequests.length - 1], /bbox=/);
    assert.ok(d.shown < N, `${d.shown} in the zoomed view`);
    assert.equal(d.inCells + d.points, d.shown);
    // the server says the same of that box
    const last = cellRequests[cellRequests.length - 1];
    const r = await page.evaluate(async (u) => (await fetch(u)).json(), last);
    assert.equal(r.total, d.shown);
  });

  it('asks again when a filter changes', { skip, timeout: STEP }, async () => {
    const asked = cellRequests.length;
    await page.selectOption('#f-verdict', 'violation');
    await page.waitForFunction((n) => window.truce.state.gen > n, 0);
    await page.waitForSelector('#loading', { state: 'hidden' });
    await page.waitForTimeout(300);
    assert.ok(cellRequests.slice(asked).some((u) => /verdict=violation/.test(u)));
    const d = await drawn();
    assert.equal(d.inCells + d.points, d.shown);
    const totals = await page.evaluate(() => window.truce.state.totals);
    assert.equal(totals.violation, d.shown, 'every one counted is a violation');
    assert.deepEqual(pageErrors, []);
  });
});
