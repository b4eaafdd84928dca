/*
 * events.js - the events on the map: the filters as a query, loading
 * what the view shows (points, or the server's cells) and the count.
 */
import { $, h, fmt, debounce } from './dom.js';
import { S, PAGE, agreementName } from './state.js';
import { api, errText, setStatus } from './api.js';
import { map, clusters, cellLayer, makeMarker, makeCellMarker, highlightZones } from './map.js';
import { setSpan, stepEnd } from './time.js';
import { renderOverview } from './panel.js';

// The filters and the date range as a query of /api/events and
// /api/cells (which share them).
export function filterQuery() {
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
  return q.join('&');
}

// Points drawn at most for a view of a large store (beyond, its cells).
const VIEW_POINTS = 500;

// The box in view, a little wider, in the world: a view of a copy of
// the world across the antimeridian is moved back into it, then clipped.
export function viewBox() {
  var b = map.getBounds().pad(0.2);
  var r = function (x) { return Math.round(x * 1e4) / 1e4; };
  var shift = Math.round(b.getCenter().lng / 360) * 360;
  return [Math.max(-180, r(b.getWest() - shift)), Math.max(-90, r(b.getSouth())),
          Math.min(180, r(b.getEast() - shift)), Math.min(90, r(b.getNorth()))].join(',');
}

// Loads what the map shows for the filters from GET /api/cells: when the
// store holds few enough (S.complete: every point of the filters, the
// whole world), every point, clustered here and kept while the map
// moves; else the cells of the view and the points of its sparse cells,
// asked again as the map moves (moved()). A newer load cancels an older
// one. first: the page's first load, which sets the date range.
export async function loadEvents(first) {
  var gen = ++S.gen;
  if (S.abort) S.abort.abort();
  var ctl = new AbortController();
  S.abort = ctl;
  var q = filterQuery();
  var world = first || S.complete !== false;
  showLoading('Loading events\u2026');
  var r;
  try {
    r = await api('api/cells?' + (q ? q + '&' : '') + 'zoom=' + map.getZoom() +
                  '&points=' + (world ? PAGE : VIEW_POINTS) + (world ? '' : '&bbox=' + viewBox()) +
                  (first ? '&days=1' : ''), { signal: ctl.signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    hideLoading();
    setStatus('events: ' + errText(e), true);
    return;
  }
  if (gen !== S.gen) return;
  if (world) S.complete = !r.cells.length;
  if (!S.complete && world && !first) {
    // too many for the whole world: the view's cells
    hideLoading();
    return loadEvents(false);
  }
  draw(r);
  hideLoading();
  if (first && r.days) setSpan(r.days);
  updateCount();
  if (!S.current) renderOverview();
}

// Draws an answer of /api/cells: its points (clustered) and its cells.
function draw(r) {
  clusters.clearLayers();
  cellLayer.clearLayers();
  S.markerById = {};
  S.loaded = r.features || [];
  clusters.addLayers(S.loaded.map(makeMarker));
  (r.cells || []).forEach(function (c) { cellLayer.addLayer(makeCellMarker(c)); });
  S.shown = r.total;
  S.totals = r.by_verdict;
  S.counted = r.counted || 'events';
}

// The map moved: with cells, the new view's.
export const moved = debounce(function () {
  if (S.complete === false) loadEvents(false);
}, 150);

export function updateCount() {
  var f = S.days.length ? S.days[+$('range-from').value] : null;
  var t = S.days.length ? stepEnd(+$('range-to').value) : null;
  // with several sources loaded, a point is an incident (DESIGN section 15)
  var what = S.counted === 'incidents' ? ' incident' : ' event';
  $('count').textContent = fmt(S.shown) + what + (S.shown === 1 ? '' : 's') + ' shown' +
    (f ? ', ' + f + ' to ' + t : '');
}
function showLoading(t) { var el = $('loading'); el.textContent = t; el.hidden = false; }
function hideLoading() { $('loading').hidden = true; }

// A filter changed: the agreement picked also changes the verdicts
// offered, the colours' note and the zones' emphasis.
export function filtersChanged() {
  var a = $('f-agreement').value;
  var vs = $('f-verdict');
  var na = vs.querySelector('option[value=not_applicable]');
  var nc = vs.querySelector('option[value=not_covered]');
  if (a && !na) vs.appendChild(h('option', { value: 'not_applicable', text: 'not applicable' }));
  if (!a && na) { if (vs.value === 'not_applicable') vs.value = ''; na.remove(); }
  if (nc) nc.hidden = !!a;
  if (a && vs.value === 'not_covered') vs.value = '';
  // the new filters may select few enough to draw every point again
  S.complete = null;
  $('legend-colour-note').textContent = a
    ? 'Colour: the verdict under ' + agreementName(a) + '. Events it does not apply to are hidden unless you ask for "not applicable".'
    : 'Colour: the overall verdict (the strongest under any agreement).';
  highlightZones();
  loadEvents(false);
}
