/*
 * app.js - the truce dashboard. Plain ES2017, no framework, no build step.
 * Talks only to the JSON API of `truce serve` (docs/api.md) on the same
 * origin; Leaflet, Leaflet.markercluster and uPlot are loaded from vendor/
 * (copied from the npm packages by scripts/build-web.sh).
 */
(function () {
  'use strict';

  // ---- constants -------------------------------------------------------

  var VERDICT_COLOUR = {
    violation: '#c0392b',
    undetermined: '#e3a008',
    permitted: '#6f9a82',
    not_covered: '#9aa2ab',
    not_applicable: '#c5cbd1'
  };
  var VERDICT_RANK = {
    violation: 4, undetermined: 3, permitted: 2, not_applicable: 1, not_covered: 0
  };
  var VERDICT_WORDS = {
    violation: 'violation',
    undetermined: 'undetermined',
    permitted: 'permitted',
    not_covered: 'not covered',
    not_applicable: 'not applicable'
  };
  var REASON_WORDS = {
    breach: 'a prohibited act by a bound side',
    not_in_force: 'the agreement was not in force then',
    outside_zone: 'outside the agreement\u2019s zones',
    activity_permitted: 'the activity is not prohibited',
    actor_unknown: 'the perpetrator is unknown',
    actor_excluded: 'an excluded group was involved',
    actor_not_party: 'no party to the agreement acted',
    target_excluded: 'the target is an excluded group',
    time_imprecise: 'the date is too imprecise to be sure',
    location_imprecise: 'the place is too imprecise to be sure'
  };
  // Calm, distinct hues that none of the verdict colours use.
  var ZONE_COLOURS = ['#2f6db5', '#7d55b4', '#13857a', '#b0508c', '#4b5fc4',
                      '#5f7a1f', '#8a5a2b', '#1f8aa6'];
  // The case workflow of docs/api.md: the states allowed after each state.
  var NEXT_STATES = {
    '': ['alleged'],
    alleged: ['information_requested', 'assessed'],
    information_requested: ['responded'],
    responded: ['information_requested', 'assessed'],
    assessed: ['alleged']
  };
  var STATE_WORDS = {
    alleged: 'alleged',
    information_requested: 'information requested from a guarantor',
    responded: 'the guarantor responded',
    assessed: 'assessed'
  };
  var OUTCOME_WORDS = {
    confirmed_violation: 'confirmed violation',
    not_a_violation: 'not a violation',
    inconclusive: 'inconclusive'
  };
  var PAGE = 10000;      // events per request (the API's maximum)
  var DAY = 86400000;

  // ---- state -----------------------------------------------------------

  var S = {
    // The token lives for the tab (sessionStorage) unless the user asks to
    // be remembered on this machine (localStorage).
    token: sessionStorage.getItem('truce.token') || localStorage.getItem('truce.token') || '',
    agreements: [],       // summaries from /api/agreements
    agreementById: {},
    colour: {},           // agreement id -> zone colour
    zoneLayers: {},       // agreement id -> L.GeoJSON
    boundaries: [],       // names
    sides: {},            // side id -> name (the first agreement's)
    sideNames: {},        // agreement id -> side id -> name
    selected: null,       // the ring around the event open in the panel
    markerById: {},
    zoneNames: {},        // agreement id -> its zones' names
    guarantors: [],
    days: [],             // 'YYYY-MM-DD' of the data's span
    hist: null,           // per day: [all, violations]
    gen: 0,               // the current event load
    abort: null,
    shown: 0,
    current: null,        // the event open in the panel
    reportPin: null
  };
  var numFmt = new Intl.NumberFormat('en');
  var $ = function (id) { return document.getElementById(id); };

  // ---- small helpers ---------------------------------------------------

  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k === 'style') el.style.cssText = v;
        else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : v);
      });
    }
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function add(el, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { add(el, x); }); return; }
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); el.classList.remove('empty'); return el; }
  function fmt(n) { return n === null || n === undefined ? '\u2014' : numFmt.format(n); }
  function fixed(n, d) { return n === null || n === undefined ? '\u2014' : Number(n).toFixed(d); }
  function pct(x) {
    if (x === null || x === undefined) return '\u2014';
    var p = x * 100;
    return (p > 0 && p < 1 ? p.toFixed(1) : Math.round(p)) + '%';
  }
  function badge(v) {
    return h('span', { class: 'badge v-' + v, text: VERDICT_WORDS[v] || v });
  }
  function agreementName(id) {
    var a = S.agreementById[id];
    return a ? a.name : id;
  }
  // The slider's steps: S.days holds the first day of each, S.step days
  // apart, so that a span of centuries (a mistyped year) stays a few
  // thousand steps and the page stays usable.
  var MAX_STEPS = 1500;
  function daysBetween(a, b) { return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / DAY); }
  function dayIndex(d) { return Math.floor(daysBetween(S.days[0], d) / S.step); }
  // The last day of step i.
  function stepEnd(i) { return i + 1 < S.days.length ? addDays(S.days[i + 1], -1) : S.lastDay; }
  function addDays(d, n) { return new Date(Date.parse(d + 'T00:00:00Z') + n * DAY).toISOString().slice(0, 10); }
  function debounce(fn, ms) {
    var t = null;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }

  function setStatus(text, isError) {
    var el = $('status');
    el.textContent = text;
    el.classList.toggle('error', !!isError);
  }

  // One call to the API. Resolves to the parsed JSON (or text with
  // opts.text); rejects with an Error carrying the server's message and
  // the HTTP status.
  async function api(path, opts) {
    opts = opts || {};
    var headers = { Accept: opts.text ? 'text/html' : 'application/json' };
    if (S.token) headers.Authorization = 'Bearer ' + S.token;
    var init = { method: opts.method || 'GET', headers: headers, signal: opts.signal };
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
    var r = await fetch(path, init);
    var t = await r.text();
    if (!r.ok) {
      var msg = t || r.statusText;
      try {
        var j = JSON.parse(t);
        if (j && j.error) msg = j.error.message || j.error.code;
      } catch (e) { /* not JSON */ }
      var err = new Error(msg);
      err.status = r.status;
      throw err;
    }
    if (opts.text) return t;
    return t ? JSON.parse(t) : null;
  }
  function errText(e) {
    var s = e.message || String(e);
    if (e.status === 401) s = 'not signed in or the token is not valid: ' + s;
    else if (e.status === 403) s = 'your token\u2019s role may not do this: ' + s;
    else if (e.status === 409) s = 'not allowed at this step: ' + s;
    return s;
  }

  // ---- the map ---------------------------------------------------------

  var map = L.map('map', { worldCopyJump: false, minZoom: 3, maxZoom: 18 })
    .setView([35, 38.5], 6);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('boundaries and zones: the truce store');
  L.control.scale({ imperial: false }).addTo(map);
  var HomeControl = L.Control.extend({
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
  var tileLayer = null;

  var clusters = L.markerClusterGroup({
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
    var counts = { violation: 0, undetermined: 0, permitted: 0, not_covered: 0, not_applicable: 0 };
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
    var n = cluster.getChildCount();
    var counts = clusterCounts(cluster);
    var order = ['violation', 'undetermined', 'permitted', 'not_covered', 'not_applicable'];
    var stops = [], at = 0, title = [];
    order.forEach(function (v) {
      if (!counts[v]) return;
      var to = at + counts[v] / n * 100;
      stops.push(VERDICT_COLOUR[v] + ' ' + at.toFixed(2) + '% ' + to.toFixed(2) + '%');
      title.push(fmt(counts[v]) + ' ' + VERDICT_WORDS[v]);
      at = to;
    });
    var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
    return L.divIcon({
      html: '<div class="ring" style="background:conic-gradient(' + stops.join(',') +
            ')"><span>' + (n < 10000 ? n : Math.round(n / 1000) + 'k') + '</span></div>',
      className: 'truce-cluster',
      iconSize: L.point(size, size)
    });
  }

  function eventColourVerdict(p) {
    var a = $('f-agreement').value;
    if (a) return (p.verdicts && p.verdicts[a]) || 'not_applicable';
    return p.verdict || 'not_covered';
  }
  function makeMarker(f) {
    var p = f.properties || {};
    var c = f.geometry.coordinates;
    var v = eventColourVerdict(p);
    var m = L.circleMarker([c[1], c[0]], {
      pane: 'events',
      radius: v === 'violation' ? 6.5 : 5.5,
      color: '#ffffff',
      weight: 1.2,
      fillColor: VERDICT_COLOUR[v] || VERDICT_COLOUR.not_covered,
      fillOpacity: 0.95,
      className: 'ev ev-' + v
    });
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
  // Who a violation is attributed to, as decided: one side by its name,
  // several as "mutual: A and B" (an undirected clash both sides fought).
  function sidesWords(ids, agreement) {
    var names = (ids || []).map(function (s) {
      return (agreement && (S.sideNames[agreement] || {})[s]) || S.sides[s] || s;
    });
    if (names.length < 2) return names[0] || '';
    return 'mutual: ' + names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
  }
  function attribution(p) {
    return sidesWords(p.sides && p.sides.length ? p.sides : (p.side ? [p.side] : []));
  }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function setTiles(url) {
    if (tileLayer) { map.removeLayer(tileLayer); tileLayer = null; }
    if (url) {
      tileLayer = L.tileLayer(url, { maxZoom: 18, attribution: 'tiles: ' + url.split('/')[2] });
      tileLayer.addTo(map);
    }
    document.body.classList.toggle('has-tiles', !!url);
  }

  // ---- loading the model: boundaries, agreements -----------------------

  async function loadBoundaries() {
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
  var NAME_KEYS = ['name', 'NAME', 'ADM2_EN', 'ADM1_EN', 'ADM0_EN', 'shapeName', 'admin1', 'NAME_1', 'NAME_0'];
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

  async function loadAgreements() {
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
  function hexA(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  function highlightZones() {
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

  // ---- events ----------------------------------------------------------

  function filterQuery() {
    var q = [];
    var a = $('f-agreement').value, v = $('f-verdict').value;
    if (S.days.length) {
      var f = +$('range-from').value, t = +$('range-to').value;
      if (f > 0) q.push('from=' + S.days[f]);
      if (t < S.days.length - 1) q.push('to=' + stepEnd(t));
    }
    if (a) q.push('agreement=' + encodeURIComponent(a));
    if (v) q.push('verdict=' + encodeURIComponent(v));
    if ($('f-side').value) q.push('side=' + encodeURIComponent($('f-side').value));
    if ($('f-category').value) q.push('category=' + encodeURIComponent($('f-category').value));
    q.push('limit=' + PAGE);
    return q.join('&');
  }
  // With an agreement picked and no verdict asked for, the events it does
  // not apply to are left out: "filter by agreement".
  function keep(f) {
    var a = $('f-agreement').value;
    if (!a || $('f-verdict').value) return true;
    var v = f.properties && f.properties.verdicts && f.properties.verdicts[a];
    return !!v && v !== 'not_applicable';
  }

  async function loadEvents(first) {
    var gen = ++S.gen;
    if (S.abort) S.abort.abort();
    var ctl = new AbortController();
    S.abort = ctl;
    clusters.clearLayers();
    S.markerById = {};
    S.shown = 0;
    var q = filterQuery();
    var cursor = null;
    S.loaded = [];
    showLoading('Loading events\u2026');
    try {
      do {
        var r = await api('api/events?' + q + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''),
                          { signal: ctl.signal });
        if (gen !== S.gen) return;
        var batch = [];
        (r.features || []).forEach(function (f) {
          if (keep(f)) { batch.push(makeMarker(f)); S.loaded.push(f); }
        });
        clusters.addLayers(batch);
        S.shown += batch.length;
        cursor = r.next_cursor;
        if (cursor) showLoading('Loading events\u2026 ' + fmt(S.shown));
      } while (cursor);
    } catch (e) {
      if (e.name === 'AbortError') return;
      hideLoading();
      setStatus('events: ' + errText(e), true);
      return;
    }
    hideLoading();
    if (first) setSpan(S.loaded);   // the first load has no filter
    updateCount();
    if (!S.current) renderOverview();
  }

  // The event tab before an event is picked: the verdicts of what is
  // shown, the latest violations and the cases waiting for an analyst.
  function renderOverview() {
    var body = clear($('event-body'));
    var counts = {};
    S.loaded.forEach(function (f) {
      var v = eventColourVerdict(f.properties || {});
      counts[v] = (counts[v] || 0) + 1;
    });
    body.appendChild(h('p', { class: 'muted', text: 'Click an event on the map (or below) to see each agreement\u2019s verdict and the facts behind it.' }));
    body.appendChild(h('div', { class: 'tally' },
      ['violation', 'undetermined', 'permitted', 'not_covered', 'not_applicable'].map(function (v) {
        if (!counts[v]) return null;
        return h('div', { class: 'tc' }, h('b', { text: fmt(counts[v]) }), badge(v));
      })));
    function list(title, v, n, hint) {
      var rows = S.loaded.filter(function (f) { return eventColourVerdict(f.properties || {}) === v; })
        .sort(function (a, b) { return (b.properties.date || '').localeCompare(a.properties.date || ''); });
      if (!rows.length) return;
      body.appendChild(h('h4', { text: title + (rows.length > n ? ' (latest ' + n + ' of ' + fmt(rows.length) + ')' : '') }));
      if (hint) body.appendChild(h('p', { class: 'hint', text: hint }));
      body.appendChild(h('ul', { class: 'evlist' }, rows.slice(0, n).map(function (f) {
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
  function updateCount() {
    var f = S.days.length ? S.days[+$('range-from').value] : null;
    var t = S.days.length ? stepEnd(+$('range-to').value) : null;
    $('count').textContent = fmt(S.shown) + ' event' + (S.shown === 1 ? '' : 's') + ' shown' +
      (f ? ', ' + f + ' to ' + t : '');
  }
  function showLoading(t) { var el = $('loading'); el.textContent = t; el.hidden = false; }
  function hideLoading() { $('loading').hidden = true; }

  // ---- the date range --------------------------------------------------

  function setSpan(features) {
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
  function rangeChanged(reload) {
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
  var reloadSoon = debounce(function () { loadEvents(false); }, 250);
  function drawHist() {
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

  // ---- the event panel -------------------------------------------------

  function markSelected(lat, lon) {
    if (S.selected) { map.removeLayer(S.selected); S.selected = null; }
    if (!isFinite(lat) || !isFinite(lon)) return;
    S.selected = L.circleMarker([lat, lon], { pane: 'selected', radius: 11, color: '#1d4f86', weight: 2.5,
      fill: false, interactive: false, className: 'selected-ring' }).addTo(map);
  }
  // Opens an event in the panel; with reveal, also zooms the map until
  // its marker stands out of its cluster (for a pick from a list).
  async function openEvent(id, reveal) {
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

  function renderEvent(body, ev, withReview) {
    var as = (ev.assessments || []).slice().sort(function (x, y) {
      return (VERDICT_RANK[y.verdict] || 0) - (VERDICT_RANK[x.verdict] || 0) ||
             agreementName(x.agreement).localeCompare(agreementName(y.agreement));
    });
    var applies = as.filter(function (a) { return a.verdict !== 'not_applicable'; });
    var na = as.filter(function (a) { return a.verdict === 'not_applicable'; });
    var flags = [];
    if (ev.protected_site) flags.push(h('span', { class: 'flag', text: 'protected site' }));
    if (ev.civilian_targeting) flags.push(h('span', { class: 'flag', text: 'civilians targeted' }));

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
        h('dd', null, fmt(ev.fatalities),
          ev.fatalities_low !== null && ev.fatalities_low !== undefined &&
          (ev.fatalities_low !== ev.fatalities || ev.fatalities_high !== ev.fatalities)
            ? h('span', { class: 'muted', text: ' (' + fmt(ev.fatalities_low) + '\u2013' + fmt(ev.fatalities_high) + ')' }) : null)] : null,
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
    if (withReview) body.appendChild(reviewSection(ev));
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

  // ---- field reports ---------------------------------------------------

  function setReportPoint(lat, lon) {
    $('r-lat').value = lat.toFixed(5);
    $('r-lon').value = lon.toFixed(5);
    drawReportPin();
  }
  function drawReportPin() {
    var lat = parseFloat($('r-lat').value), lon = parseFloat($('r-lon').value);
    if (S.reportPin) { map.removeLayer(S.reportPin); S.reportPin = null; }
    if (!isFinite(lat) || !isFinite(lon)) return;
    var r = parseFloat($('r-radius').value);
    var g = L.layerGroup();
    if (r > 0) {
      L.circle([lat, lon], { radius: r * 1000, pane: 'events', color: '#1d4f86', weight: 1.5,
                             dashArray: '4 3', fillOpacity: 0.08, interactive: false }).addTo(g);
    }
    L.circleMarker([lat, lon], { radius: 4, pane: 'events', color: '#1d4f86', weight: 2,
                                 fillColor: '#fff', fillOpacity: 1, interactive: false, className: 'report-pin' }).addTo(g);
    S.reportPin = g.addTo(map);
  }
  map.on('click', function (e) {
    if (currentTab() === 'file') setReportPoint(e.latlng.lat, e.latlng.lng);
  });

  async function fileReport(e) {
    e.preventDefault();
    var msg = $('r-msg');
    var need = [['r-time', 'the date and time'], ['r-lat', 'the latitude'], ['r-lon', 'the longitude']];
    for (var i = 0; i < need.length; i++) {
      if (!$(need[i][0]).value) { msg.textContent = 'Give ' + need[i][1] + '.'; msg.className = 'msg error'; return; }
    }
    if (!S.token) { msg.textContent = 'Sign in with a monitor\u2019s token first.'; msg.className = 'msg error'; return; }
    var t = $('r-time').value;
    if (t.length === 16) t += ':00';
    var b = {
      time: t,
      lat: parseFloat($('r-lat').value),
      lon: parseFloat($('r-lon').value),
      radius_km: $('r-radius').value === '' ? 0 : parseFloat($('r-radius').value),
      category: $('r-category').value,
      directed: $('r-directed').checked
    };
    ['actor1', 'actor2', 'location', 'notes'].forEach(function (k) {
      var v = $('r-' + k).value.trim();
      if (v) b[k] = v;
    });
    if ($('r-fatalities').value !== '') b.fatalities = parseInt($('r-fatalities').value, 10);
    msg.textContent = 'Filing\u2026'; msg.className = 'msg';
    $('r-submit').disabled = true;
    try {
      var ev = await api('api/reports', { method: 'POST', body: b });
      msg.textContent = 'Filed as ' + ev.id + '.'; msg.className = 'msg ok';
      var out = clear($('report-result'));
      out.appendChild(h('h4', { text: 'The verdict on your report' }));
      renderEvent(out, ev, false);
      out.appendChild(h('button', { type: 'button', class: 'link', text: 'Open it in the event panel (review)',
                                    onclick: function () { openEvent(ev.id, true); } }));
      var feat = { type: 'Feature', id: ev.id,
        geometry: { type: 'Point', coordinates: [ev.lon, ev.lat] },
        properties: { id: ev.id, date: (ev.date_start || (ev.time || '').slice(0, 10)), category: ev.category,
                      verdict: ev.verdict, location: ev.location,
                      sides: (ev.assessments || []).reduce(function (all, a) {
                        (a.verdict === 'violation' ? a.sides || [] : []).forEach(function (s) {
                          if (all.indexOf(s) < 0) all.push(s);
                        });
                        return all;
                      }, []),
                      verdicts: (ev.assessments || []).reduce(function (o, a) { o[a.agreement] = a.verdict; return o; }, {}) } };
      S.loaded.push(feat);
      clusters.addLayer(makeMarker(feat));
      if (S.reportPin) { map.removeLayer(S.reportPin); S.reportPin = null; }
      if (S.health) { S.health.events++; showHealth(); }
      S.shown++;
      updateCount();
    } catch (err) {
      msg.textContent = errText(err); msg.className = 'msg error';
    } finally {
      $('r-submit').disabled = false;
    }
  }

  // ---- trend -----------------------------------------------------------

  var trendPlot = null;
  async function showTrend(e) {
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

  // ---- coverage --------------------------------------------------------

  async function showCoverage(e) {
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
  var CLASS_WORDS = {
    nationwide: 'one agreement covers (nearly) the whole country',
    patchwork: 'several local agreements, none nationwide',
    partial: 'one agreement covers part of the country',
    none: 'no agreement in force'
  };
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

  // ---- the daily report ------------------------------------------------

  async function showDailyReport(e) {
    if (e) e.preventDefault();
    var id = $('d-agreement').value, d = $('d-date').value;
    var body = clear($('dreport-body'));
    if (!id || !d) { body.appendChild(h('p', { class: 'error', text: 'Pick an agreement and a day.' })); return; }
    var url = 'api/report?agreement=' + encodeURIComponent(id) + '&date=' + encodeURIComponent(d) +
              '&days=' + encodeURIComponent($('d-days').value || 1) + '&format=html';
    var seq = S.reportSeq = (S.reportSeq || 0) + 1;
    body.appendChild(h('p', { class: 'muted', text: 'Writing the report\u2026' }));
    try {
      // Fetched (not linked) so that a token is sent when reads need one;
      // the report is self-contained and has no scripts (sandboxed).
      var html = await api(url, { text: true });
      if (seq !== S.reportSeq) return;
      clear(body);
      var frame = $('d-frame');
      frame.setAttribute('sandbox', '');
      frame.srcdoc = html;
      frame.hidden = false;
      var link = $('d-open');
      if (link.dataset.blob) URL.revokeObjectURL(link.dataset.blob);
      // The copy for a new tab runs no script: it is of this origin.
      var safe = html.replace(/<head>/i, '<head><meta http-equiv="Content-Security-Policy" ' +
        'content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">');
      var blob = URL.createObjectURL(new Blob([safe], { type: 'text/html' }));
      link.dataset.blob = blob;
      link.href = blob;
      link.hidden = false;
    } catch (err) {
      if (seq !== S.reportSeq) return;
      clear(body);
      body.appendChild(h('p', { class: 'error', text: errText(err) }));
    }
  }

  // ---- tabs, sign-in, filters ------------------------------------------

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
  function currentTab() {
    var b = document.querySelector('.tabs [aria-selected="true"]');
    return b ? b.dataset.tab : 'event';
  }
  function showTab(name) {
    document.querySelectorAll('.tabs [role=tab]').forEach(function (b) {
      b.setAttribute('aria-selected', b.dataset.tab === name ? 'true' : 'false');
    });
    document.querySelectorAll('.tab').forEach(function (t) { t.hidden = t.id !== 'tab-' + name; });
    $('maphint').hidden = name !== 'file';
    var wide = name === 'report';
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
    if (name === 'coverage' && $('coverage-body').classList.contains('empty') && $('c-country').value) showCoverage();
  }
  document.querySelectorAll('.tabs [role=tab]').forEach(function (b) {
    b.addEventListener('click', function () { showTab(b.dataset.tab); });
  });

  function showSignedIn() {
    var on = !!S.token;
    $('who').textContent = on ? 'signed in (token \u2026' + S.token.slice(-4) + ')' : 'not signed in \u2014 reading only';
    $('token').hidden = on;
    $('signin-btn').hidden = on;
    $('remember-label').hidden = on;
    $('signout-btn').hidden = !on;
    document.body.classList.toggle('signed-in', on);
  }
  $('signin').addEventListener('submit', function (e) {
    e.preventDefault();
    var t = $('token').value.trim();
    if (!t) return;
    S.token = t;
    forgetToken();
    ($('remember').checked ? localStorage : sessionStorage).setItem('truce.token', t);
    $('token').value = '';
    showSignedIn();
    if (S.startAfterSignIn) { S.startAfterSignIn = false; start(); return; }
    if (S.current) { var b = clear($('event-body')); renderEvent(b, S.current, true); }
  });
  $('signout-btn').addEventListener('click', function () {
    S.token = '';
    forgetToken();
    showSignedIn();
    if (S.current) { var b = clear($('event-body')); renderEvent(b, S.current, true); }
  });
  function forgetToken() {
    sessionStorage.removeItem('truce.token');
    localStorage.removeItem('truce.token');
  }

  function filtersChanged() {
    var a = $('f-agreement').value;
    var vs = $('f-verdict');
    var na = vs.querySelector('option[value=not_applicable]');
    var nc = vs.querySelector('option[value=not_covered]');
    if (a && !na) vs.appendChild(h('option', { value: 'not_applicable', text: 'not applicable' }));
    if (!a && na) { if (vs.value === 'not_applicable') vs.value = ''; na.remove(); }
    if (nc) nc.hidden = !!a;
    if (a && vs.value === 'not_covered') vs.value = '';
    $('legend-colour-note').textContent = a
      ? 'Colour: the verdict under ' + agreementName(a) + '. Events it does not apply to are hidden unless you ask for "not applicable".'
      : 'Colour: the overall verdict (the strongest under any agreement).';
    highlightZones();
    loadEvents(false);
  }
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
  // The zones of the trend's agreement: all of them, or one.
  function fillZones() {
    var sel = $('t-zone'), names = S.zoneNames[$('t-agreement').value] || [];
    while (sel.options.length > 1) sel.remove(1);
    names.forEach(function (n) { sel.appendChild(h('option', { value: n, text: n })); });
    sel.disabled = names.length < 2;
  }
  $('d-agreement').addEventListener('change', function () { S.reportPicked = true; });
  $('coverage-form').addEventListener('submit', showCoverage);
  $('dreport-form').addEventListener('submit', showDailyReport);

  $('tile-url').value = localStorage.getItem('truce.tiles') || '';
  $('tile-apply').addEventListener('click', function () {
    var u = $('tile-url').value.trim();
    if (u) localStorage.setItem('truce.tiles', u); else localStorage.removeItem('truce.tiles');
    setTiles(u);
  });

  // ---- start -----------------------------------------------------------

  function showHealth() {
    var x = S.health;
    setStatus(fmt(x.events) + ' events \u00b7 ' + fmt(x.agreements) + ' agreements' +
              (x.pending ? ' \u00b7 ' + fmt(x.pending) + ' waiting to be assessed' : '') +
              (S.noLand ? ' \u00b7 no boundaries loaded, so no basemap' : ''));
  }
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
        if (S.token) { S.token = ''; forgetToken(); showSignedIn(); }
        $('token').focus();
      } else {
        setStatus('cannot reach the server: ' + errText(e), true);
      }
      return;
    }
    S.health = health;
    showHealth();
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

  // The whole of the loaded boundaries (or zones).
  function home() {
    if (S.home) map.fitBounds(S.home, { padding: [12, 12], animate: false });
  }

  // For the browser tests and for analysts at the console.
  window.truce = { map: map, clusters: clusters, state: S, openEvent: openEvent, showTab: showTab, home: home };
  start();
})();
