/*
 * article.js - the "Read an article" tab: an analyst pastes a news
 * article, the server reads it (POST /api/extract), the page shows the
 * text with each finding's sentence highlighted and beside it the
 * findings: incidents, each editable and stored one by one as an
 * unverified event of source news (POST /api/extract/incidents), and
 * agreement statements, shown as read.
 *
 * The spans the server gives are byte offsets in the UTF-8 text, not
 * JavaScript string indices: the text is encoded once (TextEncoder) and
 * each piece decoded from its bytes (TextDecoder).
 */
import { $, h, clear, fmt } from './dom.js';
import { S } from './state.js';
import { api, errText } from './api.js';
import { CATEGORY_WORDS, VERDICT_WORDS } from './words.js';
import { openEvent } from './panel.js';

var enc = new TextEncoder();
var dec = new TextDecoder();

export async function readArticle(e) {
  e.preventDefault();
  var msg = $('a-msg');
  var text = $('a-text').value, date = $('a-date').value;
  if (!text.trim()) { say(msg, 'Paste the article\u2019s text.', 'error'); return; }
  if (!date) { say(msg, 'Give the day the article was published.', 'error'); return; }
  if (!S.token) { say(msg, 'Sign in with an analyst\u2019s token first.', 'error'); return; }
  var body = { text: text, date: date };
  if ($('a-tz').value.trim()) body.tz = $('a-tz').value.trim();
  if ($('a-source').value.trim()) body.source = $('a-source').value.trim();
  say(msg, 'Reading\u2026', '');
  $('a-read').disabled = true;
  try {
    var doc = await api('api/extract', { method: 'POST', body: body });
    say(msg, doc.incidents.length + ' incident(s), ' + doc.agreements.length +
        ' agreement statement(s) found. Check each against the text, edit it if need be, then store it.', 'ok');
    showFindings(doc, text);
  } catch (err) {
    say(msg, errText(err), 'error');
  } finally {
    $('a-read').disabled = false;
  }
}

function say(el, text, kind) {
  el.textContent = text;
  el.className = 'msg' + (kind ? ' ' + kind : '');
}

// The findings in one list, each with its kind and its number in the page.
function findingsOf(doc) {
  var all = [];
  doc.incidents.forEach(function (x) { all.push({ kind: 'incident', x: x }); });
  doc.agreements.forEach(function (x) { all.push({ kind: 'agreement', x: x }); });
  all.forEach(function (f, i) { f.n = i; });
  return all;
}

function showFindings(doc, text) {
  var out = clear($('article-body'));
  var all = findingsOf(doc);
  out.appendChild(h('h4', { text: 'The article, ' + doc.published + ' (' + doc.timezone + ')' }));
  out.appendChild(highlighted(text, all));
  out.appendChild(h('h4', { text: 'Findings' }));
  if (!all.length) out.appendChild(h('p', { class: 'muted', text: 'Nothing found in this article.' }));
  // the sub-types the article's findings use, offered for editing
  var subs = {};
  doc.incidents.forEach(function (x) { if (x.subcategory) subs[x.subcategory] = true; });
  out.appendChild(h('datalist', { id: 'a-subcategories' },
    Object.keys(subs).map(function (s) { return h('option', { value: s }); })));
  all.forEach(function (f) {
    out.appendChild(f.kind === 'incident' ? incidentCard(f) : agreementCard(f));
  });
}

// The text with one <mark> per sentence that findings came from: the
// spans are grouped when they are the same sentence (two places of one
// act), so each mark lists its findings (data-findings).
function highlighted(text, all) {
  var bytes = enc.encode(text);
  var spans = all.map(function (f) { return { s: f.x.span[0], e: f.x.span[1], n: [f.n] }; })
    .filter(function (g) { return g.s >= 0 && g.e <= bytes.length && g.s < g.e; })
    .sort(function (a, b) { return a.s - b.s || a.e - b.e; });
  var groups = [];
  spans.forEach(function (g) {
    var last = groups[groups.length - 1];
    if (last && g.s < last.e) { last.e = Math.max(last.e, g.e); last.n = last.n.concat(g.n); }
    else groups.push(g);
  });
  var div = h('div', { class: 'article-text', id: 'a-textview' });
  var at = 0;
  groups.forEach(function (g) {
    if (g.s > at) div.appendChild(document.createTextNode(dec.decode(bytes.subarray(at, g.s))));
    var kinds = g.n.map(function (n) { return all[n].kind; });
    div.appendChild(h('mark', {
      class: 'hl ' + (kinds.indexOf('incident') >= 0 ? 'incident' : 'agreement'),
      'data-findings': g.n.join(' '),
      title: g.n.map(function (n) { return '#' + (n + 1) + ' ' + all[n].kind; }).join(', '),
      onclick: function () {
        var card = $('finding-' + g.n[0]);
        if (card) { card.scrollIntoView({ block: 'nearest' }); flash(card); }
      }
    }, dec.decode(bytes.subarray(g.s, g.e)), h('sup', { text: g.n.map(function (n) { return n + 1; }).join(',') })));
    at = g.e;
  });
  if (at < bytes.length) div.appendChild(document.createTextNode(dec.decode(bytes.subarray(at))));
  return div;
}

