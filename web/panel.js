/*
 * panel.js - the event tab: the overview of what is shown, an event with
 * each agreement's verdict and explanation, and its review (where the
 * case stands, its history, the form for the next step).
 */
import { $, h, clear, fmt, fixed, hexA } from './dom.js';
import { S, VERDICT_COLOUR, agreementName, sidesWords, attribution } from './state.js';
import { VERDICT_WORDS, VERDICT_RANK, VERDICTS, REASON_WORDS, NEXT_STATES, STATE_WORDS, OUTCOME_WORDS } from './words.js';
import { api, errText } from './api.js';
import { map, clusters, eventColourVerdict, markSelected } from './map.js';
import { showTab } from './tabs.js';
import { filterQuery, viewBox } from './events.js';

// The range of a toll beside its best figure: "(12–20)" when both ends
// are known and differ, "(at least 12)" with only a low end that differs.
function fatalityRange(ev) {
  var known = function (v) { return v !== null && v !== undefined; };
  var lo = ev.fatalities_low, hi = ev.fatalities_high;
  if (known(lo) && known(hi) && (lo !== ev.fatalities || hi !== ev.fatalities))
    return h('span', { class: 'muted', text: ' (' + fmt(lo) + '–' + fmt(hi) + ')' });
  if (known(lo) && !known(hi) && lo !== ev.fatalities)
    return h('span', { class: 'muted', text: ' (at least ' + fmt(lo) + ')' });
  return null;
}

function badge(v) {
  return h('span', { class: 'badge v-' + v, text: VERDICT_WORDS[v] || v });
}

// The event tab before an event is picked: the verdicts of what is
// shown, the latest violations and the cases waiting for an analyst.
export function renderOverview() {
  var body = clear($('event-body'));
  // the server's counts of what the filters select (the points loaded
  // are all of it only while S.complete)
  var counts = S.totals || {};
  body.appendChild(h('p', { class: 'muted', text: 'Click an event on the map (or below) to see each agreement\u2019s verdict and the facts behind it.' }));
  body.appendChild(h('div', { class: 'tally' },
    VERDICTS.map(function (v) {
      if (!counts[v]) return null;
      return h('div', { class: 'tc' }, h('b', { text: fmt(counts[v]) }), badge(v));
    })));
  // The latest of a verdict: from the points drawn when they are all of
  // it, else asked of the server's cells for the view.
  function list(title, v, n, hint) {
    var slot = h('div');
    body.appendChild(slot);
    if (S.complete !== false) {
      var rows = S.loaded.filter(function (f) { return eventColourVerdict(f.properties || {}) === v; })
        .sort(function (a, b) { return (b.properties.date || '').localeCompare(a.properties.date || ''); });
      fillList(slot, title, v, rows.slice(0, n), rows.length, hint);
      return;
    }
    var fv = $('f-verdict').value;
    if (fv && fv !== v) return;
    var q = filterQuery().split('&').filter(function (x) { return x && x.indexOf('verdict=') !== 0; });
    q.push('verdict=' + v, 'latest=' + n, 'points=0', 'few=0', 'zoom=' + map.getZoom(), 'bbox=' + viewBox());
    var gen = S.gen;
    api('api/cells?' + q.join('&')).then(function (r) {
      if (gen === S.gen) fillList(slot, title, v, r.latest || [], r.total, hint);
    }, function () { /* the overview stays without the list */ });
  }
  function fillList(slot, title, v, rows, total, hint) {
    if (!rows.length) return;
    slot.appendChild(h('h4', { text: title + (total > rows.length ? ' (latest ' + rows.length + ' of ' + fmt(total) + ')' : '') }));
    if (hint) slot.appendChild(h('p', { class: 'hint', text: hint }));
    slot.appendChild(h('ul', { class: 'evlist' }, rows.map(function (f) {
      var p = f.properties;
      var id = f.id || p.id;
      return h('li', null, h('button', { type: 'button', class: 'evrow', 'data-id': id,
        onclick: function () { openEvent(id, true); } },
        h('i', { class: 'dot ' + v }),
        h('span', { class: 'd', text: (p.date || '').slice(0, 10) }),
        h('span', { class: 'l', text: p.location || id }),
        h('span', { class: 'muted s', title: attribution(p) || null,
                    text: attribution(p) ? (p.side ? 'by ' + p.side : 'mutual')
                                         : (p.category || '').replace(/_/g, ' ') })));
    })));
  }
  // Cases under review and not yet assessed: what an analyst must move on.
  var open = S.loaded.filter(function (f) {
    var r = (f.properties || {}).review;
    return r && r.indexOf('assessed') !== 0;
  });
  if (open.length) {
    body.appendChild(h('h4', { text: 'Open cases (' + fmt(open.length) + ')' }));
    body.appendChild(h('ul', { class: 'evlist' }, open.slice(0, 8).map(function (f) {
      var p = f.properties, id = f.id || p.id;
      return h('li', null, h('button', { type: 'button', class: 'evrow', 'data-id': id,
        onclick: function () { openEvent(id, true); } },
        h('i', { class: 'dot ' + eventColourVerdict(p) }),
        h('span', { class: 'd', text: (p.date || '').slice(0, 10) }),
        h('span', { class: 'l', text: p.location || id }),
        h('span', { class: 'muted s', text: p.review.replace(/_/g, ' ') })));
    })));
  }
  list('Latest violations', 'violation', 8, null);
  list('Undetermined', 'undetermined', 6, 'The rules could not settle these (unknown perpetrator, imprecise date or place): an analyst should look.');
}

