// Back and Forward after htmx filtering: htmx puts back the page's HTML as it was saved, but
// a form control's current value is not in its HTML, so the selects, the search box and the
// date fields would show whatever was chosen last rather than the filters of the URL. After
// each history restore, every form marked data-url-state is set from the URL again (a
// parameter missing from the URL empties its control). No inline script: the CSP allows
// only files of ours.
(function () {
  "use strict";

  function setFromUrl(form, params) {
    for (const control of form.elements) {
      if (!control.name || control.type === "hidden" || control.type === "submit") continue;
      const value = params.get(control.name) || "";
      if (control.tagName === "SELECT") {
        const known = Array.from(control.options).some((option) => option.value === value);
        control.value = known ? value : "";
      } else if (control.type === "checkbox" || control.type === "radio") {
        control.checked = params.getAll(control.name).includes(control.value);
      } else {
        control.value = value;
      }
    }
  }

  function restoreForms() {
    const params = new URLSearchParams(window.location.search);
    for (const form of document.querySelectorAll("form[data-url-state]")) {
      setFromUrl(form, params);
    }
  }

  document.addEventListener("htmx:historyRestore", restoreForms);
  // A page the browser itself keeps (the back/forward cache) comes back with its controls as
  // they were left, which may be ahead of its URL too.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) restoreForms();
  });
})();
