/*
 * time.js - days and the date slider: the slider's steps over the data's
 * span, the histogram drawn under it, and the range it selects.
 */
import { $, debounce } from './dom.js';
import { S, DAY, VERDICT_COLOUR } from './state.js';
import { loadEvents } from './events.js';

// The slider's steps: S.days holds the first day of each, S.step days
// apart (the server picks the step, so that a span of centuries, a
// mistyped year, stays 1,500 steps and the page stays usable).
function daysBetween(a, b) { return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / DAY); }
// The last day of step i.
export function stepEnd(i) { return i + 1 < S.days.length ? addDays(S.days[i + 1], -1) : S.lastDay; }
function addDays(d, n) { return new Date(Date.parse(d + 'T00:00:00Z') + n * DAY).toISOString().slice(0, 10); }

// The slider over the span of the first load's events (it has no
// filter), with the histogram of events and violations per step, as
// GET /api/cells?days=1 gives them: {first, last, step, counts}.
export function setSpan(days) {
  var span = daysBetween(days.first, days.last) + 1;
  S.step = days.step;
  S.lastDay = days.last;
  S.days = [];
  for (var k = 0; k * S.step < span; k++) S.days.push(addDays(days.first, k * S.step));
  var n = S.days.length;
  S.hist = days.counts.slice(0, n);
  ['range-from', 'range-to'].forEach(function (id) { $(id).max = n - 1; });
  $('range-from').value = 0;
  $('range-to').value = n - 1;
  $('c-date').value = $('c-date').value || days.last;
  $('d-date').value = $('d-date').value || days.last;
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
const reloadSoon = debounce(function () { S.complete = null; loadEvents(false); }, 250);
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
