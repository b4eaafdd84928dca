/*
 * main.js - the truce dashboard's entry point (index.html loads it as a
 * module after the vendor scripts). Wires the page's controls to the
 * views and starts: health, boundaries, agreements, then the events.
 *
 * The dashboard is plain ES modules, no framework and no build step. It
 * talks only to the JSON API of `truce serve` (docs/api.md) on the same
 * origin; Leaflet, Leaflet.markercluster and uPlot are loaded from
 * vendor/ (copied from the npm packages by scripts/build-web.sh).
 *
 * The modules import each other in circles (the map opens the event
 * panel, the panel moves the map), which ES modules allow as long as no
 * module uses another's bindings while it is being evaluated. So at load
 * time the other modules only define things, make the map and its layers
 * (map.js, from Leaflet's global L alone) and read the stored token
 * (api.js, into S of state.js, which imports nothing); the listeners on
 * index.html's controls are added here, once every module is loaded.
 */
import { $, h, clear, debounce } from './dom.js';
import { S } from './state.js';
import { api, errText, signIn, signOut, showSignedIn, showHealth, setStatus } from './api.js';
import { map, clusters, cellLayer, setTiles, home, loadBoundaries, loadAgreements } from './map.js';
import { loadEvents, filtersChanged, moved } from './events.js';
import { rangeChanged, drawHist } from './time.js';
import { openEvent, renderEvent } from './panel.js';
import { currentTab, showTab } from './tabs.js';
import { setReportPoint, drawReportPin, fileReport } from './fieldreport.js';
import { showTrend, fillZones } from './trend.js';
import { showCoverage } from './coverage.js';
import { showDailyReport } from './dailyreport.js';
import { loadVocabulary } from './words.js';
import { readArticle } from './article.js';
import { startWhatif, whatifEdited } from './whatif.js';

// ---- the map, the tabs, sign-in --------------------------------------

map.on('click', function (e) {
  if (currentTab() === 'file') setReportPoint(e.latlng.lat, e.latlng.lng);
});
// with the server's cells (a large store), the new view's
map.on('moveend', moved);

document.querySelectorAll('.tabs [role=tab]').forEach(function (b) {
  b.addEventListener('click', function () { showTab(b.dataset.tab); });
});

$('signin').addEventListener('submit', function (e) {
  e.preventDefault();
  var t = $('token').value.trim();
  if (!t) return;
  signIn(t, $('remember').checked);
  $('token').value = '';
  showSignedIn();
  if (S.startAfterSignIn) { S.startAfterSignIn = false; start(); return; }
  if (S.current) { var b = clear($('event-body')); renderEvent(b, S.current, true); }
});
$('signout-btn').addEventListener('click', function () {
  signOut();
  showSignedIn();
  if (S.current) { var b = clear($('event-body')); renderEvent(b, S.current, true); }
});

// ---- filters, the date range, the tabs' forms ------------------------

['f-agreement', 'f-verdict', 'f-side', 'f-category'].forEach(function (id) {
  $(id).addEventListener('change', filtersChanged);
});
$('f-reset').addEventListener('click', function () {
  ['f-agreement', 'f-verdict', 'f-side', 'f-category'].forEach(function (id) { $(id).value = ''; });
  if (S.days.length) { $('range-from').value = 0; $('range-to').value = S.days.length - 1; rangeChanged(false); }
  filtersChanged();
});
$('range-from').addEventListener('input', function () { rangeChanged(false); });
$('range-to').addEventListener('input', function () { rangeChanged(false); });
$('range-from').addEventListener('change', function () { rangeChanged(true); });
$('range-to').addEventListener('change', function () { rangeChanged(true); });
window.addEventListener('resize', debounce(drawHist, 100));

$('report-form').addEventListener('submit', fileReport);
['r-lat', 'r-lon', 'r-radius'].forEach(function (id) { $(id).addEventListener('change', drawReportPin); });
$('trend-form').addEventListener('submit', showTrend);
$('t-agreement').addEventListener('change', function () { S.trendPicked = true; fillZones(); });
$('d-agreement').addEventListener('change', function () { S.reportPicked = true; });
$('coverage-form').addEventListener('submit', showCoverage);
$('dreport-form').addEventListener('submit', showDailyReport);
$('article-form').addEventListener('submit', readArticle);
$('w-agreement').addEventListener('change', startWhatif);
['w-from', 'w-until', 'w-excluded'].forEach(function (id) { $(id).addEventListener('change', whatifEdited); });
$('whatif-form').addEventListener('submit', function (e) { e.preventDefault(); whatifEdited(); });

$('tile-url').value = localStorage.getItem('truce.tiles') || '';
$('tile-apply').addEventListener('click', function () {
  var u = $('tile-url').value.trim();
  if (u) localStorage.setItem('truce.tiles', u); else localStorage.removeItem('truce.tiles');
  setTiles(u);
});

// ---- start -----------------------------------------------------------

async function start() {
  showSignedIn();
  setTiles(localStorage.getItem('truce.tiles') || '');
  var health = null;
  try {
    health = await api('api/health');
  } catch (e) {
    if (e.status === 401) {
      // The server runs with --read-token-required: start once signed in.
      S.startAfterSignIn = true;
      setStatus(S.token ? 'this token is not valid here: sign in again' : 'this server needs a token to read: sign in', true);
      if (S.token) { signOut(); showSignedIn(); }
      $('token').focus();
    } else {
      setStatus('cannot reach the server: ' + errText(e), true);
    }
    return;
  }
  S.health = health;
  showHealth();
  try {
    await loadVocabulary();
  } catch (e) {
    setStatus('cannot read the server\u2019s vocabulary: ' + errText(e), true);
    return;
  }
  var bounds = null;
  try {
    bounds = await loadBoundaries();
    await loadAgreements();
  } catch (e) {
    setStatus('could not load the map: ' + errText(e), true);
  }
  if (!S.boundaries.length) {
    S.noLand = true;
    showHealth();
    $('legend-zones').parentNode.appendChild(h('p', { class: 'hint warn',
      text: 'No boundaries are loaded, so there is no basemap: truce boundaries load FILE.geojson --name NAME.' }));
  }
  S.home = bounds;
  if (!bounds) {
    var zb = null;
    Object.keys(S.zoneLayers).forEach(function (id) {
      var b = S.zoneLayers[id].getBounds();
      if (b.isValid()) zb = zb ? zb.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
    });
    S.home = zb;
  }
  home();
  await loadEvents(true);
  document.body.classList.add('ready');
}

// For the browser tests and for analysts at the console.
window.truce = { map: map, clusters: clusters, cells: cellLayer, state: S, openEvent: openEvent, showTab: showTab, home: home };
start();