// Opens an event in the panel; with reveal, also zooms the map until
// its marker stands out of its cluster (for a pick from a list).
export async function openEvent(id, reveal) {
  showTab('event');
  var mk = S.markerById[id];
  if (reveal && mk && clusters.hasLayer(mk) && clusters.getVisibleParent(mk) !== mk) {
    clusters.zoomToShowLayer(mk);
  }
  var body = clear($('event-body'));
  body.appendChild(h('p', { class: 'muted', text: 'Loading ' + id + '\u2026' }));
  try {
    var ev = await api('api/events/' + encodeURIComponent(id));
    S.current = ev;
    clear(body);
    renderEvent(body, ev, true);
    markSelected(ev.lat, ev.lon);
  } catch (e) {
    clear(body);
    body.appendChild(h('p', { class: 'error', text: 'Could not load ' + id + ': ' + errText(e) }));
  }
}

function eventWhen(ev) {
  if (ev.time) return ev.time.replace('T', ' ');
  var d = ev.date_start || ev.date || '';
  return ev.date_end && ev.date_end !== d ? d + ' to ' + ev.date_end : d;
}
function actorsLine(ev) {
  var a1 = ev.actor1 || 'unknown', a2 = ev.actor2;
  if (ev.directed) return [h('b', { text: a1 }), ' \u2192 ', a2 ? h('span', { text: a2 }) : h('i', { text: 'no target named' })];
  return [h('b', { text: a1 }), a2 ? [' and ', h('b', { text: a2 })] : null];
}

