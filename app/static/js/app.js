// Behaviour the templates ask for with data- attributes: the Content-Security-Policy
// allows no inline script (app/headers.py).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // Actions that cannot be undone ask first. data-confirm-when="field=value" asks only when
  // that field holds that value (e.g. a status form asks only for "cancelled").
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (submitted) {
      var when = form.getAttribute("data-confirm-when");
      if (when) {
        var pair = when.split("=");
        var field = form.elements[pair[0]];
        if (!field || field.value !== pair[1]) { return; }
      }
      if (!window.confirm(form.getAttribute("data-confirm"))) { submitted.preventDefault(); }
    });
  });
  // Copy buttons: data-copy names the input whose value is copied.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) { return; }
      var done = function () { button.textContent = button.getAttribute("data-copied"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(done);
      } else {  // plain http on an intranet: the selection and the old command still work
        source.select();
        document.execCommand("copy");
        done();
      }
    });
  });
});
