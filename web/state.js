/*
 * state.js - the dashboard's shared state S, its constants (page size,
 * the day, the colours), and the look-ups in S that every view uses.
 * Imports nothing.
 */

export const VERDICT_COLOUR = {
  violation: '#c0392b',
  undetermined: '#e3a008',
  permitted: '#6f9a82',
  not_covered: '#9aa2ab',
  not_applicable: '#c5cbd1'
};
// Calm, distinct hues that none of the verdict colours use.
export const ZONE_COLOURS = ['#2f6db5', '#7d55b4', '#13857a', '#b0508c', '#4b5fc4',
                             '#5f7a1f', '#8a5a2b', '#1f8aa6'];
export const PAGE = 10000;      // points drawn at most (the API's maximum); beyond, cells
export const DAY = 86400000;

export const S = {
  token: '',            // the access token (api.js reads it from storage)
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
  shown: 0,             // events (or incidents) the filters select
  totals: null,         // of them, by the verdict shown (GET /api/cells)
  complete: null,       // every point of the filters is drawn (no cells)
  loaded: [],           // the points drawn
  counted: 'events',    // what a point is: an event, or an incident
  current: null,        // the event open in the panel
  reportPin: null
};

export function agreementName(id) {
  var a = S.agreementById[id];
  return a ? a.name : id;
}
// Who a violation is attributed to, as decided: one side by its name,
// several as "mutual: A and B" (an undirected clash both sides fought).
export function sidesWords(ids, agreement) {
  var names = (ids || []).map(function (s) {
    return (agreement && (S.sideNames[agreement] || {})[s]) || S.sides[s] || s;
  });
  if (names.length < 2) return names[0] || '';
  return 'mutual: ' + names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
}
export function attribution(p) {
  return sidesWords(p.sides && p.sides.length ? p.sides : (p.side ? [p.side] : []));
}