function flash(el) {
  el.classList.add('flash');
  setTimeout(function () { el.classList.remove('flash'); }, 900);
}

// The marks of finding n, lit while its card is hovered.
function marksOf(n) {
  return Array.prototype.filter.call(document.querySelectorAll('#a-textview mark'), function (m) {
    return m.dataset.findings.split(' ').indexOf(String(n)) >= 0;
  });
}
function linkToMarks(card, n) {
  card.addEventListener('mouseenter', function () { marksOf(n).forEach(function (m) { m.classList.add('active'); }); });
  card.addEventListener('mouseleave', function () { marksOf(n).forEach(function (m) { m.classList.remove('active'); }); });
}

function evidence(x) {
  var ev = x.evidence || {};
  var keys = Object.keys(ev);
  if (!keys.length) return null;
  return h('ul', { class: 'evidence small' }, keys.map(function (k) {
    return h('li', null, h('span', { class: 'muted', text: k.replace(/_/g, ' ') + ' \u2190 ' }), '\u201c' + ev[k] + '\u201d');
  }));
}

function field(label, input) { return h('label', null, label, input); }
function num(v) { return v === null || v === undefined ? '' : String(v); }

function incidentCard(f) {
  var x = f.x, pl = x.place || {};
  var cat = h('select', { class: 'a-category' }, Object.keys(CATEGORY_WORDS).map(function (c) {
    return h('option', { value: c, text: CATEGORY_WORDS[c], selected: c === x.category });
  }));
  var inputs = {
    subcategory: h('input', { type: 'text', class: 'a-subcategory', list: 'a-subcategories', value: x.subcategory || '' }),
    place: h('input', { type: 'text', class: 'a-place', value: pl.name || '' }),
    lat: h('input', { type: 'number', class: 'a-lat', step: 'any', min: -90, max: 90, value: num(pl.lat) }),
    lon: h('input', { type: 'number', class: 'a-lon', step: 'any', min: -180, max: 180, value: num(pl.lon) }),
    radius: h('input', { type: 'number', class: 'a-radius', step: 'any', min: 0, value: num(pl.radius_km) }),
    start: h('input', { type: 'date', class: 'a-start', value: x.date_start || '' }),
    end: h('input', { type: 'date', class: 'a-end', value: x.date_end || '' }),
    actor1: h('input', { type: 'text', class: 'a-actor1', value: x.actor1 || '' }),
    fatalities: h('input', { type: 'number', class: 'a-fatalities', min: 0, step: 1, value: num(x.fatalities) })
  };
  var msg = h('span', { class: 'msg', role: 'status' });
  var result = h('div', { class: 'a-result' });
  var btn = h('button', { type: 'submit', class: 'primary a-store', text: 'Store' });
  var p = x.perpetrator || {};
  var form = h('form', { class: 'finding incident', id: 'finding-' + f.n, novalidate: true },
    h('div', { class: 'finding-head' },
      h('strong', { text: '#' + (f.n + 1) + ' incident' }),
      h('span', { class: 'muted', text: ' ' + [CATEGORY_WORDS[x.category] || x.category, pl.name,
        x.date_start === x.date_end ? x.date_start : x.date_start + ' to ' + x.date_end].filter(Boolean).join(' \u00b7 ') })),
    h('p', { class: 'small sentence', text: x.sentence }),
    h('p', { class: 'small' },
      h('span', { class: 'muted', text: 'perpetrator ' }), p.text ? p.text + ' (' + (p.kind || 'unknown') + ')' : 'not named',
      h('span', { class: 'muted', text: ' \u00b7 fatalities ' }), fmt(x.fatalities),
      x.fatalities_low !== null && x.fatalities_low !== undefined && x.fatalities_low !== x.fatalities
        ? ' (at least ' + x.fatalities_low + ')' : '',
      x.protected_site ? h('span', { class: 'tag', text: 'protected site' }) : null,
      x.hedged ? h('span', { class: 'tag', text: 'hedged' }) : null,
      x.attribution ? h('span', { class: 'muted', text: ' \u00b7 ' + x.attribution }) : null,
      h('span', { class: 'muted', text: ' \u00b7 confidence ' + x.confidence })),
    evidence(x),
    h('details', { class: 'edit' }, h('summary', { text: 'Edit before storing' }),
      h('div', { class: 'grid2' },
        field('Category', cat), field('Sub-type', inputs.subcategory),
        field('Place name', inputs.place), field('Radius (km)', inputs.radius),
        field('Latitude', inputs.lat), field('Longitude', inputs.lon),
        field('First day', inputs.start), field('Last day', inputs.end),
        field('Perpetrator (actor 1)', inputs.actor1), field('Fatalities', inputs.fatalities))),
    h('div', { class: 'actions' }, btn, msg),
    result);
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    storeIncident(f, cat, inputs, btn, msg, result, form);
  });
  linkToMarks(form, f.n);
  return form;
}

