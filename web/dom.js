/*
 * dom.js - the element helper h() and the small DOM and number helpers
 * every view uses. Imports nothing.
 */

var numFmt = new Intl.NumberFormat('en');

export function $(id) { return document.getElementById(id); }

// h('p', { class: 'muted', text: '…' }, child, [children], …): an element
// with its attributes (on* as listeners, text as its text) and children
// (elements, or strings set as text, never as HTML).
export function h(tag, attrs) {
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
export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); el.classList.remove('empty'); return el; }
export function fmt(n) { return n === null || n === undefined ? '\u2014' : numFmt.format(n); }
export function fixed(n, d) { return n === null || n === undefined ? '\u2014' : Number(n).toFixed(d); }
export function pct(x) {
  if (x === null || x === undefined) return '\u2014';
  var p = x * 100;
  return (p > 0 && p < 1 ? p.toFixed(1) : Math.round(p)) + '%';
}
export function debounce(fn, ms) {
  var t = null;
  return function () { clearTimeout(t); t = setTimeout(fn, ms); };
}

// For the few strings Leaflet takes as HTML (tooltips, labels).
export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
  });
}
// #rrggbb and an opacity as rgba().
export function hexA(hex, a) {
  var n = parseInt(hex.slice(1), 16);
  return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
}
