/*
 * dailyreport.js - the daily report tab: an agreement's monitoring report
 * (/api/report, HTML) in a sandboxed frame, and a script-free copy to
 * open in a new tab.
 */
import { $, h, clear } from './dom.js';
import { S } from './state.js';
import { api, errText } from './api.js';

export async function showDailyReport(e) {
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
