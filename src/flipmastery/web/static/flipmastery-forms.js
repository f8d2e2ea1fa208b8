/* flipmastery: a form htmx sends says its refusal or failure where it was sent, never nothing.
 *
 * htmx swaps only 2xx answers, so a 422 from a form, a 404 from a look-up or a dropped connection left the
 * page as it was. Here, for every htmx form (the body is hx-boost, so every form of a page, and each
 * hx-post form):
 *   - a 4xx answer with a role="alert" message (the views answer htmx with that fragment alone,
 *     web/_refusal.html) is shown in the form's error place; the page and what was typed stay;
 *   - a 5xx answer, an answer without such a message, or no answer at all shows the page's words for
 *     "could not save" (data-errors-not-saved on <body>; data-errors-not-loaded for a look-up) there;
 *   - a boosted link or form whose 4xx answer is a whole page without such a message (the 404 page, the
 *     413 page) is shown as that page, as it would be without JavaScript.
 * The error place is the element whose id the form's data-errors names, else one made just before the
 * form. Anything inside [data-own-errors] (a check's autosave, flipmastery-check.js) says its own errors.
 * Loaded from our own static files: the CSP allows no inline script.
 */
(function () {
  "use strict";

  var made = 0;

  function formOf(element) {
    if (!element || !element.closest) {
      return null;
    }
    return element.tagName === "FORM" ? element : element.form || element.closest("form");
  }

  function ownsErrors(element) {
    return Boolean(element && element.closest && element.closest("[data-own-errors]"));
  }

  /* The element that sent the request: htmx names the swap target as detail.elt of htmx:beforeSwap. */
  function sourceOf(detail) {
    return (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
  }

  function isBoosted(detail) {
    return Boolean(detail.boosted || (detail.requestConfig && detail.requestConfig.boosted));
  }

  function verbOf(detail) {
    return String((detail.requestConfig && detail.requestConfig.verb) || "get").toLowerCase();
  }

  function clear(place) {
    while (place.firstChild) {
      place.removeChild(place.firstChild);
    }
  }

  /* The form's error place, or the page's (for a boosted link): made the first time it is needed. */
  function placeOf(form) {
    var id = form ? form.getAttribute("data-errors") : "page-errors";
    var place = id ? document.getElementById(id) : null;
    if (place) {
      return place;
    }
    place = document.createElement("div");
    place.className = "form-errors";
    if (form) {
      made += 1;
      place.id = "form-errors-" + made;
      form.setAttribute("data-errors", place.id);
      form.parentNode.insertBefore(place, form);
    } else {
      var main = document.getElementById("main") || document.body;
      place.id = "page-errors";
      main.insertBefore(place, main.firstChild);
    }
    return place;
  }

  function show(place, nodes) {
    clear(place);
    nodes.forEach(function (node) { place.appendChild(node); });
    if (place.scrollIntoView) {
      place.scrollIntoView({ block: "nearest" });
    }
  }

  function failed(place, verb) {
    var words = document.body.getAttribute(verb === "get" ? "data-errors-not-loaded" : "data-errors-not-saved");
    var said = document.createElement("p");
    said.className = "errors";
    said.setAttribute("role", "alert");
    said.textContent = words || "Could not save: check the connection and try again";
    show(place, [said]);
  }

  /* The outermost role="alert" elements of an HTML answer, ready to put in this page. */
  function alertsIn(html) {
    var found = new DOMParser().parseFromString(html, "text/html").querySelectorAll("[role=alert]");
    return Array.prototype.filter
      .call(found, function (alert) { return !alert.parentElement.closest("[role=alert]"); })
      .map(function (alert) { return document.importNode(alert, true); });
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = formOf(sourceOf(event.detail));
    var id = form && !ownsErrors(form) ? form.getAttribute("data-errors") : null;
    var place = id ? document.getElementById(id) : null;
    if (place) {
      clear(place); // a new try: the last one's words no longer hold
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var status = detail.xhr ? detail.xhr.status : 0;
    var source = sourceOf(detail);
    if (status < 400 || detail.shouldSwap || ownsErrors(source)) {
      return;
    }
    var form = formOf(source);
    var boosted = isBoosted(detail);
    if (!form && !boosted) {
      return; // a poll: it asks again by itself
    }
    var html = detail.xhr.responseText || "";
    var alerts = status < 500 ? alertsIn(html) : [];
    detail.isError = false; // said on the page: not a console error as well
    if (alerts.length > 0) {
      show(placeOf(form), alerts);
    } else if (status < 500 && boosted && /<body[\s>]/i.test(html)) {
      detail.shouldSwap = true; // a whole page that says what happened: show it, as without JavaScript
    } else {
      failed(placeOf(form), verbOf(detail));
    }
  });

  function unreachable(event) {
    var detail = event.detail;
    var source = sourceOf(detail);
    if (ownsErrors(source)) {
      return;
    }
    var form = formOf(source);
    if (form || isBoosted(detail)) {
      failed(placeOf(form), verbOf(detail));
    }
  }

  document.addEventListener("htmx:sendError", unreachable);
  document.addEventListener("htmx:timeout", unreachable);
})();
