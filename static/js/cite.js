// "Copy citation" and "Copy link": a button copies the text of the element named by its
// data-copy-target, or the value of its data-copy-text (a quote's permalink). Where the
// clipboard is unavailable (an insecure origin, a refused permission), the text is selected
// instead (or, for a link, shown in the status) so the reader can copy it with the keyboard.
// Loaded with defer; no inline handlers.
(function () {
  "use strict";

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function say(button, message) {
    var status = button.parentElement.querySelector("[role=status]");
    if (status) {
      status.textContent = message;
    }
  }

  function copy(button) {
    var target = null;
    var text = button.dataset.copyText;
    if (!text) {
      target = document.getElementById(button.dataset.copyTarget);
      if (!target) {
        return;
      }
      text = target.textContent.trim();
    }
    var fallback = function () {
      if (target) {
        selectText(target);
        say(button, "Selected: press Ctrl+C (⌘C on a Mac) to copy.");
      } else {
        say(button, "Copy this link: " + text);
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        say(button, "Copied to the clipboard.");
      }, fallback);
    } else {
      fallback();
    }
  }

  document.querySelectorAll("[data-copy-target], [data-copy-text]").forEach(function (button) {
    button.hidden = false; // the button only appears where it can work
    button.addEventListener("click", function () {
      copy(button);
    });
  });
})();
