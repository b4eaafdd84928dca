/*
 * words.js - the words the dashboard shows for the API's codes: verdicts,
 * reasons, review states and outcomes, the case workflow's next steps,
 * coverage classes. Every such table is here and nowhere else, so that
 * they can one day be filled from values the API serves. Imports nothing.
 */

export const VERDICT_WORDS = {
  violation: 'violation',
  undetermined: 'undetermined',
  permitted: 'permitted',
  not_covered: 'not covered',
  not_applicable: 'not applicable'
};
// The verdicts' order, the strongest first (the event panel lists an
// event's agreements so).
export const VERDICT_RANK = {
  violation: 4, undetermined: 3, permitted: 2, not_applicable: 1, not_covered: 0
};
export const REASON_WORDS = {
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
// The case workflow of docs/api.md: the states allowed after each state.
export const NEXT_STATES = {
  '': ['alleged'],
  alleged: ['information_requested', 'assessed'],
  information_requested: ['responded'],
  responded: ['information_requested', 'assessed'],
  assessed: ['alleged']
};
export const STATE_WORDS = {
  alleged: 'alleged',
  information_requested: 'information requested from a guarantor',
  responded: 'the guarantor responded',
  assessed: 'assessed'
};
export const OUTCOME_WORDS = {
  confirmed_violation: 'confirmed violation',
  not_a_violation: 'not a violation',
  inconclusive: 'inconclusive'
};
// The classes of /api/coverage.
export const CLASS_WORDS = {
  nationwide: 'one agreement covers (nearly) the whole country',
  patchwork: 'several local agreements, none nationwide',
  partial: 'one agreement covers part of the country',
  none: 'no agreement in force'
};
