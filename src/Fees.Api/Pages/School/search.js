// The staff's pupil search as one types. The form works without this script (it opens the results page); with it, the
// results of what is typed so far appear under the box, from the page's own results handler as an HTML fragment the
// server wrote (names escaped there). Only the answer to the latest text is shown: earlier requests are aborted.
(function () {
  'use strict';
  var form = document.getElementById('ps-form');
  var input = document.getElementById('ps-q');
  var live = document.getElementById('ps-live');
  if (!form || !input || !live || !window.fetch) return;
  var address = form.getAttribute('data-results');
  var shown = '';
  var pending = null;
  var timer = 0;

  function close() {
    live.innerHTML = '';
    live.hidden = true;
    shown = '';
  }

  function ask() {
    var text = input.value.trim();
    if (text === shown) return;
    if (pending) pending.abort();
    if (text.length < 2) { close(); return; }
    pending = new AbortController();
    fetch(address + '&q=' + encodeURIComponent(text), { credentials: 'same-origin', signal: pending.signal, headers: { Accept: 'text/html' } })
      .then(function (r) { return r.ok && !r.redirected ? r.text() : ''; })
      .then(function (html) {
        if (input.value.trim() !== text) return;
        shown = text;
        live.innerHTML = html;
        live.hidden = html === '';
      })
      .catch(function () { /* aborted by newer text, or offline: the form still works */ });
  }

  function links() { return Array.prototype.slice.call(live.querySelectorAll('a')); }

  // A pause of a fifth of a second between keys asks once for the word, not once per letter.
  input.addEventListener('input', function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 200);
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') close();
    if (e.key === 'ArrowDown' && links().length > 0) { e.preventDefault(); links()[0].focus(); }
  });
  live.addEventListener('keydown', function (e) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && at < all.length - 1) { e.preventDefault(); all[at + 1].focus(); }
    if (e.key === 'ArrowUp') { e.preventDefault(); if (at > 0) all[at - 1].focus(); else input.focus(); }
    if (e.key === 'Escape') { close(); input.focus(); }
  });
  document.addEventListener('click', function (e) {
    if (!e.target.closest || !e.target.closest('.ps-box')) close();
  });
})();
