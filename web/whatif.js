/*
 * whatif.js - the "What if" tab (DESIGN section 12): an analyst edits a
 * loaded agreement — its dates, the actors excluded, a zone's vertices
 * dragged on the map — and sees, as the edit is made, what every stored
 * event's verdict would be (POST /api/whatif, nothing stored): the counts
 * by verdict, side and guarantor beside those of the agreement as loaded,
 * and the events that would change, ringed on the map.
 */
import { $, h, clear, fmt, debounce } from './dom.js';
import { S, VERDICT_COLOUR, agreementName } from './state.js';
import { VERDICT_WORDS } from './words.js';
import { api, errText } from './api.js';
import { map } from './map.js';
import { openEvent } from './panel.js';

var MAX_HANDLES = 400;

var W = {
  id: null,          // the agreement edited
  base: null,        // its summary and zones, as loaded
  baseline: null,    // the whatif answer for it unchanged
  ring: null,        // the vertices of the zone edited: [[lon, lat], ...]
  zone: 0,           // which zone
  editLayer: null,   // the polygon and the vertex handles
  changedLayer: null,
  seq: 0
};

// The agreement as a draft in the file format: the resolved summary with
// its zones inline (a draft sent to the server names no files).
function draftOf(edit) {
  var a = JSON.parse(JSON.stringify(W.base));
  var zones = (a.zones && a.zones.features) || [];
  delete a.zones; delete a.area_km2; delete a.extends;
  a.zones = zones.map(function (f, i) {
    var g = f.geometry;
    if (edit && i === W.zone && W.ring && g.type === 'Polygon')
      g = { type: 'Polygon', coordinates: [W.ring.concat([W.ring[0]])].concat(g.coordinates.slice(1)) };
    return { name: f.properties.name, geometry: g };
  });
  if (edit) {
    var from = $('w-from').value, until = $('w-until').value;
    a.in_force = [{ from: from, until: until || null }];
    a.excluded = $('w-excluded').value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
  }
  return [a];
}

export async function startWhatif() {
  var id = $('w-agreement').value;
  if (!id) return;
  W.id = id;
  var body = clear($('whatif-body'));
  body.appendChild(h('p', { class: 'muted', text: 'Loading the agreement\u2026' }));
  try {
    W.base = await api('api/agreements/' + encodeURIComponent(id));
  } catch (e) {
    clear(body).appendChild(h('p', { class: 'error', text: errText(e) }));
    return;
  }
  var f0 = (W.base.in_force || [])[0] || {};
  $('w-from').value = (f0.from || '').slice(0, 16);
  $('w-until').value = (f0.until || '').slice(0, 16);
  $('w-excluded').value = (W.base.excluded || []).join(', ');
  W.zone = 0;
  drawEditor();
  W.baseline = null;
  await runWhatif();
}

// The zone's outer ring as handles that drag; a drop runs the what-if.
function drawEditor() {
  if (W.editLayer) map.removeLayer(W.editLayer);
  W.editLayer = L.layerGroup().addTo(map);
  var f = ((W.base.zones && W.base.zones.features) || [])[W.zone];
  if (!f || f.geometry.type !== 'Polygon') { W.ring = null; return; }
  var ring = f.geometry.coordinates[0].slice(0, -1);
  W.ring = ring.map(function (p) { return [p[0], p[1]]; });
  if (W.ring.length > MAX_HANDLES) {
    // a drawn border of that many corners is not edited by hand
    $('w-msg').textContent = 'The zone has ' + W.ring.length + ' corners: too many to drag one by one.';
    W.ring = null;
    return;
  }
  var poly = L.polygon(W.ring.map(function (p) { return [p[1], p[0]]; }),
    { color: '#c2410c', weight: 2, dashArray: '6 4', fill: false, interactive: false, className: 'whatif-zone' });
  W.editLayer.addLayer(poly);
  W.ring.forEach(function (p, i) {
    var m = L.marker([p[1], p[0]], { draggable: true, keyboard: false,
      icon: L.divIcon({ className: 'whatif-vertex', iconSize: [12, 12] }) });
    m.on('drag', function (e) {
      var ll = e.target.getLatLng();
      W.ring[i] = [ll.lng, ll.lat];
      poly.setLatLngs(W.ring.map(function (q) { return [q[1], q[0]]; }));
    });
    m.on('dragend', function () { runSoon(); });
    W.editLayer.addLayer(m);
  });
}

var runLater = debounce(function () { runWhatif(); }, 250);
function runSoon() { S.whatifBusy = true; runLater(); }
export function whatifEdited() { runSoon(); }