export function renderEvent(body, ev, withReview) {
  var as = (ev.assessments || []).slice().sort(function (x, y) {
    return (VERDICT_RANK[y.verdict] || 0) - (VERDICT_RANK[x.verdict] || 0) ||
           agreementName(x.agreement).localeCompare(agreementName(y.agreement));
  });
  var applies = as.filter(function (a) { return a.verdict !== 'not_applicable'; });
  var na = as.filter(function (a) { return a.verdict === 'not_applicable'; });
  var flags = [];
  if (ev.protected_site) flags.push(h('span', { class: 'flag', text: 'protected site' }));
  if (ev.civilian_targeting) flags.push(h('span', { class: 'flag', text: 'civilians targeted' }));
  // read from the news by truce extract and stored by an analyst: no one
  // has confirmed it (docs/extract.md)
  if (ev.source === 'news') flags.push(h('span', { class: 'flag unverified', text: 'unverified (news)' }));

  body.appendChild(h('div', { class: 'ev-head' },
    h('div', { class: 'ev-verdict' }, badge(ev.verdict || 'not_covered'),
      h('span', { class: 'muted small', text: 'overall verdict' }),
      withReview ? h('button', { type: 'button', class: 'link close', text: 'back to the list',
        onclick: function () { S.current = null; markSelected(NaN, NaN); renderOverview(); } }) : null),
    h('h3', { text: ev.location || ev.id }),
    h('div', { class: 'muted small' }, ev.id, ev.admin1 ? ' \u00b7 ' + ev.admin1 : ''),
    withReview && ev.review ? h('div', { class: 'small case-line' }, 'Case: ',
      h('a', { href: '#', onclick: function (e2) { e2.preventDefault(); var r = body.querySelector('.review'); if (r) r.scrollIntoView({ behavior: 'smooth' }); } },
        (STATE_WORDS[ev.review.state] || ev.review.state) +
        (ev.review.outcome ? ' \u2014 ' + (OUTCOME_WORDS[ev.review.outcome] || ev.review.outcome) : '')),
      h('span', { class: 'muted', text: ' (see the review below)' })) : null));

  var facts = h('dl', { class: 'facts' },
    h('dt', { text: 'When' }), h('dd', { text: eventWhen(ev) }),
    h('dt', { text: 'What' }), h('dd', null, (ev.category || '').replace(/_/g, ' '),
      ev.subcategory ? h('span', { class: 'muted', text: ' (' + ev.subcategory + ')' }) : null),
    h('dt', { text: 'Who' }), h('dd', null, actorsLine(ev)),
    h('dt', { text: 'Where' }), h('dd', null,
      fixed(ev.lat, 4) + ', ' + fixed(ev.lon, 4),
      h('span', { class: 'muted', text: ev.radius_km === null || ev.radius_km === undefined ? ' \u00b7 place imprecise (radius unknown)'
        : ev.radius_km === 0 ? ' \u00b7 exact point' : ' \u00b7 within ' + fmt(ev.radius_km) + ' km' })),
    ev.fatalities !== null && ev.fatalities !== undefined ? [h('dt', { text: 'Killed' }),
      h('dd', null, fmt(ev.fatalities), fatalityRange(ev))] : null,
    flags.length ? [h('dt', { text: 'Flags' }), h('dd', null, flags)] : null);
  body.appendChild(facts);
  if (ev.notes) body.appendChild(h('p', { class: 'notes', text: ev.notes }));
  rememberActors(ev);

  body.appendChild(h('h4', { text: 'Verdict under each agreement' }));
  if (!applies.length) {
    body.appendChild(h('p', { class: 'muted', text: as.length
      ? 'No agreement applies to this event: it is outside their times or zones.'
      : 'No agreement is loaded: the event is not covered.' }));
  }
  applies.forEach(function (a) { body.appendChild(assessmentCard(a)); });
  if (na.length) {
    body.appendChild(h('details', { class: 'na' },
      h('summary', { text: na.length + ' agreement' + (na.length === 1 ? ' does' : 's do') + ' not apply' }),
      na.map(assessmentCard)));
  }
  if (ev.incident && ev.incident.reports && ev.incident.reports.length > 1)
    body.appendChild(incidentSection(ev));
  if (withReview) body.appendChild(reviewSection(ev));
}

// "3 sources: acled, news \u00d72", from the incident's reports by source.
export function sourcesWords(bySource) {
  var names = Object.keys(bySource || {});
  return names.length + ' source' + (names.length === 1 ? '' : 's') + ': ' +
    names.map(function (n) { return bySource[n] > 1 ? n + ' \u00d7' + bySource[n] : n; }).join(', ');
}

