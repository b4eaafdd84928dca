// What the browser tests share: paths, running truce, starting a server,
// building a store from the example data, and launching Debian's Chromium
// with playwright-core.

import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.TRUCE_CHROMIUM || '/usr/bin/chromium';
export const TRUCE = process.env.TRUCE_BIN || path.join(TOP, 'build/truce');
export const SHOTS = process.env.TRUCE_BROWSER_SHOTS || path.join(TOP, 'build/screenshots');
export const STEP = 60_000;   // each step's time limit (ms)
export const skip = fs.existsSync(CHROMIUM) ? false
  : `${CHROMIUM} is missing (apt-get install chromium): the browser tests are skipped`;

// Runs truce on the temporary store; returns its stdout.
export function truce(db, ...args) {
  return execFileSync(TRUCE, ['--db', db, ...args], { cwd: TOP, encoding: 'utf8',
                                                       stdio: ['ignore', 'pipe', 'pipe'] });
}

// Starts `truce serve --port 0` and resolves to { proc, url } once it has
// printed `truce: serving URL`.
export function serve(db) {
  return new Promise((resolve, reject) => {
    const proc = spawn(TRUCE, ['--db', db, 'serve', '--port', '0'],
                       { cwd: TOP, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGTERM');
      reject(new Error(`truce serve printed no URL in 15 s; stderr: ${err}`));
    }, 15_000);
    proc.stdout.on('data', (b) => {
      out += b;
      const m = /serving (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1].replace(/\/?$/, '/') }); }
    });
    proc.stderr.on('data', (b) => { err += b; });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`truce serve exited (${code}) before serving; stderr: ${err}`));
    });
  });
}


// A temporary folder with a store made from the example data: the steps
// of scripts/demo.sh plus the Syria outline as boundaries.
export function exampleStore() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'truce-browser-'));
  const db = path.join(tmp, 'dash.db');
  truce(db, 'init');
  truce(db, 'actors', 'load', 'examples/actors.json');
  truce(db, 'agreements', 'load', 'examples/agreements-syria-2016.json');
  truce(db, 'boundaries', 'load', 'examples/zones/syria.geojson', '--name', 'syria');
  const events = fs.readdirSync(path.join(TOP, 'examples/events'))
    .filter((f) => f.endsWith('.jsonl')).map((f) => path.join('examples/events', f));
  truce(db, 'ingest', ...events);
  truce(db, 'assess');
  return { tmp, db };
}

// Debian's Chromium, headless, with a fresh profile under tmp.
export async function launch(tmp) {
  const require = createRequire(path.join(TOP, 'web/package.json'));
  const { chromium } = require('playwright-core');
  return chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
}

// Stops a server from serve(): SIGTERM, then SIGKILL after 5 s.
export async function stop(server) {
  const gone = new Promise((r) => server.proc.once('exit', r));
  server.proc.kill('SIGTERM');
  await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
  if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGKILL');
}

// A page of a fresh headless Chromium under tmp: { ctx, page, pageErrors }
// (the page's script errors collected).
export async function openPage(tmp) {
  const ctx = await launch(tmp);
  const page = ctx.pages()[0] || await ctx.newPage();
  const pageErrors = [];
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { ctx, page, pageErrors };
}

// The end of a suite: a screenshot SHOTS/name (after prepare(page), when
// given), then the browser, the server and tmp go.
export async function finish({ page, ctx, server, tmp }, name, prepare) {
  if (page) {
    try {
      fs.mkdirSync(SHOTS, { recursive: true });
      if (prepare) await prepare(page);
      await page.screenshot({ path: path.join(SHOTS, name) });
      console.log(`# screenshot: ${path.relative(TOP, path.join(SHOTS, name))}`);
    } catch (e) {
      console.log(`# no screenshot: ${e.message}`);
    }
  }
  if (ctx) await ctx.close();
  if (server) await stop(server);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
