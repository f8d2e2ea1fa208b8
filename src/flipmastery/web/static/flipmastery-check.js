/* flipmastery: autosave of a check's answers that survives a reload and a dropped connection.
 *
 * htmx posts each answer to /attempts/<id>/items/<n>/ (see the hx-* attributes of each item form). This
 * script only adds what htmx does not do: it keeps an answer the server has not confirmed in
 * localStorage (keyed by attempt and item), says "Saving…" / "Not saved" in the item's live region,
 * retries when the browser is back online or after a failed send, restores a kept answer after a reload
 * and forgets it once the server has it. Loaded from our own static files (the CSP allows no inline
 * script); the pages work without it, only less kindly.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-check-attempt]");
  if (!root) {
    return;
  }
  var PREFIX = "flipmastery:attempt:" + root.getAttribute("data-check-attempt") + ":item:";
  var page = root.getAttribute("data-check-state");
  var store = openStorage();
  var words = root.dataset; // the page's words, translated on the server (data-say-*)

  function openStorage() {
    try {
      var probe = "flipmastery:probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage full: autosave still works, only without a local copy
    }
  }

  function keptKeys() {
    var found = [];
    if (!store) {
      return found;
    }
    for (var i = 0; i < store.length; i += 1) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        found.push(key);
      }
    }
    return found;
  }

  function kept(n) {
    if (!store) {
      return null;
    }
    try {
      return JSON.parse(store.getItem(PREFIX + n) || "null");
    } catch (error) {
      return null;
    }
  }

  function keep(n, fields, base) {
    if (store) {
      try {
        store.setItem(PREFIX + n, JSON.stringify({ fields: fields, base: base, at: Date.now() }));
      } catch (error) {
        /* storage full: the answer stays in the page until it is saved */
      }
    }
  }

  function forget(n) {
    if (store) {
      store.removeItem(PREFIX + n);
    }
  }

  if (page === "submitted") {
    keptKeys().forEach(function (key) { store.removeItem(key); });
    return;
  }
  if (page === "confirm") {
    var warning = root.querySelector("[data-local-warning]");
    if (warning && keptKeys().length > 0) {
      warning.hidden = false;
    }
    return;
  }
  if (page !== "open") {
    return;
  }

  var forms = Array.prototype.slice.call(root.querySelectorAll("form[data-item]"));
  var submitNote = root.querySelector("#submit-note");
  var states = {};
  forms.forEach(function (form) {
    states[form.getAttribute("data-item")] = { saved: "", sending: null, closed: false, timer: 0, delay: 0 };
  });

  function itemForm(element) {
    return element && element.matches && element.matches("form[data-item]") && root.contains(element)
      ? element
      : null;
  }

  function stateOf(form) {
    return states[form.getAttribute("data-item")];
  }

  /* The answer of one item as [name, value] pairs, in the order of its controls. */
  function fieldsOf(form) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (control) {
      if (!control.name || control.name === "csrfmiddlewaretoken" || control.disabled) {
        return;
      }
      if ((control.type === "radio" || control.type === "checkbox") && !control.checked) {
        return;
      }
      if (control.type === "submit" || control.type === "button") {
        return;
      }
      fields.push([control.name, control.value]);
    });
    return fields;
  }

  function same(fields) {
    return JSON.stringify(fields);
  }

  function apply(form, fields) {
    if (window.flipmasteryApplyOrder) {
      window.flipmasteryApplyOrder(form, fields); // an ordering item: its list is put back in that order
    }
    Array.prototype.forEach.call(form.elements, function (control) {
      if (!control.name || control.name === "csrfmiddlewaretoken" || control.name === "order") {
        return;
      }
      if (control.type === "radio" || control.type === "checkbox") {
        control.checked = fields.some(function (f) { return f[0] === control.name && f[1] === control.value; });
      } else if ("value" in control && control.type !== "submit") {
        var found = fields.filter(function (f) { return f[0] === control.name; })[0];
        control.value = found ? found[1] : "";
      }
    });
  }

  function say(form, kind, text) {
    var region = form.querySelector(".save-state");
    if (!region) {
      return;
    }
    var shown = document.createElement("span");
    shown.className = kind;
    shown.textContent = text;
    region.textContent = "";
    region.appendChild(shown);
  }

  function retry(form) {
    var state = stateOf(form);
    if (state.closed || !window.htmx) {
      return;
    }
    window.htmx.trigger(form, "retry");
  }

  function later(form) {
    var state = stateOf(form);
    if (state.timer || state.closed) {
      return;
    }
    state.delay = Math.min(state.delay ? state.delay * 2 : 3000, 60000);
    state.timer = window.setTimeout(function () {
      state.timer = 0;
      if (navigator.onLine !== false) {
        retry(form);
      } // offline: the "online" event retries
    }, state.delay);
  }

  function unsaved(form) {
    var state = stateOf(form);
    return !state.closed && (state.sending !== null || same(fieldsOf(form)) !== state.saved);
  }

  /* htmx is about to send an item: skip it if the server already has this answer, else keep a copy. */
  document.addEventListener("htmx:configRequest", function (event) {
    var form = itemForm(event.detail.elt);
    if (!form) {
      return;
    }
    var state = stateOf(form);
    var fields = fieldsOf(form);
    var now = same(fields);
    if (state.closed || now === (state.sending !== null ? state.sending : state.saved)) {
      event.preventDefault();
      return;
    }
    keep(form.getAttribute("data-item"), fields, form.getAttribute("data-saved-at") || "");
    state.sending = now;
    say(form, "save-pending", words.saySaving);
  });

  /* Keep what is typed at once, not only when htmx sends it: the tab may close during the delay. */
  root.addEventListener("input", function (event) {
    var form = itemForm(event.target.form);
    if (form && !stateOf(form).closed) {
      var fields = fieldsOf(form);
      if (same(fields) !== stateOf(form).saved) {
        keep(form.getAttribute("data-item"), fields, form.getAttribute("data-saved-at") || "");
      }
    }
  });

  /* The server's words for "submitted", "invalid" and "logged out" come with 4xx codes: show them.
   * (In htmx:beforeSwap, detail.elt is the swap target, the item's state; the form is the request's.) */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var config = event.detail.requestConfig;
    if (!itemForm((config && config.elt) || event.detail.elt)) {
      return;
    }
    var status = event.detail.xhr.status;
    if (status === 401 || status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = itemForm(event.detail.elt);
    if (!form) {
      return;
    }
    var state = stateOf(form);
    var n = form.getAttribute("data-item");
    var sent = state.sending;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    state.sending = null;
    if (status === 200) {
      state.saved = sent;
      state.delay = 0;
      var stamp = form.querySelector(".save-state [data-saved-at]");
      if (stamp) {
        form.setAttribute("data-saved-at", stamp.getAttribute("data-saved-at"));
      }
      var copy = kept(n);
      if (copy && same(copy.fields) === sent) {
        forget(n);
      }
      if (same(fieldsOf(form)) !== sent && !state.timer) {
        retry(form); // changed while this one was on its way
      }
      if (submitNote && submitNote.textContent && !forms.some(unsaved)) {
        submitNote.textContent = words.sayAllSaved;
      }
    } else if (status === 409) {
      forms.forEach(function (other) { stateOf(other).closed = true; });
      keptKeys().forEach(function (key) { store.removeItem(key); });
    } else if (status === 422) {
      forget(n); // the server refused this answer; a reload must not bring it back
    } else if (status === 401) {
      /* logged out: the copy stays on this device until the student logs in and reopens the check */
    } else if (status === 403) {
      say(form, "save-failed", words.sayReload);
    } else if (status === 404) {
      say(form, "save-failed", words.sayGone);
    } else {
      say(form, "save-failed", words.sayNotSaved); // no connection (status 0), or the server failed (5xx)
      later(form);
    }
  });

  window.addEventListener("online", function () {
    forms.forEach(function (form) {
      if (unsaved(form)) {
        retry(form);
      }
    });
  });

  /* Before the confirmation page: every answer must be on the server. */
  var submitLink = root.querySelector("[data-submit-check]");
  if (submitLink && submitNote) {
    submitLink.addEventListener("click", function (event) {
      var waiting = forms.filter(unsaved);
      if (waiting.length === 0) {
        return;
      }
      event.preventDefault();
      if (navigator.onLine === false) {
        submitNote.textContent = words.sayOffline;
      } else {
        submitNote.textContent = words.sayFlushing;
        waiting.forEach(retry);
      }
    });
  }

  /* After a reload: the server's answers are in the controls; put back what only this device has. */
  var restored = [];
  forms.forEach(function (form) {
    var state = stateOf(form);
    var n = form.getAttribute("data-item");
    state.saved = same(fieldsOf(form));
    var copy = kept(n);
    if (!copy || !Array.isArray(copy.fields)) {
      forget(n);
      return;
    }
    var serverChanged = (copy.base || "") !== (form.getAttribute("data-saved-at") || "");
    if (same(copy.fields) === state.saved || serverChanged) {
      forget(n); // the server has it, or has a newer answer saved from elsewhere
      return;
    }
    apply(form, copy.fields);
    say(form, "save-pending", words.sayRestoring);
    restored.push(form);
  });
  function restore() {
    // This deferred script may run before htmx has set the forms up (it does so on DOMContentLoaded):
    // set each one up here (htmx skips a form it already knows), so the kept answer is sent, not lost.
    window.setTimeout(function () {
      restored.forEach(function (form) {
        if (window.htmx) {
          window.htmx.process(form);
        }
        retry(form);
      });
    }, 0);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }
})();
