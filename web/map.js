/*
 * map.js - the Leaflet map: its panes and controls, the event dots and
 * their clusters, the land from the stored boundaries, the agreements'
 * zones and their legend, the optional raster tiles, the ring around the
 * open event. Leaflet (L) and Leaflet.markercluster are the page's
 * classic scripts from vendor/.
 */
import { $, h, fmt, escapeHtml, hexA } from './dom.js';
import { S, VERDICT_COLOUR, ZONE_COLOURS, attribution } from './state.js';
import { VERDICT_WORDS, VERDICTS } from './words.js';
import { api } from './api.js';
import { currentTab } from './tabs.js';
import { openEvent } from './panel.js';
import { setReportPoint } from './fieldreport.js';

export const map = L.map('map', { worldCopyJump: false, minZoom: 3, maxZoom: 18 })
  .setView([35, 38.5], 6);
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution('boundaries and zones: the truce store');
L.control.scale({ imperial: false }).addTo(map);
const HomeControl = L.Control.extend({
  options: { position: 'topleft' },
  onAdd: function () {
    var div = L.DomUtil.create('div', 'leaflet-bar');
    var a = L.DomUtil.create('a', 'home-btn', div);
    a.href = '#'; a.title = 'Whole country'; a.setAttribute('role', 'button');
    a.setAttribute('aria-label', 'Whole country');
    a.innerHTML = '&#8962;';
    L.DomEvent.on(a, 'click', function (e) { L.DomEvent.preventDefault(e); L.DomEvent.stopPropagation(e); home(); });
    return div;
  }
});
new HomeControl().addTo(map);
map.createPane('land').style.zIndex = 250;
map.createPane('labels').style.zIndex = 300;
map.createPane('labels').style.pointerEvents = 'none';
map.createPane('zones').style.zIndex = 350;
map.createPane('events').style.zIndex = 450;
map.createPane('selected').style.zIndex = 460;
map.getPane('selected').style.pointerEvents = 'none';
let tileLayer = null;

export const clusters = L.markerClusterGroup({
  chunkedLoading: true,
  chunkInterval: 150,
  chunkDelay: 20,
  maxClusterRadius: 44,
  disableClusteringAtZoom: 11,
  showCoverageOnHover: false,
  spiderfyOnMaxZoom: true,
  iconCreateFunction: clusterIcon
});
map.addLayer(clusters);

// Counts by verdict under a cluster, cached by child count (markers are
// only ever added to a cluster; clearing builds new clusters).
function clusterCounts(c) {
  if (c._truceN === c._childCount && c._truceCounts) return c._truceCounts;
  var counts = {};
  VERDICTS.forEach(function (v) { counts[v] = 0; });
  if (c._markers && c._childClusters) {
    c._markers.forEach(function (m) { counts[m.truceVerdict] = (counts[m.truceVerdict] || 0) + 1; });
    c._childClusters.forEach(function (cc) {
      var k = clusterCounts(cc);
      Object.keys(k).forEach(function (v) { counts[v] += k[v]; });
    });
  } else {
    c.getAllChildMarkers().forEach(function (m) { counts[m.truceVerdict] += 1; });
  }
  c._truceN = c._childCount;
  c._truceCounts = counts;
  return counts;
}
function clusterIcon(cluster) {
  return ringIcon(clusterCounts(cluster), cluster.getChildCount(), 'truce-cluster');
}
// A ring of the verdicts' shares around the count: a cluster of points,
// or a cell of the server's grid (GET /api/cells).
function ringIcon(counts, n, className) {
  var stops = [], at = 0, title = [];
  VERDICTS.forEach(function (v) {
    if (!counts[v]) return;
    var to = at + counts[v] / n * 100;
    stops.push(VERDICT_COLOUR[v] + ' ' + at.toFixed(2) + '% ' + to.toFixed(2) + '%');
    title.push(fmt(counts[v]) + ' ' + VERDICT_WORDS[v]);
    at = to;
  });
  var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : n < 100000 ? 48 : 54;
  var label = n < 10000 ? String(n) : n < 1e6 ? Math.round(n / 1000) + 'k' : (n / 1e6).toFixed(1) + 'M';
  return L.divIcon({
    html: '<div class="ring" title="' + escapeHtml(title.join(', ')) + '" style="background:conic-gradient(' +
          stops.join(',') + ')"><span>' + label + '</span></div>',
    className: className,
    iconSize: L.point(size, size)
  });
}

// The server's cells (GET /api/cells) where a view holds too many events
// to draw each: a ring a cell, at the mean place of its events; a click
// zooms to it.
export const cellLayer = L.layerGroup().addTo(map);
export function makeCellMarker(c) {
  var m = L.marker([c.lat, c.lon], { pane: 'events', icon: ringIcon(c.by_verdict, c.n, 'truce-cluster truce-cell'),
                                      keyboard: false });
  m.truceCell = c;
  m.on('click', function () {
    if (currentTab() === 'file') { setReportPoint(c.lat, c.lon); return; }
    map.fitBounds([[c.bbox[1], c.bbox[0]], [c.bbox[3], c.bbox[2]]], { animate: false });
  });
  return m;
}

