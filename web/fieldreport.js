/*
 * fieldreport.js - the field report tab: a monitor files an incident at
 * the place picked on the map, sees its verdict at once, and finds it on
 * the map among the others.
 */
import { $, h, clear } from './dom.js';
import { S } from './state.js';
import { api, errText, showHealth } from './api.js';
import { map, clusters, makeMarker, eventColourVerdict } from './map.js';
import { updateCount } from './events.js';
import { renderEvent, openEvent } from './panel.js';

export function setReportPoint(lat, lon) {
  $('r-lat').value = lat.toFixed(5);
  $('r-lon').value = lon.toFixed(5);
  drawReportPin();
}
export function drawReportPin() {
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

export async function fileReport(e) {
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
    if (S.totals) { var v = eventColourVerdict(feat.properties); S.totals[v] = (S.totals[v] || 0) + 1; }
    updateCount();
  } catch (err) {
    msg.textContent = errText(err); msg.className = 'msg error';
  } finally {
    $('r-submit').disabled = false;
  }
}
