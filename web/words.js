/*
 * words.js - the words the dashboard shows for the API's names (verdicts,
 * reasons, categories, review states and outcomes, coverage classes) and
 * the review's steps. The page keeps no copy of them: loadVocabulary()
 * fills these tables in place from GET /api/vocabulary, which serves the
 * library's lists (include/truce/truce.h), before anything is drawn, and
 * fills the page's lists of verdicts and categories from them.
 */
import { $, h } from './dom.js';
import { api } from './api.js';

export const VERDICT_WORDS = {};
// The verdicts' rank, the least (not covered) 0; VERDICTS, the strongest
// first (legends, tallies, the event panel's order).
export const VERDICT_RANK = {};
export const VERDICTS = [];
export const REASON_WORDS = {};
export const CATEGORY_WORDS = {};
// The case workflow: the states allowed after each state ('' for a case
// not yet under review).
export const NEXT_STATES = {};
export const STATE_WORDS = {};
export const OUTCOME_WORDS = {};
// The classes of /api/coverage.
export const CLASS_WORDS = {};

// What the field report form adds to a category's words (the page's own
// hint, not a name list).
var CATEGORY_HINTS = { remote_violence: 'shelling, air strike' };

function fill(table, list) {
  list.forEach(function (x) { table[x.name] = x.words; });
}

// Options of a <select> after its first (the "any ..." option, when
// keepFirst), one a name.
function fillSelect(id, names, words, keepFirst, hints) {
  var sel = $(id);
  while (sel.options.length > (keepFirst ? 1 : 0)) sel.remove(sel.options.length - 1);
  names.forEach(function (n) {
    var w = words[n] + (hints && hints[n] ? ' (' + hints[n] + ')' : '');
    sel.appendChild(h('option', { value: n, text: w }));
  });
}

export async function loadVocabulary() {
  var v = await api('api/vocabulary');
  fill(VERDICT_WORDS, v.verdicts);
  VERDICTS.length = 0;
  v.verdicts.forEach(function (x, i) { VERDICT_RANK[x.name] = i; VERDICTS.unshift(x.name); });
  fill(REASON_WORDS, v.reasons);
  fill(CATEGORY_WORDS, v.categories);
  fill(CLASS_WORDS, v.coverage_classes);
  fill(STATE_WORDS, v.review.states);
  fill(OUTCOME_WORDS, v.review.outcomes);
  NEXT_STATES[''] = v.review.start;
  v.review.states.forEach(function (s) { NEXT_STATES[s.name] = s.next; });
  var cats = v.categories.map(function (c) { return c.name; });
  fillSelect('f-verdict', VERDICTS, VERDICT_WORDS, true);
  fillSelect('f-category', cats, CATEGORY_WORDS, true);
  // the report form offers remote violence first: what monitors file most
  fillSelect('r-category', ['remote_violence'].concat(cats.filter(function (c) { return c !== 'remote_violence'; })),
             CATEGORY_WORDS, false, CATEGORY_HINTS);
}
