// Ordering items: "Move up" / "Move down" move the item in the page (keeping the keyboard focus on the
// button pressed, and saying the new place), then the form autosaves as after any change. Without
// JavaScript the same buttons post the move and the page comes back reordered.
(function () {
  "use strict";
  // A kept answer (offline, or a reload before it was saved) puts the items back in its order.
  window.flipmasteryApplyOrder = function (form, fields) {
    var list = form.querySelector("[data-order-list]");
    if (!list) return;
    fields.forEach(function (field) {
      if (field[0] !== "order") return;
      var item = list.querySelector('li[data-order-id="' + CSS.escape(field[1]) + '"]');
      if (item) list.appendChild(item);
    });
  };
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-move]");
    if (!button) return;
    var item = button.closest("li.order-item");
    var list = item && item.parentElement;
    var form = button.form;
    if (!item || !list || !form) return;
    event.preventDefault();
    var way = button.getAttribute("data-move");
    var other = way === "up" ? item.previousElementSibling : item.nextElementSibling;
    if (other) {
      list.insertBefore(item, way === "up" ? other : other.nextElementSibling);
    }
    var items = Array.prototype.slice.call(list.children);
    var place = items.indexOf(item) + 1;
    // The button keeps the focus unless the item reached the end it moved to; then its twin takes it.
    var atEdge = (way === "up" && place === 1) || (way === "down" && place === items.length);
    var focus = atEdge ? item.querySelector('button[data-move="' + (way === "up" ? "down" : "up") + '"]') : button;
    if (focus) focus.focus();
    var said = form.querySelector("[data-order-said]");
    if (said) {
      said.textContent = (said.getAttribute("data-say-moved") || "")
        .replace("{place}", String(place)).replace("{total}", String(items.length));
    }
    if (other) form.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
