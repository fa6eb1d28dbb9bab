/* The application's behaviour, kept out of the templates (no inline scripts: the
   Content-Security-Policy forbids them). Each feature is switched on by a data- attribute. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function onEvery(root, selector, fn) {
    (root || document).querySelectorAll(selector).forEach(fn);
  }

  /* «Отметить всех» / «Снять отметки»: data-select-all="<checkbox name>". */
  document.addEventListener("click", function (e) {
    var all = e.target.closest("[data-select-all]");
    var none = e.target.closest("[data-select-none]");
    var btn = all || none;
    if (!btn) return;
    var name = btn.dataset.selectAll || btn.dataset.selectNone;
    btn.closest("form").querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      if (!box.closest("[hidden]")) box.checked = !!all;
    });
  });

  /* A confirmation before a destructive submit: <form data-confirm="…">. */
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      e.preventDefault();
    }
  }, true);

  /* A select that submits its form on change: <select data-autosubmit>. */
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select[data-autosubmit]")) e.target.form.submit();
  });

  /* The catalogue's usual duration: <select data-duration-target="id_duration_minutes"> whose
     options carry data-minutes fills the duration when a service is chosen, unless the user
     typed a duration of their own. */
  function wireDuration(root) {
    onEvery(root, "select[data-duration-target]", function (select) {
      var target = document.getElementById(select.dataset.durationTarget);
      if (!target) return;
      var auto = !target.value;
      target.addEventListener("input", function () { auto = false; });
      select.addEventListener("change", function () {
        var option = select.options[select.selectedIndex];
        if (option && option.dataset.minutes && (auto || !target.value)) {
          target.value = option.dataset.minutes;
          auto = true;
        }
      });
    });
  }

  /* Type-ahead over a long list: <input data-filter-for="<id of a select or of a box of
     checkboxes>"> hides the options or the checkboxes whose label lacks every typed word
     (case and «ё» folded). The list stays a native control, usable by keyboard alone. */
  function fold(text) {
    return (text || "").toLowerCase().replace(/ё/g, "е");
  }

  function wireFilters(root) {
    onEvery(root, "input[data-filter-for]", function (input) {
      var target = document.getElementById(input.dataset.filterFor);
      if (!target) return;
      var status = input.dataset.filterStatus ? document.getElementById(input.dataset.filterStatus) : null;
      function apply() {
        var words = fold(input.value).split(/\s+/).filter(Boolean);
        var shown = 0;
        var items = target.tagName === "SELECT"
          ? Array.prototype.slice.call(target.options).filter(function (o) { return o.value; })
          : Array.prototype.slice.call(target.querySelectorAll(".form-check"));
        items.forEach(function (item) {
          var label = fold(item.textContent);
          var match = words.every(function (w) { return label.indexOf(w) !== -1; });
          item.hidden = !match;
          if (target.tagName === "SELECT") item.disabled = !match && !item.selected;
          if (match) shown += 1;
        });
        if (target.tagName === "SELECT" && words.length) {
          var first = items.filter(function (o) { return !o.hidden; })[0];
          var current = target.options[target.selectedIndex];
          if (first && (!current || current.hidden || !current.value)) {
            target.value = first.value;
            target.dispatchEvent(new Event("change", { bubbles: true }));
          }
        }
        if (status) status.textContent = words.length ? "Найдено: " + shown : "";
      }
      input.addEventListener("input", apply);
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); target.focus(); }
      });
    });
  }

  /* The error summary at the top of a long form takes the focus, so that a screen reader and
     a tablet user both start from the list of what to fix. */
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  /* A draft of a long form kept on this device: <form data-draft-key="…"> saves every field to
     localStorage as it is typed, and restores it when the page opens afresh (after a reload, a
     lost connection or a closed tab). A page carrying data-draft-clear="…" forgets the draft
     (the record was saved). */
  function draftFields(form) {
    return Array.prototype.slice.call(form.elements).filter(function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" &&
        el.type !== "submit" && el.type !== "button" && el.type !== "hidden";
    });
  }

  function saveDraft(form, note) {
    var data = {};
    draftFields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (!(el.name in data)) data[el.name] = [];
        if (el.checked) data[el.name].push(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        data[el.name] = Array.prototype.slice.call(el.selectedOptions).map(function (o) { return o.value; });
      } else {
        data[el.name] = [el.value];
      }
    });
    var saved = new Date();
    try {
      localStorage.setItem("draft:" + form.dataset.draftKey, JSON.stringify({ saved: saved.toISOString(), data: data }));
      if (note) note.textContent = "Черновик сохранён на этом устройстве в " + saved.toLocaleTimeString("ru-RU", { hour: "2-digit", minute: "2-digit" }) + ".";
    } catch (err) {
      if (note) note.textContent = "Черновик не удалось сохранить на этом устройстве.";
    }
  }

  function restoreDraft(form, draft) {
    draftFields(form).forEach(function (el) {
      var values = draft.data[el.name];
      if (!values) return;
      if (el.type === "checkbox" || el.type === "radio") el.checked = values.indexOf(el.value) !== -1;
      else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
      } else el.value = values[0];
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function wireDrafts(root) {
    onEvery(root, "[data-draft-clear]", function (el) {
      try { localStorage.removeItem("draft:" + el.dataset.draftClear); } catch (err) { /* no storage */ }
    });
    onEvery(root, "form[data-draft-key]", function (form) {
      var note = form.querySelector("[data-draft-note]");
      var key = "draft:" + form.dataset.draftKey;
      var raw = null;
      try { raw = localStorage.getItem(key); } catch (err) { raw = null; }
      if (raw && !form.querySelector("[data-error-summary]")) {
        try {
          var draft = JSON.parse(raw);
          restoreDraft(form, draft);
          var when = new Date(draft.saved).toLocaleString("ru-RU", { day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" });
          if (note) note.textContent = "Восстановлен черновик, сохранённый на этом устройстве " + when + ".";
          var reset = form.querySelector("[data-draft-reset]");
          if (reset) reset.hidden = false;
        } catch (err) { /* a broken draft is ignored */ }
      }
      var timer = null;
      form.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { saveDraft(form, note); }, 400);
      });
      form.addEventListener("change", function () { saveDraft(form, note); });
      var resetBtn = form.querySelector("[data-draft-reset]");
      if (resetBtn) {
        resetBtn.addEventListener("click", function () {
          try { localStorage.removeItem(key); } catch (err) { /* no storage */ }
          window.location.reload();
        });
      }
    });
  }

  /* The housing-conditions block of a visit matters only for the inspection act (P9):
     <div data-shown-when="act-kind=housing">. */
  function wireShownWhen(root) {
    onEvery(root, "[data-shown-when]", function (block) {
      var parts = block.dataset.shownWhen.split("=");
      var radios = document.querySelectorAll("input[name='" + parts[0] + "']");
      function sync() {
        var checked = document.querySelector("input[name='" + parts[0] + "']:checked");
        block.hidden = !!checked && checked.value !== parts[1];
      }
      radios.forEach(function (r) { r.addEventListener("change", sync); });
      sync();
    });
  }

  function wire(root) {
    wireDuration(root);
    wireFilters(root);
    wireShownWhen(root);
    wireDrafts(root);
  }

  ready(function () {
    wire(document);
    focusErrorSummary(document);
  });
  document.addEventListener("htmx:load", function (e) {
    if (e.target !== document.body) wire(e.target);
  });
})();
