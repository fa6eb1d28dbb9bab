// The app's own behaviour, in one file: templates carry no inline scripts or on* handlers
// (the Content-Security-Policy allows scripts from the app's own files only).
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option submits its form.
  document.addEventListener("change", function (e) {
    var select = e.target.closest("[data-autosubmit]");
    if (select && select.form) select.form.submit();
  });

  // <form data-confirm="…">: ask before submitting.
  document.addEventListener("submit", function (e) {
    var form = e.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) e.preventDefault();
  });

  // Buttons data-select-all / data-select-none="name": tick or clear the form's checkboxes.
  document.addEventListener("click", function (e) {
    var all = e.target.closest("[data-select-all]"), none = e.target.closest("[data-select-none]");
    var btn = all || none;
    if (!btn) return;
    var name = btn.dataset.selectAll || btn.dataset.selectNone;
    btn.closest("form").querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(
      function (box) { box.checked = !!all; }
    );
  });

  // The visit record: the housing-conditions block matters only for the housing inspection
  // act (P9).
  document.addEventListener("DOMContentLoaded", function () {
    var block = document.getElementById("housing-fields");
    if (!block) return;
    var radios = document.querySelectorAll("input[name='act-kind']");
    function sync() {
      var checked = document.querySelector("input[name='act-kind']:checked");
      block.hidden = !!checked && checked.value !== "housing";
    }
    radios.forEach(function (r) { r.addEventListener("change", sync); });
    sync();
  });
})();
