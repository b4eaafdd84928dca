// bench/firstview.mjs - the dashboard's first view, timed in Debian's
// Chromium (playwright-core): from navigation to the map drawn (the page
// marks body.ready once its first load is drawn), then RUNS pans and zooms
// each timed from the move to its view drawn. Prints one JSON line.
//
// usage: node bench/firstview.mjs URL [RUNS]
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const url = process.argv[2];
const runs = +(process.argv[3] || 10);
const require = createRequire(path.join(TOP, 'web/package.json'));
const { chromium } = require('playwright-core');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'truce-firstview-'));
const ctx = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
  executablePath: process.env.TRUCE_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  viewport: { width: 1440, height: 900 },
});
const page = ctx.pages()[0] || await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const t0 = Date.now();
await page.goto(url);
await page.waitForSelector('body.ready', { state: 'attached', timeout: 120_000 });
await page.waitForSelector('#loading', { state: 'hidden', timeout: 120_000 });
const first = Date.now() - t0;
const drawn = await page.evaluate(() => ({
  cells: window.truce.cells.getLayers().length,
  shown: window.truce.state.shown,
}));
if (process.env.BENCH_SHOT) await page.screenshot({ path: process.env.BENCH_SHOT });
// pans and zooms: each until the page's next load is drawn
const moves = [];
for (let i = 0; i < runs; i++) {
  const gen = await page.evaluate(() => window.truce.state.gen);
  const t = Date.now();
  await page.evaluate((k) => {
    const m = window.truce.map;
    if (k % 3 === 2) m.setZoom(m.getZoom() + (k % 2 ? -1 : 1), { animate: false });
    else m.panBy([k % 2 ? 240 : -240, k % 4 ? 120 : -120], { animate: false });
  }, i);
  await page.waitForFunction((g) => window.truce.state.gen > g, gen, { timeout: 30_000 });
  await page.waitForSelector('#loading', { state: 'hidden', timeout: 30_000 });
  moves.push(Date.now() - t);
}
moves.sort((a, b) => a - b);
console.log(JSON.stringify({ first_view_ms: first, cells: drawn.cells, shown: drawn.shown,
                             move_ms_median: moves[Math.floor(moves.length / 2)] ?? null,
                             move_ms_max: moves[moves.length - 1] ?? null, errors }));
await ctx.close();
fs.rmSync(tmp, { recursive: true, force: true });
