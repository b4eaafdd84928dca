/*
 * tabs.js - the panel's tabs: which one is open, opening one (with the
 * defaults a tab picks the first time it is shown).
 */
import { $ } from './dom.js';
import { S } from './state.js';
import { map } from './map.js';
import { showTrend, fillZones } from './trend.js';
import { showCoverage } from './coverage.js';
import { whatifShown, whatifHidden } from './whatif.js';

// The local agreement that applies to the most events shown: the more
// telling default for the trend and the report.
function pickBusiestLocal(selId) {
  var n = {};
  S.loaded.forEach(function (f) {
    var vs = (f.properties && f.properties.verdicts) || {};
    Object.keys(vs).forEach(function (a) { if (vs[a] !== 'not_applicable') n[a] = (n[a] || 0) + 1; });
  });
  var best = null;
  S.agreements.forEach(function (a) {
    if (a.kind === 'nationwide') return;
    if (!best || (n[a.id] || 0) > (n[best] || 0)) best = a.id;
  });
  if (best) $(selId).value = best;
}
// The article's time zones offered: the agreements' own (no list of
// zones kept in the page).
function fillZoneList() {
  var dl = $('a-zones'), seen = {};
  if (dl.options.length) return;
  S.agreements.forEach(function (a) {
    if (a.timezone && !seen[a.timezone]) {
      seen[a.timezone] = true;
      var o = document.createElement('option');
      o.value = a.timezone;
      dl.appendChild(o);
    }
  });
}
export function currentTab() {
  var b = document.querySelector('.tabs [aria-selected="true"]');
  return b ? b.dataset.tab : 'event';
}
export function showTab(name) {
  document.querySelectorAll('.tabs [role=tab]').forEach(function (b) {
    b.setAttribute('aria-selected', b.dataset.tab === name ? 'true' : 'false');
  });
  document.querySelectorAll('.tab').forEach(function (t) { t.hidden = t.id !== 'tab-' + name; });
  $('maphint').hidden = name !== 'file';
  var wide = name === 'report' || name === 'article';
  if (document.body.classList.contains('wide') !== wide) {
    document.body.classList.toggle('wide', wide);
    map.invalidateSize();   // keeps the centre
  }
  document.body.classList.toggle('picking', name === 'file');
  if (name === 'trend' && !$('trend-body').querySelector('.chart')) {
    if (!S.trendPicked) pickBusiestLocal('t-agreement');
    fillZones();
    showTrend();
  }
  if (name === 'report' && !S.reportPicked) pickBusiestLocal('d-agreement');
  if (name === 'article') fillZoneList();
  if (name === 'whatif') whatifShown(); else whatifHidden();
  if (name === 'coverage' && $('coverage-body').classList.contains('empty') && $('c-country').value) showCoverage();
}
