// Pick a record by name: an input with data-lookup (a JSON URL answering {"events": [{id,
// label}]}) and list (a <datalist>) offers what matches the words typed, and puts the chosen
// one's id in the field named by data-lookup-target. Typing anything else clears the id
// (the server then resolves the words itself). No inline script: the CSP forbids it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-lookup]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var target = document.getElementById(input.getAttribute("data-lookup-target"));
    if (!list || !target) { return; }
    var ids = {};
    var timer = null;
    input.addEventListener("input", function () {
      if (Object.prototype.hasOwnProperty.call(ids, input.value)) {
        target.value = ids[input.value];
        return;
      }
      target.value = "";
      clearTimeout(timer);
      var words = input.value.trim();
      if (words.length < 2) { return; }
      timer = setTimeout(function () {
        fetch(input.getAttribute("data-lookup") + "?q=" + encodeURIComponent(words),
              {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {events: []}; })
          .then(function (data) {
            list.textContent = "";
            (data.events || []).forEach(function (found) {
              ids[found.label] = found.id;
              var option = document.createElement("option");
              option.value = found.label;
              list.appendChild(option);
            });
            if (Object.prototype.hasOwnProperty.call(ids, input.value)) {
              target.value = ids[input.value];
            }
          });
      }, 200);
    });
  });
});
