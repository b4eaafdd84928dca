// The "What if" tab in a real browser against a real `truce serve`
// (DESIGN section 12): an analyst picks the Aleppo regime of calm, the
// counts under it as loaded come back; a later start is typed in and the
// counts and the events that would change are those POST /api/whatif
// gives for the same draft, the changed events ringed on the map; a
// corner of the zone dragged on the map runs it again. Nothing is stored.
// Saves build/screenshots/whatif.png.
//
// Run: scripts/run-browser-tests.sh (or node --test tests/browser/).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TRUCE, STEP, skip, truce, serve, exampleStore, openPage, finish } from './lib.mjs';

const ID = 'syria-aleppo-2016-05';

describe('what if', { timeout: 5 * STEP }, () => {
  let tmp, db, server, ctx, page, token, base;
  let pageErrors = [];
  const post = async (draft) => {
    const r = await fetch(server.url + 'api/whatif', {
      method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: JSON.stringify(draft) });
    assert.equal(r.status, 200, 'POST /api/whatif');
    return r.json();
  };
  const shown = () => page.evaluate(() => {
    const rows = {};
    document.querySelectorAll('#whatif-body table.whatif-counts tbody tr').forEach((tr) => {
      const c = tr.querySelectorAll('td');
      if (c.length === 3) rows[tr.querySelector('th').textContent] = [c[0].textContent, c[1].textContent];
    });
    const h4 = document.querySelector('#whatif-body h4');
    return { rows, changed: h4 ? h4.textContent : null,
             rings: document.querySelectorAll('path.whatif-changed-ring').length };
  });

  // every stored event's verdict, from the API
  const verdicts = async () => {
    const r = await (await fetch(server.url + 'api/events?limit=10000')).json();
    return Object.fromEntries(r.features.map((f) => [f.id, f.properties.verdict]));
  };
  let stored;

  before(async () => {
    if (skip) return;
    assert.ok(fs.existsSync(TRUCE), `${TRUCE} is missing: run make first`);
    ({ tmp, db } = exampleStore());
    token = truce(db, 'users', 'add', 'ana', '--role', 'analyst').trim();
    server = await serve(db);
    stored = await verdicts();
    base = await (await fetch(server.url + 'api/agreements/' + ID)).json();
    ({ ctx, page, pageErrors } = await openPage(tmp));
  });

  after(() => finish({ page, ctx, server, tmp }, 'whatif.png'));

  // The draft of agreement id (as loaded) with another start.
  const later = async (id, from) => {
    const a = await (await fetch(server.url + 'api/agreements/' + id)).json();
    const draft = JSON.parse(JSON.stringify(a));
    delete draft.area_km2; delete draft.extends;
    draft.zones = a.zones.features.map((f) => ({ name: f.properties.name, geometry: f.geometry }));
    draft.in_force = [{ from, until: a.in_force[0].until }];
    return { a, draft };
  };
  // Waits for the tab's next answer after act().
  const answered = async (act) => {
    const n = await page.evaluate(() => window.truce.state.whatifRuns || 0);
    await act();
    await page.waitForFunction((k) => (window.truce.state.whatifRuns || 0) > k &&
                                      !window.truce.state.whatifBusy, n);
  };
  const pick = async (id, from) => {
    await answered(async () => {
      await page.selectOption('#w-agreement', id);
      await page.dispatchEvent('#w-agreement', 'change');
    });
    await answered(async () => {
      await page.fill('#w-from', from);
      await page.dispatchEvent('#w-from', 'change');
    });
  };

  it('shows the counts a later start gives, as the API says', { skip, timeout: 2 * STEP }, async () => {
    await page.goto(server.url);
    await page.waitForSelector('body.ready', { state: 'attached' });
    await page.fill('#token', token);
    await page.click('#signin-btn');
    await answered(() => page.locator('button[data-tab="whatif"]').click());
    await pick(ID, '2016-07-01T00:00');
    assert.equal(await page.locator('.whatif-vertex').count(), base.zones.features[0].geometry.coordinates[0].length - 1,
                 'a handle for each corner of the first zone');
    const got = await shown();
    const { draft } = await later(ID, '2016-07-01T00:00');
    const want = await post([draft]);
    const mine = want.by_agreement.find((a) => a.id === ID);
    for (const v of ['violation', 'undetermined', 'permitted', 'not_applicable'])
      assert.equal(got.rows[v.replace('_', ' ')] ? got.rows[v.replace('_', ' ')][1] : got.rows[v][1],
                   String(mine.counts[v]), `${v} under the draft`);
    assert.match(got.changed, new RegExp(`^${want.changed_count} events? would change`));
  });

  it('rings the events whose overall verdict would change', { skip, timeout: 2 * STEP }, async () => {
    await pick('syria-coh-2016', '2016-06-01T00:00');
    const got = await shown();
    const { draft } = await later('syria-coh-2016', '2016-06-01T00:00');
    const want = await post([draft]);
    assert.ok(want.changed_count > 0, 'a later start of the cessation changes verdicts');
    assert.match(got.changed, new RegExp(`^${want.changed_count} events would change`));
    assert.ok(got.rings > 0, 'the events that would change are ringed');
    assert.equal(await page.locator('#whatif-body .whatif-changed li').count(), Math.min(200, want.changed.length));
    // nothing was stored: every event's verdict as before
    const now = await verdicts();
    assert.deepEqual(now, stored, 'the stored verdicts changed');
    await pick(ID, '2016-07-01T00:00');
  });

  it('runs again when a corner of the zone is dragged', { skip, timeout: STEP }, async () => {
    await page.evaluate(() => window.truce.map.fitBounds(window.truce.state.zoneLayers['syria-aleppo-2016-05'].getBounds()));
    await page.waitForTimeout(500);
    const handle = page.locator('.whatif-vertex').first();
    const box = await handle.boundingBox();
    await answered(async () => {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + 160, box.y + 120, { steps: 8 });
      await page.mouse.up();
    });
    const moved = await handle.boundingBox();
    assert.ok(Math.abs(moved.x - box.x) > 100, 'the corner moved');
    assert.deepEqual(pageErrors, [], 'script errors in the page');
  });
});
