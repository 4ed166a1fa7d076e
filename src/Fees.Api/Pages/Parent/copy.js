// The copy buttons of the parent's page. A bank app wants the account, the amount and the transfer text exactly,
// and typing them on a phone is where mistakes come from. The clipboard API needs a secure page and the user's
// permission; where it is refused, the text is selected instead, so the phone's own "Copy" is one tap away.
(function () {
  'use strict';

  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function say(button, text) {
    var status = button.parentElement.querySelector('.copied');
    if (status) status.textContent = text;
  }

  function fallback(button) {
    var target = document.getElementById(button.getAttribute('data-select'));
    if (!target) return;
    select(target);
    var copied = false;
    try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
    say(button, copied ? button.getAttribute('data-done') : button.getAttribute('data-selected'));
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-copy]');
    if (!button) return;
    var text = button.getAttribute('data-copy');
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(
        function () { say(button, button.getAttribute('data-done')); },
        function () { fallback(button); });
    } else {
      fallback(button);
    }
  });
})();
