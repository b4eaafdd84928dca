/*
 * time.js - days and the date slider: the slider's steps over the data's
 * span, the histogram drawn under it, and the range it selects.
 */
import { $, debounce } from './dom.js';
import { S, DAY, VERDICT_COLOUR } from './state.js';
import { loadEvents } from './events.js';

// The slider's steps: S.days holds the first day of each, S.step days
// apart, so that a span of centuries (a mistyped year) stays a few
// thousand steps and the page stays usable.
const MAX_STEPS = 1500;
function daysBetween(a, b) { return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / DAY); }
function dayIndex(d) { return Math.floor(daysBetween(S.days[0], d) / S.step); }
// The last day of step i.
export function stepEnd(i) { return i + 1 < S.days.length ? addDays(S.days[i + 1], -1) : S.lastDay; }
function addDays(d, n) { return new Date(Date.parse(d + 'T00:00:00Z') + n * DAY).toISOString().slice(0, 10); }

// The slider over the span of the first load's events (it has no
// filter), with the histogram of events and violations per step.
export function setSpan(features) {
  var lo = null, hi = null;
  features.forEach(function (f) {
    var p = f.properties || {};
    // A dated event has its local day; one with a time, its UTC instant.
    var d0 = p.date && p.date.slice(0, 10), d1 = (p.date_end || p.date || '').slice(0, 10);
    if (d0 && (!lo || d0 < lo)) lo = d0;
    if (d1 && (!hi || d1 > hi)) hi = d1;
  });
  if (!lo) return;
  var span = daysBetween(lo, hi) + 1;
  S.step = Math.max(1, Math.ceil(span / MAX_STEPS));
  S.lastDay = hi;
  S.days = [];
  for (var k = 0; k * S.step < span; k++) S.days.push(addDays(lo, k * S.step));
  var n = S.days.length;
  S.hist = [];
  for (var i = 0; i < n; i++) S.hist.push([0, 0]);
  features.forEach(function (f) {
    var p = f.properties || {};
    if (!p.date) return;
    var k = dayIndex(p.date.slice(0, 10));
    if (k < 0 || k >= n) return;
    S.hist[k][0]++;
    if (p.verdict === 'violation') S.hist[k][1]++;
  });
  ['range-from', 'range-to'].forEach(function (id) { $(id).max = n - 1; });
  $('range-from').value = 0;
  $('range-to').value = n - 1;
  $('c-date').value = $('c-date').value || hi;
  $('d-date').value = $('d-date').value || hi;
  rangeChanged(false);
}
export function rangeChanged(reload) {
  var f = $('range-from'), t = $('range-to');
  if (+f.value > +t.value) {
    if (document.activeElement === f) f.value = t.value; else t.value = f.value;
  }
  // The thumb that can still move goes on top when both meet at an end.
  f.style.zIndex = +f.value >= +f.max - 1 ? 3 : 2;
  $('range-from-label').textContent = S.days[+f.value] || '\u2014';
  $('range-to-label').textContent = S.days.length ? stepEnd(+t.value) : '\u2014';
  drawHist();
  if (reload) reloadSoon();
}
const reloadSoon = debounce(function () { loadEvents(false); }, 250);
// The histogram under the slider; the steps inside the range are darker.
export function drawHist() {
  var cv = $('range-hist');
  if (!S.hist) return;
  var w = cv.clientWidth, hgt = cv.clientHeight, dpr = window.devicePixelRatio || 1;
  cv.width = w * dpr; cv.height = hgt * dpr;
  var g = cv.getContext('2d');
  g.scale(dpr, dpr);
  g.clearRect(0, 0, w, hgt);
  var n = S.hist.length, max = 1;
  S.hist.forEach(function (x) { if (x[0] > max) max = x[0]; });
  var f = +$('range-from').value, t = +$('range-to').value;
  var pad = 7, bw = (w - 2 * pad) / n;
  for (var i = 0; i < n; i++) {
    var inside = i >= f && i <= t;
    var x = pad + i * bw;
    var ha = Math.max(S.hist[i][0] ? 2 : 0, S.hist[i][0] / max * (hgt - 4));
    var hv = S.hist[i][1] / max * (hgt - 4);
    g.fillStyle = inside ? '#9fb0c0' : '#dde3e8';
    g.fillRect(x, hgt - ha, Math.max(1, bw - (bw > 3 ? 1 : 0)), ha);
    if (hv) {
      g.fillStyle = inside ? VERDICT_COLOUR.violation : '#eec4bf';
      g.fillRect(x, hgt - hv, Math.max(1, bw - (bw > 3 ? 1 : 0)), hv);
    }
  }
  var sel = $('range-sel');
  sel.style.left = (pad + f * bw) + 'px';
  sel.style.width = Math.max(2, (t - f + 1) * bw) + 'px';
}