async function runWhatif() {
  var seq = ++W.seq, body = $('whatif-body');
  S.whatifBusy = true;   // until the answer to the last request is shown
  $('w-msg').textContent = 'Assessing every stored event\u2026';
  try {
    if (!W.baseline) W.baseline = await api('api/whatif', { method: 'POST', body: draftOf(false) });
    var r = await api('api/whatif', { method: 'POST', body: draftOf(true) });
    if (seq !== W.seq) return;
    $('w-msg').textContent = '';
    clear(body);
    renderResult(body, r);
    ringChanged(r);
    S.whatifRuns = (S.whatifRuns || 0) + 1;   // for the browser test
    S.whatifBusy = false;
  } catch (e) {
    if (seq !== W.seq) return;
    S.whatifBusy = false;
    $('w-msg').textContent = '';
    clear(body).appendChild(h('p', { class: 'error', text: e.status === 401 || e.status === 403
      ? 'What-if needs an analyst\u2019s token: sign in.' : errText(e) }));
  }
}

function countsOf(r) {
  var a = (r.by_agreement || []).filter(function (x) { return x.id === W.id; })[0];
  return a || { counts: {}, by_side: {}, by_guarantor: {} };
}

function tableRows(label, now, was) {
  var keys = Object.keys(Object.assign({}, was || {}, now || {}));
  return keys.map(function (k) {
    var n = (now || {})[k] || 0, b = (was || {})[k] || 0, d = n - b;
    return h('tr', null, h('th', { text: label(k) }), h('td', { text: fmt(b) }), h('td', { text: fmt(n) }),
      h('td', { class: d > 0 ? 'up' : d < 0 ? 'down' : 'muted', text: d ? (d > 0 ? '+' : '') + fmt(d) : '\u2014' }));
  });
}

function renderResult(body, r) {
  var now = countsOf(r), was = countsOf(W.baseline);
  body.appendChild(h('p', null, 'Under the draft of ', h('b', { text: agreementName(W.id) }),
    ' (' + fmt(r.events) + ' stored events, nothing stored):'));
  body.appendChild(h('table', { class: 'whatif-counts' },
    h('thead', null, h('tr', null, h('th'), h('th', { text: 'as loaded' }), h('th', { text: 'draft' }), h('th', { text: 'change' }))),
    h('tbody', null,
      tableRows(function (k) { return VERDICT_WORDS[k] || k; }, now.counts, was.counts),
      Object.keys(Object.assign({}, now.by_side, was.by_side)).length
        ? [h('tr', { class: 'sub' }, h('th', { colspan: 4, text: 'Violations by side' })),
           tableRows(function (k) { return k; }, now.by_side, was.by_side)] : null,
      Object.keys(Object.assign({}, now.by_guarantor, was.by_guarantor)).length
        ? [h('tr', { class: 'sub' }, h('th', { colspan: 4, text: 'Violations by guarantor' })),
           tableRows(function (k) { return k; }, now.by_guarantor, was.by_guarantor)] : null)));
  body.appendChild(h('h4', { text: fmt(r.changed_count) + ' event' + (r.changed_count === 1 ? '' : 's') +
    ' would change their overall verdict' }));
  body.appendChild(h('ul', { class: 'evlist whatif-changed' }, (r.changed || []).slice(0, 200).map(function (c) {
    return h('li', null, h('button', { type: 'button', class: 'evrow', 'data-id': c.id,
      onclick: function () { openEvent(c.id, true); } },
      h('i', { class: 'dot ' + c.after }),
      h('span', { class: 'l', text: c.id }),
      h('span', { class: 'muted s', text: (VERDICT_WORDS[c.before] || c.before || 'pending') + ' \u2192 ' + (VERDICT_WORDS[c.after] || c.after) })));
  })));
}

// The events that would change, ringed in the colour of their new verdict.
function ringChanged(r) {
  if (W.changedLayer) map.removeLayer(W.changedLayer);
  W.changedLayer = L.layerGroup().addTo(map);
  (r.changed || []).forEach(function (c) {
    var m = S.markerById[c.id];
    if (!m) return;
    W.changedLayer.addLayer(L.circleMarker(m.getLatLng(), { pane: 'events', radius: 10, weight: 2.5, fill: false,
      color: VERDICT_COLOUR[c.after] || '#333', className: 'whatif-changed-ring', interactive: false }));
  });
}

// Leaving the tab takes the handles and rings off the map.
export function whatifHidden() {
  if (W.editLayer) { map.removeLayer(W.editLayer); W.editLayer = null; }
  if (W.changedLayer) { map.removeLayer(W.changedLayer); W.changedLayer = null; }
  W.id = null;
}
export function whatifShown() {
  var sel = $('w-agreement');
  if (!sel.options.length) {
    S.agreements.forEach(function (a) { sel.appendChild(h('option', { value: a.id, text: a.name })); });
    var local = S.agreements.filter(function (a) { return a.kind !== 'nationwide'; })[0];
    if (local) sel.value = local.id;
  }
  if (!W.id) startWhatif();
}
