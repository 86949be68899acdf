// Phones: the header's menu button folds and unfolds the navigation (static/css/phone.css),
// and every list cell learns its column's name, shown when rows become stacked cards.
// No inline script: the Content-Security-Policy forbids it (app/headers.py).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menu-toggle");
  if (button) {
    document.body.classList.add("has-menu");
    button.addEventListener("click", function () {
      var open = document.body.classList.toggle("menu-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  document.querySelectorAll("table.grid").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!heads.length) { return; }
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (heads[index] && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) {
          cell.setAttribute("data-label", heads[index]);
        }
      });
    });
  });
});
