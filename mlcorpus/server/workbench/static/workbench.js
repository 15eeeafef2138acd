// Keyboard shortcuts for the workbench; every action also works without them.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }
  function beadRows() { return Array.prototype.slice.call(document.querySelectorAll("tr.bead")); }
  function currentRow() {
    var el = document.activeElement;
    while (el && !(el.classList && el.classList.contains("bead"))) { el = el.parentElement; }
    return el;
  }
  function focusRow(row) { if (row) { row.focus(); row.scrollIntoView({ block: "nearest" }); } }
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) { return; }
    if (ev.key === "/") {
      var search = document.querySelector("input[type=search]");
      if (search) { ev.preventDefault(); search.focus(); }
      return;
    }
    var rows = beadRows();
    if (!rows.length) { return; }
    var row = currentRow();
    var at = row ? rows.indexOf(row) : -1;
    if (ev.key === "j" || ev.key === "k") {
      ev.preventDefault();
      focusRow(rows[Math.min(rows.length - 1, Math.max(0, at + (ev.key === "j" ? 1 : -1)))] || rows[0]);
    } else if (ev.key === "u") {
      var undo = document.getElementById("undo");
      if (undo) { ev.preventDefault(); undo.click(); }
    } else if (row) {
      var button = row.querySelector("button[data-key='" + ev.key + "']");
      if (button) { ev.preventDefault(); button.click(); }
    }
  });
  // After a correction the page comes back at the bead: focus it for the keyboard.
  if (location.hash.indexOf("#bead-") === 0) {
    focusRow(document.getElementById(location.hash.slice(1)));
  }
})();
