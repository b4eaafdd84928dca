// The "Read an article" tab in a real browser against a real `truce serve`:
// an analyst pastes an article, the findings come back highlighted in the
// text (one highlight per sentence, every finding in one), an incident is
// edited and stored, and the stored event is the edited one, of source
// news, unverified. Saves build/screenshots/article.png.
//
// Run: scripts/run-browser-tests.sh (or node --test tests/browser/).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TRUCE, STEP, skip, truce, serve, exampleStore, openPage, finish } from './lib.mjs';

// Our own wire-style text: a dash and an accent before the findings, so
// that byte offsets and string indices differ.
const ARTICLE =
  'BEIRUT — Government warplanes struck a hospital in Maarat al-Numan on Monday, killing at least 12 people, activists said. ' +
  'Rebels shelled the west of Aleppo on Saturday, killing three civilians near a café, state media reported.\n' +
  'A 48-hour truce brokered by Russia and Turkey took effect in Aleppo at midnight on Saturday.';

describe('reading an article', { timeout: 4 * STEP }, () => {
  let tmp, db, server, ctx, page, token, doc;
  let pageErrors = [];

  before(async () => {
    if (skip) return;
    assert.ok(fs.existsSync(TRUCE), `${TRUCE} is missing: run make first`);
    ({ tmp, db } = exampleStore());
    const gz = path.join(tmp, 'gz.csv');
    fs.writeFileSync(gz, 'geonameid,name,latitude,longitude,countrycode,population,timezone\n' +
                         '1,Aleppo,36.20124,37.16117,SY,1602264,Asia/Damascus\n' +
                         '2,Maarat al-Numan,35.6436,36.6703,SY,58008,Asia/Damascus\n');
    truce(db, 'gazetteer', 'load', gz);
    token = truce(db, 'users', 'add', 'ana', '--role', 'analyst').trim();
    server = await serve(db);
    // what the server reads in it, for the counts the page must show
    const r = await fetch(server.url + 'api/extract', {
      method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: ARTICLE, date: '2016-02-17', tz: 'Asia/Damascus' }) });
    assert.equal(r.status, 200, 'POST /api/extract');
    doc = await r.json();
    assert.ok(doc.incidents.length >= 2, `two incidents expected, got ${doc.incidents.length}`);
    ({ ctx, page, pageErrors } = await openPage(tmp));
  });

  after(() => finish({ page, ctx, server, tmp }, 'article.png', async (p) => {
    // the text and the first findings in view, for docs/img/article.png
    // (the last step opened the stored event: back to the Article tab)
    await p.locator('button[data-tab="article"]').click();
    await p.evaluate(() => document.querySelectorAll('.panel, .tab').forEach((el) => { el.scrollTop = 0; }));
  }));

  it('shows the findings highlighted in the text', { skip, timeout: STEP }, async () => {
    await page.goto(server.url);
    await page.waitForSelector('body.ready', { state: 'attached' });
    await page.fill('#token', token);
    await page.click('#signin-btn');
    await page.click('.tabs [data-tab="article"]');
    await page.fill('#a-text', ARTICLE);
    await page.fill('#a-date', '2016-02-17');
    await page.fill('#a-tz', 'Asia/Damascus');
    await page.click('#a-read');
    await page.waitForSelector('#a-msg.ok');
    const findings = doc.incidents.length + doc.agreements.length;
    assert.equal(await page.locator('#article-body .finding').count(), findings, 'one card a finding');
    // every finding is in a highlight, once; a highlight is the sentence
    const marks = await page.$$eval('#a-textview mark', (ms) => ms.map((m) => ({
      n: m.dataset.findings.split(' ').map(Number),
      text: m.firstChild.textContent })));
    const covered = marks.flatMap((m) => m.n).sort((a, b) => a - b);
    assert.deepEqual(covered, [...Array(findings).keys()], 'each finding highlighted once');
    const all = doc.incidents.concat(doc.agreements);
    for (const m of marks) assert.equal(m.text, all[m.n[0]].sentence, 'a highlight is its sentence (bytes, not indices)');
    // the text shown is the text read, whole
    assert.equal(await page.$eval('#a-textview', (d) => Array.from(d.childNodes)
      .map((c) => c.nodeType === 3 ? c.textContent : c.firstChild.textContent).join('')), ARTICLE);
    // the category list comes from the vocabulary
    const cats = await page.$$eval('#finding-0 .a-category option', (os) => os.map((o) => o.value));
    const vocab = await (await fetch(server.url + 'api/vocabulary')).json();
    assert.deepEqual(cats, vocab.categories.map((c) => c.name));
  });

  it('stores an edited incident as an unverified news event', { skip, timeout: STEP }, async () => {
    const card = page.locator('#finding-0');
    await card.locator('summary').click();   // "Edit before storing"
    assert.equal(await card.locator('.a-place').inputValue(), doc.incidents[0].place.name);
    await card.locator('.a-fatalities').fill('14');
    await card.locator('.a-category').selectOption('violence_against_civilians');
    await card.locator('.a-store').click();
    await page.waitForSelector('#finding-0 .msg.ok');
    const said = await card.locator('.msg').textContent();
    const id = doc.incidents[0].id;
    assert.match(said, new RegExp('Stored as ' + id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.equal(await page.locator('#a-textview mark.stored').count(), 1, 'its highlight marked stored');
    const ev = await (await fetch(server.url + 'api/events/' + encodeURIComponent(id))).json();
    assert.equal(ev.source, 'news');
    assert.equal(ev.fatalities, 14);
    assert.equal(ev.category, 'violence_against_civilians');
    assert.match(ev.notes, /^unverified, read from the news: /);
    assert.equal(ev.history.find((x) => x.action === 'news').user, 'ana');
    // the event panel says it is unverified
    await card.locator('button.link').click();
    await page.waitForSelector('#tab-event .flag.unverified');
    assert.equal(await page.locator('#tab-event .flag.unverified').textContent(), 'unverified (news)');
    // the other incident is not stored
    const other = await fetch(server.url + 'api/events/' + encodeURIComponent(doc.incidents[1].id));
    assert.equal(other.status, 404);
    assert.deepEqual(pageErrors, []);
  });
});
