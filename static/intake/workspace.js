// Progressive enhancement of the recruiter workspace. Every page works without this file; it adds select-all,
// shows only the bulk fields the chosen action needs, moves focus after htmx updates, and lets board cards be
// dragged. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  function syncBulkFields(root) {
    const action = (root || document).querySelector("#id_bulk-action");
    if (!action) return;
    document.querySelectorAll("[data-bulk-for]").forEach(function (field) {
      const wanted = field.getAttribute("data-bulk-for").split(" ");
      field.hidden = !wanted.includes(action.value);
    });
  }

  function focusAfterSwap(target) {
    const invalid = target.querySelector('[aria-invalid="true"], .form-errors, .conflict-box');
    if (invalid) {
      const details = invalid.closest("details");
      if (details) details.open = true;
      if (!invalid.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA)$/.test(invalid.tagName)) {
        invalid.setAttribute("tabindex", "-1");
      }
      invalid.focus();
      return;
    }
    const messages = document.getElementById("berichten");
    if (messages && messages.querySelector(".message")) {
      messages.focus();
    } else if (target.id === "board-panel") {
      const first = target.querySelector("summary, a, button");
      if (first) first.focus();
    }
  }

  document.addEventListener("change", function (event) {
    if (event.target.id === "select-all") {
      document.querySelectorAll('input[name="bulk-selected"]').forEach(function (box) {
        box.checked = event.target.checked;
      });
    } else if (event.target.id === "id_bulk-action") {
      syncBulkFields();
    }
  });

  let lastPanelTrigger = null;
  document.addEventListener("click", function (event) {
    const trigger = event.target.closest('[hx-target="#board-panel"]');
    if (trigger) lastPanelTrigger = trigger;
    if (event.target.closest("[data-close-panel]")) {
      document.getElementById("board-panel").replaceChildren();
      if (lastPanelTrigger && document.contains(lastPanelTrigger)) lastPanelTrigger.focus();
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail.target;
    if (!target || target.id === "resultaten") {
      syncBulkFields();
      return;
    }
    if (target.id === "kandidaat" || target.id === "board-panel") focusAfterSwap(target);
  });

  // Dragging a card onto another column opens the same panel as its "Verplaatsen" button: the server offers
  // only the transitions the chain allows from where the candidate stands.
  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".card[data-panel-url]");
    if (card) event.dataTransfer.setData("text/plain", card.getAttribute("data-panel-url"));
  });
  document.addEventListener("dragover", function (event) {
    if (event.target.closest && event.target.closest(".board-column")) event.preventDefault();
  });
  document.addEventListener("drop", function (event) {
    const column = event.target.closest && event.target.closest(".board-column");
    const url = event.dataTransfer.getData("text/plain");
    if (!column || !url || !window.htmx) return;
    event.preventDefault();
    window.htmx.ajax("GET", url, { target: "#board-panel" });
  });

  document.addEventListener("DOMContentLoaded", function () {
    syncBulkFields();
    const first = document.querySelector("[data-autofocus]");
    if (first) first.focus();
  });
})();
