/*
 * trend.js - the trend tab: an agreement's daily potential violations
 * before and after it took effect (/api/trend), as a uPlot chart (the
 * page's classic script from vendor/), a table and words.
 */
import { $, h, clear, fmt, fixed } from './dom.js';
import { S, VERDICT_COLOUR } from './state.js';
import { api, errText } from './api.js';

let trendPlot = null;
export async function showTrend(e) {
  if (e) e.preventDefault();
  var id = $('t-agreement').value;
  if (!id) return;
  var q = 'agreement=' + encodeURIComponent(id) + '&window=' + encodeURIComponent($('t-window').value || 30);
  if ($('t-zone').value) q += '&zone=' + encodeURIComponent($('t-zone').value);
  if ($('t-country').value) q += '&country=' + encodeURIComponent($('t-country').value);
  var body = clear($('trend-body'));
  var seq = S.trendSeq = (S.trendSeq || 0) + 1;
  body.appendChild(h('p', { class: 'muted', text: 'Computing\u2026' }));
  try {
    var t = await api('api/trend?' + q);
    if (seq !== S.trendSeq) return;
    clear(body);
    renderTrend(body, t);
  } catch (err) {
    if (seq !== S.trendSeq) return;
    clear(body);
    body.appendChild(h('p', { class: 'error', text: errText(err) }));
  }
}
function ratioText(r) {
  if (!r) return 'no rate ratio';
  var lo = r.ci_low === null ? '0' : fixed(r.ci_low, 2);
  var hi = r.ci_high === null ? 'infinity' : fixed(r.ci_high, 2);
  return (r.estimate === null ? 'undefined' : fixed(r.estimate, 2)) + ' (95% interval ' + lo + ' to ' + hi + ')';
}
function ratioWords(r, before) {
  if (!r) return '';
  if (r.estimate === null) {
    return before && before.count === 0
      ? 'There were no potential violations before the start, so no rate ratio can be given.'
      : 'The rate ratio cannot be computed.';
  }
  var s;
  if (Math.abs(r.estimate - 1) < 0.005) s = 'The daily rate did not change. ';
  else if (r.estimate < 1) s = 'The daily rate fell by ' + Math.round((1 - r.estimate) * 100) + '%. ';
  else s = 'The daily rate rose ' + (r.estimate < 2 ? 'by ' + Math.round((r.estimate - 1) * 100) + '%' : fixed(r.estimate, 1) + '-fold') + '. ';
  return s + intervalWords(r, 'fall', 'rise');
}
function intervalWords(r, down, up) {
  if (r.ci_high !== null && r.ci_high < 1) return 'The whole 95% interval lies below 1: the ' + down + ' is unlikely to be chance.';
  if (r.ci_low !== null && r.ci_low > 1) return 'The whole 95% interval lies above 1: the ' + up + ' is unlikely to be chance.';
  return 'The 95% interval includes 1: the data cannot tell this from chance.';
}
// The ratio of ratios: the zones' rate ratio over the control region's.
function didWords(r) {
  if (!r || r.estimate === null) return 'It cannot be computed (a window without events).';
  var s;
  if (Math.abs(r.estimate - 1) < 0.005) s = 'The zones changed as the rest of the country did. ';
  else if (r.estimate < 1) s = 'The zones\u2019 rate ratio is ' + Math.round((1 - r.estimate) * 100) + '% below the rest of the country\u2019s. ';
  else s = 'The zones\u2019 rate ratio is ' + Math.round((r.estimate - 1) * 100) + '% above the rest of the country\u2019s. ';
  return s + intervalWords(r, 'difference', 'difference');
}
// A UTC instant as a local time in the agreement's zone: YYYY-MM-DD HH:MM.
function localTime(iso, tz) {
  var d = new Date(iso);
  if (!iso || isNaN(d)) return iso || '';
  try {
    var parts = {};
    new Intl.DateTimeFormat('en-GB', { timeZone: tz || 'UTC', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d)
      .forEach(function (x) { parts[x.type] = x.value; });
    return parts.year + '-' + parts.month + '-' + parts.day + ' ' + parts.hour + ':' + parts.minute;
  } catch (e) {
    return iso.replace('T', ' ').slice(0, 16) + ' UTC';
  }
}
function windowRow(label, w, tz) {
  return h('tr', null, h('th', { text: label }),
    h('td', { class: 'when' }, localTime(w.from, tz), h('br'), localTime(w.to, tz)),
    h('td', { class: 'num', text: fmt(w.count) }),
    h('td', { class: 'num', text: fixed(w.rate_per_day, 2) }),
    h('td', { class: 'num', text: fmt(w.all_violent) }),
    h('td', { class: 'num', text: fmt(w.fatalities) }));
}
function renderTrend(body, t) {
  var a = S.agreementById[t.agreement];
  body.appendChild(h('h3', { text: a ? a.name : t.agreement }));
  body.appendChild(h('p', { class: 'muted small', text: 'Took effect ' + (t.start_local || '').replace('T', ' ') + ' ' +
    (t.timezone || '') + '. Windows of ' + fmt(t.window_days) + ' days either side' + (t.zone ? ', zone ' + t.zone : '') + '.' }));
  var chart = h('div', { class: 'chart', id: 'trend-chart' });
  body.appendChild(chart);
  body.appendChild(h('div', { class: 'chart-legend' },
    h('span', null, h('i', { class: 'sw bar' }), 'potential violations a day'),
    h('span', null, h('i', { class: 'sw line' }), 'all violent events a day'),
    h('span', null, h('i', { class: 'sw start' }), 'start')));
  body.appendChild(h('table', { class: 'tbl' },
    h('thead', null, h('tr', null, h('th'), h('th', { text: 'from / until (local)' }), h('th', { class: 'num', text: 'potential violations' }),
      h('th', { class: 'num', text: 'a day' }), h('th', { class: 'num', text: 'all violent' }), h('th', { class: 'num', text: 'killed' }))),
    h('tbody', null, windowRow('Before', t.before, t.timezone), windowRow('After', t.after, t.timezone))));
  body.appendChild(h('p', { class: 'words' },
    'Before: ' + fixed(t.before.rate_per_day, 2) + ' potential violations a day; after: ' +
    fixed(t.after.rate_per_day, 2) + '. Rate ratio (after / before): ', h('b', { text: ratioText(t.rate_ratio) }), '. ',
    ratioWords(t.rate_ratio, t.before)));
  if (t.control) {
    body.appendChild(h('p', { class: 'words' },
      'In the rest of the country (the control region) the rate ratio was ', h('b', { text: ratioText(t.control.rate_ratio) }),
      '. Ratio of the two (difference in differences): ', h('b', { text: ratioText(t.ratio_of_ratios) }), '. ',
      didWords(t.ratio_of_ratios)));
  }
  if (t.note) body.appendChild(h('p', { class: 'hint', text: t.note }));
  drawTrend(chart, t);
}
function drawTrend(el, t) {
  if (trendPlot) { trendPlot.destroy(); trendPlot = null; }
  var daily = t.daily || [];
  var xs = [], pv = [], av = [];
  daily.forEach(function (d) {
    xs.push(Date.parse(d.date + 'T12:00:00Z') / 1000);
    pv.push(d.potential_violations);
    av.push(d.all_violent);
  });
  var startX = Date.parse((t.start_local || '').slice(0, 10) + 'T00:00:00Z') / 1000 +
    (function () { var m = /T(\d\d):(\d\d)/.exec(t.start_local || ''); return m ? (+m[1] * 3600 + +m[2] * 60) : 0; })();
  var width = Math.max(300, el.clientWidth || 380);
  trendPlot = new uPlot({
    width: width, height: 210,
    tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: function (u, lo, hi) { return [0, Math.max(2, Math.ceil(hi * 1.15))]; } } },
    axes: [
      { stroke: '#55606b', grid: { stroke: '#eef1f4' }, ticks: { stroke: '#d5dbe0' } },
      { stroke: '#55606b', grid: { stroke: '#eef1f4' }, ticks: { stroke: '#d5dbe0' }, size: 36,
        values: function (u, vals) { return vals.map(function (v) { return Number.isInteger(v) ? v : ''; }); } }
    ],
    series: [
      {},
      { label: 'potential violations', stroke: VERDICT_COLOUR.violation, fill: 'rgba(192,57,43,0.55)', width: 0,
        paths: uPlot.paths.bars({ size: [0.8, 14] }), points: { show: false } },
      { label: 'all violent events', stroke: '#55606b', width: 1.2, dash: [4, 3], points: { show: false },
        paths: uPlot.paths.stepped({ align: 0 }) }
    ],
    hooks: {
      draw: [function (u) {
        var x = Math.round(u.valToPos(startX, 'x', true));
        var g = u.ctx;
        g.save();
        g.strokeStyle = '#1d4f86'; g.lineWidth = 2 * (window.devicePixelRatio || 1);
        g.setLineDash([6, 4]);
        g.beginPath(); g.moveTo(x, u.bbox.top); g.lineTo(x, u.bbox.top + u.bbox.height); g.stroke();
        g.fillStyle = '#1d4f86';
        g.font = (11 * (window.devicePixelRatio || 1)) + 'px system-ui, sans-serif';
        g.fillText(' start', x + 2, u.bbox.top + 12 * (window.devicePixelRatio || 1));
        g.restore();
      }]
    }
  }, [xs, pv, av], el);
}

// The zones of the trend's agreement: all of them, or one.
export function fillZones() {
  var sel = $('t-zone'), names = S.zoneNames[$('t-agreement').value] || [];
  while (sel.options.length > 1) sel.remove(1);
  names.forEach(function (n) { sel.appendChild(h('option', { value: n, text: n })); });
  sel.disabled = names.length < 2;
}
