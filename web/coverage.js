/*
 * coverage.js - the coverage tab: which part of a country the agreements
 * in force covered on a day, and how many of the violent events of the 30
 * days before fell inside (/api/coverage).
 */
import { $, h, clear, fmt, pct, hexA } from './dom.js';
import { S, agreementName } from './state.js';
import { CLASS_WORDS } from './words.js';
import { api, errText } from './api.js';

export async function showCoverage(e) {
  if (e) e.preventDefault();
  var d = $('c-date').value, c = $('c-country').value;
  var body = clear($('coverage-body'));
  if (!d || !c) {
    body.appendChild(h('p', { class: 'error', text: c ? 'Pick a date.' : 'Coverage needs a country: load one with truce boundaries load FILE --name NAME.' }));
    return;
  }
  var seq = S.coverageSeq = (S.coverageSeq || 0) + 1;
  body.appendChild(h('p', { class: 'muted', text: 'Computing\u2026' }));
  try {
    var r = await api('api/coverage?date=' + encodeURIComponent(d) + '&country=' + encodeURIComponent(c));
    if (seq !== S.coverageSeq) return;
    clear(body);
    renderCoverage(body, r);
  } catch (err) {
    if (seq !== S.coverageSeq) return;
    clear(body);
    body.appendChild(h('p', { class: 'error', text: errText(err) }));
  }
}
function renderCoverage(body, r) {
  body.appendChild(h('div', { class: 'cov-head' },
    h('span', { class: 'cls cls-' + r.classification, text: r.classification }),
    h('span', { class: 'muted', text: CLASS_WORDS[r.classification] || '' })));
  body.appendChild(h('p', { class: 'words' },
    'On ', h('b', { text: r.date }), ' (12:00 local), agreements in force covered ', h('b', { text: pct(r.share) }),
    ' of ' + r.country + ' (' + fmt(Math.round(r.covered_area_km2)) + ' of ' + fmt(Math.round(r.country_area_km2)) + ' km\u00b2).'));
  body.appendChild(h('p', { class: 'words' },
    r.event_share === null
      ? 'No violent events in the 30 days before.'
      : ['Of the ' + fmt(r.events_total) + ' violent events of the 30 days before, ',
         h('b', { text: fmt(r.events_inside) + ' (' + pct(r.event_share) + ')' }), ' fell inside the covered area.']));
  var rows = (r.agreements || []).slice().sort(function (x, y) { return y.share - x.share; });
  if (!rows.length) { body.appendChild(h('p', { class: 'muted', text: 'No agreement in force that day.' })); return; }
  body.appendChild(h('table', { class: 'tbl' },
    h('thead', null, h('tr', null, h('th', { text: 'agreement in force' }), h('th', { class: 'num', text: 'km\u00b2' }), h('th', { text: 'share of the country' }))),
    h('tbody', null, rows.map(function (a) {
      var col = S.colour[a.id] || '#888';
      return h('tr', null,
        h('td', null, h('i', { class: 'sw', style: 'border-color:' + col + ';background:' + hexA(col, 0.25) }), agreementName(a.id)),
        h('td', { class: 'num', text: fmt(Math.round(a.area_km2)) }),
        h('td', null, h('div', { class: 'bar' }, h('i', { style: 'width:' + Math.max(0.5, a.share * 100) + '%;background:' + col })),
          h('span', { class: 'small', text: pct(a.share) })));
    }))));
}