export function eventColourVerdict(p) {
  var a = $('f-agreement').value;
  if (a) return (p.verdicts && p.verdicts[a]) || 'not_applicable';
  return p.verdict || 'not_covered';
}
export function makeMarker(f) {
  var p = f.properties || {};
  var c = f.geometry.coordinates;
  var v = eventColourVerdict(p);
  // a point that stands for an incident of several reports is ringed
  var several = p.reports > 1;
  var m = L.circleMarker([c[1], c[0]], {
    pane: 'events',
    radius: v === 'violation' ? 6.5 : 5.5,
    color: several ? '#1d1d1b' : '#ffffff',
    weight: several ? 2.4 : 1.2,
    fillColor: VERDICT_COLOUR[v] || VERDICT_COLOUR.not_covered,
    fillOpacity: 0.95,
    className: 'ev ev-' + v
  });
  if (several) m.bindTooltip(p.reports + ' reports of one incident');
  m.truceVerdict = v;
  m.truceId = f.id || p.id;
  m.feature = f;
  S.markerById[m.truceId] = m;
  return m;
}
clusters.on('click', function (e) {
  // While a report's position is being picked, a click on a dot picks
  // that place rather than opening the event.
  if (currentTab() === 'file') { setReportPoint(e.latlng.lat, e.latlng.lng); return; }
  if (e.layer && e.layer.truceId) openEvent(e.layer.truceId);
});
clusters.on('mouseover', function (e) {
  var m = e.layer;
  if (!m || !m.feature || m.getTooltip()) { if (m && m.openTooltip) m.openTooltip(); return; }
  var p = m.feature.properties || {};
  m.bindTooltip(
    '<b>' + escapeHtml(p.location || m.truceId) + '</b><br>' +
    escapeHtml(p.date || '') + (p.date_end && p.date_end !== p.date ? ' \u2013 ' + escapeHtml(p.date_end) : '') +
    ' \u00b7 ' + escapeHtml((p.category || '').replace(/_/g, ' ')) +
    '<br>' + escapeHtml(VERDICT_WORDS[m.truceVerdict] || m.truceVerdict) +
    (attribution(p) ? ' \u2014 ' + escapeHtml(attribution(p)) : ''),
    { direction: 'top', offset: [0, -6] }).openTooltip();
});

export function setTiles(url) {
  if (tileLayer) { map.removeLayer(tileLayer); tileLayer = null; }
  if (url) {
    tileLayer = L.tileLayer(url, { maxZoom: 18, attribution: 'tiles: ' + url.split('/')[2] });
    tileLayer.addTo(map);
  }
  document.body.classList.toggle('has-tiles', !!url);
}

// The whole of the loaded boundaries (or zones).
export function home() {
  if (S.home) map.fitBounds(S.home, { padding: [12, 12], animate: false });
}
// The ring around the event open in the panel (none for NaN).
export function markSelected(lat, lon) {
  if (S.selected) { map.removeLayer(S.selected); S.selected = null; }
  if (!isFinite(lat) || !isFinite(lon)) return;
  S.selected = L.circleMarker([lat, lon], { pane: 'selected', radius: 11, color: '#1d4f86', weight: 2.5,
    fill: false, interactive: false, className: 'selected-ring' }).addTo(map);
}

// ---- loading the model: boundaries, agreements -----------------------

export async function loadBoundaries() {
  var r = await api('api/boundaries');
  S.boundaries = (r.boundaries || []).map(function (b) { return b.name; });
  var bounds = null;
  for (var i = 0; i < S.boundaries.length; i++) {
    var fc = await api('api/boundaries/' + encodeURIComponent(S.boundaries[i]));
    var layer = L.geoJSON(fc, {
      pane: 'land',
      interactive: false,
      style: { color: '#9aa4ae', weight: 1, fillColor: '#f6f5f1', fillOpacity: 1, className: 'land' },
      onEachFeature: labelLand
    }).addTo(map);
    var b = layer.getBounds();
    if (b.isValid()) bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
  }
  ['t-country', 'c-country'].forEach(function (id) {
    var sel = $(id);
    S.boundaries.forEach(function (n) { sel.appendChild(h('option', { value: n, text: n })); });
  });
  if (!S.boundaries.length) {
    $('c-country').appendChild(h('option', { value: '', text: 'no boundaries loaded' }));
  }
  return bounds;
}

// The name of a boundary feature, written faintly at its centre, so
// that the map can be read without a tile server.
const NAME_KEYS = ['name', 'NAME', 'ADM2_EN', 'ADM1_EN', 'ADM0_EN', 'shapeName', 'admin1', 'NAME_1', 'NAME_0'];
function labelLand(f, layer) {
  var p = f.properties || {};
  for (var i = 0; i < NAME_KEYS.length; i++) {
    if (typeof p[NAME_KEYS[i]] === 'string' && p[NAME_KEYS[i]]) {
      layer.bindTooltip(escapeHtml(p[NAME_KEYS[i]]), { permanent: true, direction: 'center',
        className: 'land-label', pane: 'labels', interactive: false });
      return;
    }
  }
}