// The incident the event reports (DESIGN section 15): every report of it,
// why each was linked to the representative, and where they disagree.
function incidentSection(ev) {
  var inc = ev.incident;
  return h('section', { class: 'incident' },
    h('h4', { text: 'One incident, ' + inc.reports.length + ' reports' }),
    h('p', { class: 'small' }, sourcesWords(inc.reports_by_source),
      h('span', { class: 'muted', text: ' \u00b7 ' + (inc.corroboration || '') })),
    h('ul', { class: 'reports' }, inc.reports.map(function (r) {
      var self = r.id === ev.id;
      return h('li', null,
        self ? h('b', { text: r.id }) : h('button', { type: 'button', class: 'link', 'data-id': r.id, text: r.id,
          onclick: function () { openEvent(r.id, true); } }),
        h('span', { class: 'muted', text: ' (' + r.source + ')' }),
        r.representative ? h('span', { class: 'flag', text: 'representative' }) : null,
        r.why ? h('div', { class: 'small muted why', text: r.why }) : null);
    })),
    (inc.contested || []).map(function (d) {
      return h('p', { class: 'small contested' }, 'The reports differ under ' + agreementName(d.agreement) + ': ',
        Object.keys(d.verdicts).map(function (id) {
          var v = d.verdicts[id];
          return id + ' ' + (VERDICT_WORDS[v.verdict] || v.verdict) + ' (' + (REASON_WORDS[v.reason] || v.reason) + ')';
        }).join('; '));
    }));
}

function assessmentCard(a) {
  var col = VERDICT_COLOUR[a.verdict] || '#999';
  var sides = a.sides && a.sides.length ? a.sides : (a.side ? [a.side] : []);
  return h('article', { class: 'assess', style: 'border-left-color:' + col },
    h('header', null,
      h('i', { class: 'sw', style: 'border-color:' + (S.colour[a.agreement] || '#999') + ';background:' + hexA(S.colour[a.agreement] || '#999999', 0.25) }),
      h('span', { class: 'aname', text: agreementName(a.agreement) }), badge(a.verdict)),
    h('div', { class: 'small' },
      h('span', { class: 'muted', text: 'Reason: ' }), REASON_WORDS[a.reason] || a.reason || '\u2014',
      a.reason ? h('code', { text: a.reason }) : null),
    sides.length ? h('div', { class: 'small' },
      h('span', { class: 'muted', text: 'Attributed to: ' }), sidesWords(sides, a.agreement),
      a.guarantors && a.guarantors.length ? [h('span', { class: 'muted', text: ' \u00b7 must answer: ' }),
        a.guarantors.join(', ')] : null) : null,
    h('p', { class: 'explain', text: a.explanation || '' }));
}

function rememberActors(ev) {
  var dl = $('actor-names');
  [ev.actor1, ev.actor2].forEach(function (n) {
    if (!n) return;
    for (var i = 0; i < dl.options.length; i++) if (dl.options[i].value === n) return;
    dl.appendChild(h('option', { value: n }));
  });
}

// The review: where the case stands, its history, and the next step.
function reviewSection(ev) {
  var sec = h('section', { class: 'review' }, h('h4', { text: 'Review' }));
  var r = ev.review;
  if (r) {
    sec.appendChild(h('p', null,
      h('span', { class: 'state st-' + r.state, text: STATE_WORDS[r.state] || r.state }),
      r.outcome ? [' \u2014 ', h('b', { text: OUTCOME_WORDS[r.outcome] || r.outcome })] : null,
      r.guarantor ? h('span', { class: 'muted', text: ' (guarantor: ' + r.guarantor + ')' }) : null));
    if (r.note) sec.appendChild(h('blockquote', { text: r.note }));
    sec.appendChild(h('p', { class: 'muted small', text: 'by ' + (r.by || '?') + ', ' + (r.at || '').replace('T', ' ') }));
    if (r.outcome) {
      sec.appendChild(h('p', { class: 'hint', text: 'The reviewed outcome stands beside the computed verdict (' +
        (VERDICT_WORDS[ev.verdict] || ev.verdict) + '), never in its place.' }));
    }
  } else {
    sec.appendChild(h('p', { class: 'muted', text: 'Not under review.' }));
  }
  var hist = ev.history || [];
  if (hist.length) {
    sec.appendChild(h('details', { class: 'history', open: hist.length <= 4 },
      h('summary', { text: 'History (' + hist.length + ')' }),
      h('ol', null, hist.map(function (x) {
        var after = x.after || {};
        return h('li', null,
          h('span', { class: 'muted', text: (x.at || '').replace('T', ' ') + ' \u00b7 ' + (x.user || '?') + ': ' }),
          x.action === 'report' ? 'filed the report'
            : x.action === 'news' ? 'stored it from the news (unverified)'
            : [STATE_WORDS[after.state] || after.state || x.action,
               after.outcome ? ' (' + (OUTCOME_WORDS[after.outcome] || after.outcome) + ')' : '',
               after.guarantor ? ' \u2014 ' + after.guarantor : ''],
          after.note ? h('div', { class: 'small', text: after.note }) : null);
      }))));
  }
  sec.appendChild(reviewForm(ev));
  return sec;
}

