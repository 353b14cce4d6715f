// A source's page in the admin: its stored statements and events are folded rows
// (admin/treaties/edit_inline/compact_stacked.html), whose autocomplete widgets are started
// when a row is first opened rather than all on load (for 41 statements that took the
// browser over a second). The server marks them admin-autocomplete-folded; Django's
// autocomplete.js, on the same page, provides djangoAdminSelect2. Loaded with the admin's
// media.
(function () {
  "use strict";

  document.addEventListener(
    "toggle",
    function (event) {
      var row = event.target;
      if (!row.open || !row.matches || !row.matches("details.compact-row")) {
        return;
      }
      var folded = row.querySelectorAll("select.admin-autocomplete-folded");
      if (!folded.length) {
        return;
      }
      folded.forEach(function (select) {
        select.classList.replace("admin-autocomplete-folded", "admin-autocomplete");
      });
      django.jQuery(folded).djangoAdminSelect2();
    },
    true // toggle does not bubble; the capture phase still passes the document
  );
})();