function numberOrNull(el, int) {
  if (el.value === '') return null;
  return int ? parseInt(el.value, 10) : parseFloat(el.value);
}

async function storeIncident(f, cat, inputs, btn, msg, result, form) {
  var x = JSON.parse(JSON.stringify(f.x));   // the finding as read, edited below
  x.category = cat.value;
  x.subcategory = inputs.subcategory.value.trim() || null;
  x.place = Object.assign({}, x.place || {}, {
    name: inputs.place.value.trim() || null,
    lat: numberOrNull(inputs.lat), lon: numberOrNull(inputs.lon),
    radius_km: numberOrNull(inputs.radius)
  });
  x.date_start = inputs.start.value || null;
  x.date_end = inputs.end.value || x.date_start;
  x.actor1 = inputs.actor1.value.trim() || null;
  x.fatalities = numberOrNull(inputs.fatalities, true);
  if (x.fatalities !== f.x.fatalities) {
    // an analyst's number is the number: the range read is no longer it
    x.fatalities_low = x.fatalities;
    x.fatalities_high = null;
  }
  say(msg, 'Storing\u2026', '');
  btn.disabled = true;
  try {
    var ev = await api('api/extract/incidents', { method: 'POST', body: x });
    say(msg, 'Stored as ' + ev.id + ' (unverified).', 'ok');
    form.classList.add('stored');
    marksOf(f.n).forEach(function (m) { m.classList.add('stored'); });
    btn.textContent = 'Store again';
    clear(result).appendChild(h('p', { class: 'small' },
      h('span', { class: 'badge v-' + ev.verdict, text: VERDICT_WORDS[ev.verdict] || ev.verdict }), ' ',
      h('button', { type: 'button', class: 'link', text: 'open ' + ev.id + ' in the event panel',
                    onclick: function () { openEvent(ev.id, true); } })));
  } catch (err) {
    say(msg, errText(err), 'error');
  } finally {
    btn.disabled = false;
  }
}

function agreementCard(f) {
  var x = f.x;
  var rows = [
    ['action', x.action],
    ['brokers', (x.brokers || []).join(', ') || null],
    ['area', x.area ? x.area.name + (x.nationwide ? ' (nationwide)' : '') : (x.nationwide ? 'nationwide' : null)],
    ['effective', x.effective ? x.effective.replace('T', ' ') + ' ' + (x.timezone || '') : null],
    ['until', x.until],
    ['duration', x.duration_hours ? x.duration_hours + ' hours' : null],
    ['excluded', (x.excluded || []).join(', ') || null],
    ['guarantors', (x.guarantors || []).map(function (g) { return g.guarantor + ' for the ' + g.side; }).join('; ') || null]
  ].filter(function (r) { return r[1]; });
  var card = h('div', { class: 'finding agreement', id: 'finding-' + f.n },
    h('div', { class: 'finding-head' }, h('strong', { text: '#' + (f.n + 1) + ' agreement statement' }),
      h('span', { class: 'muted', text: ' read only \u00b7 confidence ' + x.confidence })),
    h('p', { class: 'small sentence', text: x.sentence }),
    h('dl', { class: 'facts small' }, rows.map(function (r) { return [h('dt', { text: r[0] }), h('dd', { text: r[1] })]; })),
    evidence(x),
    h('p', { class: 'hint', text: 'Agreements are loaded from a reviewed file (truce extract --agreements-out, then truce agreements load), not from here.' }));
  linkToMarks(card, f.n);
  return card;
}
