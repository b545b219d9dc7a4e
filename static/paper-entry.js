// The paper entry form: Enter in a row goes to the next row, adding one after the last,
// so staff type a whole sheet from the keyboard; Ctrl+Enter adds the rows typed. Without
// this script the form still works: Enter adds the rows typed so far.
(function () {
  "use strict";
  var form = document.getElementById("paper-entry");
  if (!form) {
    return;
  }
  var body = form.querySelector("tbody");

  function entryRows() {
    return Array.prototype.slice.call(body.querySelectorAll("tr.entry-row"));
  }

  function addRow(last) {
    var index = entryRows().length;
    var copy = last.cloneNode(true);
    copy.classList.remove("has-error");
    copy.querySelector("td").textContent = String(index + 1);
    copy.querySelectorAll("input").forEach(function (input) {
      input.name = input.name.replace(/-\d+$/, "-" + index);
      input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/\d+$/, String(index + 1)));
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      if (input.type === "checkbox") {
        input.checked = false;
      } else if (input.name.indexOf("country-") !== 0) {
        input.value = "";
      }
    });
    body.appendChild(copy);
    return copy;
  }

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") {
      return;
    }
    var row = event.target.closest("tr.entry-row");
    if (!row) {
      return;
    }
    event.preventDefault();
    if (event.ctrlKey || event.metaKey) {
      form.requestSubmit();
      return;
    }
    var rows = entryRows();
    var next = rows[rows.indexOf(row) + 1] || addRow(rows[rows.length - 1]);
    next.querySelector("input").focus();
  });
})();