function reviewForm(ev) {
  var cur = (ev.review && ev.review.state) || '';
  var next = NEXT_STATES[cur] || [];
  if (!S.token) {
    return h('p', { class: 'hint', text: 'Sign in with an analyst\u2019s token to take the case a step further.' });
  }
  var state = h('select', { id: 'rv-state', required: true },
    next.map(function (s) { return h('option', { value: s, text: s.replace(/_/g, ' ') }); }));
  var gset = {};
  (ev.assessments || []).forEach(function (a) { (a.guarantors || []).forEach(function (g) { gset[g] = true; }); });
  S.guarantors.forEach(function (g) { gset[g] = true; });
  var guarantor = h('select', { id: 'rv-guarantor' },
    Object.keys(gset).sort().map(function (g) { return h('option', { value: g, text: g }); }));
  var outcome = h('select', { id: 'rv-outcome' },
    Object.keys(OUTCOME_WORDS).map(function (o) { return h('option', { value: o, text: OUTCOME_WORDS[o] }); }));
  var note = h('textarea', { id: 'rv-note', rows: 2, required: true, placeholder: 'what was done or found (required)' });
  var msg = h('span', { class: 'msg', role: 'status' });
  var gl = h('label', null, 'Guarantor asked', guarantor);
  var ol = h('label', null, 'Outcome', outcome);
  function sync() {
    gl.hidden = state.value !== 'information_requested';
    ol.hidden = state.value !== 'assessed';
  }
  state.addEventListener('change', sync);
  var form = h('form', { class: 'review-form', id: 'review-form' },
    h('div', { class: 'grid2' }, h('label', null, 'Next step', state), gl, ol),
    h('label', null, 'Note', note),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Record step' }), msg));
  sync();
  form.addEventListener('submit', async function (e) {
    e.preventDefault();
    if (!note.value.trim()) { msg.textContent = 'A note is required.'; msg.className = 'msg error'; return; }
    var b = { state: state.value, note: note.value.trim() };
    if (state.value === 'information_requested') b.guarantor = guarantor.value;
    if (state.value === 'assessed') b.outcome = outcome.value;
    msg.textContent = 'Saving\u2026'; msg.className = 'msg';
    try {
      var r = await api('api/events/' + encodeURIComponent(ev.id) + '/review', { method: 'POST', body: b });
      S.current = r;
      var bodyEl = $('event-body');
      clear(bodyEl);
      renderEvent(bodyEl, r, true);
      var m2 = bodyEl.querySelector('.review-form .msg');
      if (m2) { m2.textContent = 'Recorded: ' + (STATE_WORDS[b.state] || b.state) + '.'; m2.className = 'msg ok'; }
      var rv = bodyEl.querySelector('.review');
      if (rv) rv.scrollIntoView({ block: 'nearest' });
    } catch (err) {
      msg.textContent = errText(err); msg.className = 'msg error';
    }
  });
  if (!next.length) return h('p', { class: 'hint', text: 'No further step.' });
  return form;
}
