// "Copy citation": copies the text of the element named by data-copy-target. Where the
// clipboard is unavailable (an insecure origin, a refused permission), the text is selected
// instead so the reader can copy it with the keyboard. Loaded with defer; no inline handlers.
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
    var target = document.getElementById(button.dataset.copyTarget);
    if (!target) {
      return;
    }
    var text = target.textContent.trim();
    var fallback = function () {
      selectText(target);
      say(button, "Selected: press Ctrl+C (⌘C on a Mac) to copy.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        say(button, "Copied to the clipboard.");
      }, fallback);
    } else {
      fallback();
    }
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.hidden = false; // the button only appears where it can work
    button.addEventListener("click", function () {
      copy(button);
    });
  });
})();
