/* flipmastery: the class grid's cells open their panel in a dialog, and the keyboard keeps its place.
 *
 * Each cell is a plain link to its panel's page (it works without JavaScript). Here a click (or Enter)
 * on a cell loads the panel alone into the grid page's <dialog> and opens it; Escape or "Close" closes
 * it and gives the focus back to the cell it came from. The panel's forms post with htmx into the panel;
 * the answer names the event "grid-changed", on which the grid asks for its rows (web/cockpit/_grid_body
 * .html), so the cell shows the new state too. When the grid's rows are swapped (that, or the poll), the
 * cell that had the focus gets it back at once. Loaded from our own static files: the CSP allows no inline script.
 */
(function () {
  "use strict";

  var opener = null; // the href of the cell whose panel is open (the link itself may be swapped away)
  var focused = null; // the href of the cell that had the focus when the grid's rows were swapped
  var rowsLoading = false; // the grid's rows are on their way (after an answer, or the poll)

  function byId(id) {
    return document.getElementById(id);
  }

  function cellLink(href) {
    var links = document.querySelectorAll("#grid-body a.cell");
    for (var i = 0; i < links.length; i += 1) {
      if (links[i].getAttribute("href") === href) {
        return links[i];
      }
    }
    return null;
  }

  function focusTitle() {
    var title = byId("cell-title");
    if (title) {
      title.focus();
    }
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
        event.altKey) {
      return; // a new tab or window: the panel's own page
    }
    var link = event.target.closest ? event.target.closest("#grid-body a.cell") : null;
    var dialog = byId("cell-dialog");
    if (!link || !dialog || !window.htmx || typeof dialog.showModal !== "function") {
      return;
    }
    event.preventDefault();
    var href = link.getAttribute("href");
    var panel = byId("cell-panel");
    window.htmx.ajax("GET", href, { target: "#cell-panel", swap: "innerHTML" }).then(function () {
      var loaded = panel.querySelector(".cell-panel");
      if (!loaded || loaded.getAttribute("data-cell") !== href) {
        window.location.assign(href); // not loaded (gone, or no connection): the page says why
        return;
      }
      opener = href;
      if (!dialog.open) {
        dialog.showModal();
      }
      focusTitle();
    });
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest ? event.target.closest("[data-close-cell]") : null;
    var dialog = byId("cell-dialog");
    if (close && dialog && dialog.open) {
      dialog.close();
    }
  });

  /* "close" does not bubble: listened to on the way down. */
  document.addEventListener("close", function (event) {
    if (event.target.id !== "cell-dialog") {
      return;
    }
    var link = opener ? cellLink(opener) : null;
    if (rowsLoading && opener) {
      focused = opener; // the rows about to arrive replace this link: the new one gets the focus
    }
    opener = null;
    if (link) {
      link.focus();
    }
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.target && event.detail.target.id === "grid-body") {
      rowsLoading = true;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (event.detail.target && event.detail.target.id === "grid-body" && (!xhr || xhr.status !== 200)) {
      rowsLoading = false; // nothing will be swapped (304: nothing changed; or no connection)
      focused = null;
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    if (target && target.id === "grid-body" && active && active.matches && active.matches("#grid-body a.cell")) {
      focused = active.getAttribute("href");
    }
  });

  /* Right after the swap, in the same task: between the swap and its settling the old link is gone and
   * the focus would sit on the page's body. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "grid-body") {
      rowsLoading = false;
    }
    if (focused && target && target.id === "grid-body") {
      var link = cellLink(focused);
      focused = null;
      if (link) {
        link.focus();
      }
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target && target.id === "cell-panel" && !target.querySelector("[autofocus]") &&
        !target.contains(document.activeElement)) {
      focusTitle(); // after an answer: the panel is new; the focus stays in it
    }
  });
})();
