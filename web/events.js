/*
 * events.js - the events on the map: the filters as a query, loading
 * them page by page into the clusters, and the count shown.
 */
import { $, h, fmt } from './dom.js';
import { S, PAGE, agreementName } from './state.js';
import { api, errText, setStatus } from './api.js';
import { clusters, makeMarker, highlightZones } from './map.js';
import { setSpan, stepEnd } from './time.js';
import { renderOverview } from './panel.js';

// The query of /api/events for the filters and the date range.
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

// Loads the events the filters select, page by page, into the clusters;
// a newer load cancels an older one. first: the page's first load, which
// sets the date range.
export async function loadEvents(first) {
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
      S.counted = r.counted || 'events';
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
  $('legend-colour-note').textContent = a
    ? 'Colour: the verdict under ' + agreementName(a) + '. Events it does not apply to are hidden unless you ask for "not applicable".'
    : 'Colour: the overall verdict (the strongest under any agreement).';
  highlightZones();
  loadEvents(false);
}