export async function loadAgreements() {
  var r = await api('api/agreements');
  S.agreements = r.agreements || [];
  // Nationwide first (drawn beneath), then local zones, largest first.
  S.agreements.sort(function (a, b) {
    var na = a.kind === 'nationwide' ? 1 : 0, nb = b.kind === 'nationwide' ? 1 : 0;
    if (na !== nb) return nb - na;
    return (b.area_km2 || 0) - (a.area_km2 || 0);
  });
  var g = {};
  S.agreements.forEach(function (a, i) {
    S.agreementById[a.id] = a;
    S.colour[a.id] = ZONE_COLOURS[i % ZONE_COLOURS.length];
    S.sideNames[a.id] = {};
    (a.sides || []).forEach(function (s) {
      S.sideNames[a.id][s.id] = s.name || s.id;
      if (!S.sides[s.id]) S.sides[s.id] = s.name || s.id;
      [].concat(s.guarantor || []).forEach(function (x) { g[x] = true; });
    });
  });
  S.guarantors = Object.keys(g).sort();
  var byStart = S.agreements.slice().sort(function (a, b) {
    return firstFrom(a).localeCompare(firstFrom(b));
  });
  ['f-agreement', 't-agreement', 'd-agreement'].forEach(function (id) {
    var sel = $(id);
    byStart.forEach(function (a) { sel.appendChild(h('option', { value: a.id, text: a.name })); });
  });
  Object.keys(S.sides).sort().forEach(function (id) {
    $('f-side').appendChild(h('option', { value: id, text: S.sides[id] }));
  });
  // The trend of a local agreement is the more telling default.
  var local = byStart.filter(function (a) { return a.kind !== 'nationwide'; });
  if (local.length) { $('t-agreement').value = local[0].id; $('d-agreement').value = local[0].id; }

  var legend = $('legend-zones');
  for (var i = 0; i < byStart.length; i++) {
    var a = byStart[i];
    var full = await api('api/agreements/' + encodeURIComponent(a.id));
    drawZones(a, full.zones);
    legend.appendChild(legendItem(a));
  }
  if (!byStart.length) legend.appendChild(h('li', { class: 'hint', text: 'no agreement loaded' }));
}
function firstFrom(a) {
  return (a.in_force && a.in_force[0] && a.in_force[0].from) || '';
}
function drawZones(a, fc) {
  var nation = a.kind === 'nationwide';
  S.zoneNames[a.id] = ((fc && fc.features) || []).map(function (f) {
    return (f.properties && f.properties.name) || '';
  }).filter(function (n) { return n; });
  var col = S.colour[a.id];
  var layer = L.geoJSON(fc, {
    pane: 'zones',
    style: {
      color: col, weight: nation ? 1.6 : 2, opacity: 0.9,
      dashArray: nation ? '7 5' : null,
      fillColor: col, fillOpacity: nation ? 0.03 : 0.13,
      className: 'zone zone-' + a.id
    },
    onEachFeature: function (f, l) {
      var zn = (f.properties && f.properties.name) || '';
      l.bindTooltip(escapeHtml(a.name) + (zn ? '<br><span class="muted">zone: ' + escapeHtml(zn) + '</span>' : ''),
                    { sticky: true });
    }
  });
  layer.addTo(map);
  S.zoneLayers[a.id] = layer;
}
function legendItem(a) {
  var cb = h('input', { type: 'checkbox', checked: true, 'aria-label': 'show zones of ' + a.name,
    onchange: function () {
      var l = S.zoneLayers[a.id];
      if (!l) return;
      if (cb.checked) l.addTo(map); else map.removeLayer(l);
    } });
  var from = firstFrom(a);
  return h('li', null,
    h('label', { class: 'zl' }, cb,
      h('i', { class: 'sw' + (a.kind === 'nationwide' ? ' nation' : ''),
               style: 'border-color:' + S.colour[a.id] + ';background:' +
                      (a.kind === 'nationwide' ? 'transparent' : hexA(S.colour[a.id], 0.25)) }),
      h('span', null, a.name,
        h('small', null, (a.kind || '').replace(/_/g, ' ') + (from ? ', from ' + from.replace('T', ' ') : '')))));
}
export function highlightZones() {
  var sel = $('f-agreement').value;
  Object.keys(S.zoneLayers).forEach(function (id) {
    var a = S.agreementById[id];
    var nation = a && a.kind === 'nationwide';
    var on = !sel || sel === id;
    S.zoneLayers[id].setStyle({
      opacity: on ? 0.9 : 0.25,
      fillOpacity: on ? (nation ? (sel ? 0.07 : 0.03) : (sel ? 0.2 : 0.13)) : 0.03
    });
  });
}
