/*
 * api.js - talking to `truce serve`: the fetch wrapper, the words for its
 * errors, the access token (kept for the tab, or on this machine with
 * "remember me"), and the header's status line and sign-in state.
 */
import { $, fmt } from './dom.js';
import { S } from './state.js';

// The token lives for the tab (sessionStorage) unless the user asks to
// be remembered on this machine (localStorage).
var TOKEN_KEY = 'truce.token';
S.token = sessionStorage.getItem(TOKEN_KEY) || localStorage.getItem(TOKEN_KEY) || '';

// One call to the API. Resolves to the parsed JSON (or text with
// opts.text); rejects with an Error carrying the server's message and
// the HTTP status.
export async function api(path, opts) {
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
export function errText(e) {
  var s = e.message || String(e);
  if (e.status === 401) s = 'not signed in or the token is not valid: ' + s;
  else if (e.status === 403) s = 'your token\u2019s role may not do this: ' + s;
  else if (e.status === 409) s = 'not allowed at this step: ' + s;
  return s;
}

// Signing in keeps the token in one of the two stores, never in both.
export function signIn(token, remember) {
  S.token = token;
  forgetToken();
  (remember ? localStorage : sessionStorage).setItem(TOKEN_KEY, token);
}
export function signOut() {
  S.token = '';
  forgetToken();
}
function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
}

// The header: who is signed in, and the server's state.
export function showSignedIn() {
  var on = !!S.token;
  $('who').textContent = on ? 'signed in (token \u2026' + S.token.slice(-4) + ')' : 'not signed in \u2014 reading only';
  $('token').hidden = on;
  $('signin-btn').hidden = on;
  $('remember-label').hidden = on;
  $('signout-btn').hidden = !on;
  document.body.classList.toggle('signed-in', on);
}
export function showHealth() {
  var x = S.health;
  setStatus(fmt(x.events) + ' events \u00b7 ' + fmt(x.agreements) + ' agreements' +
            (x.pending ? ' \u00b7 ' + fmt(x.pending) + ' waiting to be assessed' : '') +
            (S.noLand ? ' \u00b7 no boundaries loaded, so no basemap' : ''));
}
export function setStatus(text, isError) {
  var el = $('status');
  el.textContent = text;
  el.classList.toggle('error', !!isError);
}
