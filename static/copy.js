// Copy and print buttons. Each sits hidden in the page, beside a plain link or field that
// works without this script; the script shows the buttons and makes them work.
(function () {
  function copy(text, field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyBySelection(text, field);
      });
    }
    return copyBySelection(text, field);
  }

  // Plain HTTP on a local network has no clipboard API, and some browsers refuse it; the
  // old way, a selection and the copy command, still works there.
  function copyBySelection(text, field) {
    var scratch = field || document.createElement("textarea");
    if (!field) {
      scratch.value = text;
      document.body.appendChild(scratch);
    }
    scratch.select();
    var done = document.execCommand("copy");
    if (!field) {
      document.body.removeChild(scratch);
    }
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.querySelectorAll("button[data-copy], button[data-print]").forEach(function (button) {
    // The paragraph around it is hidden rather than the button, whose class sets its display.
    button.parentNode.hidden = false;
    if (button.hasAttribute("data-print")) {
      button.addEventListener("click", function () {
        window.print();
      });
      return;
    }
    var label = button.textContent;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy-field") || "");
      copy(button.getAttribute("data-copy"), field).then(
        function () {
          button.textContent = button.getAttribute("data-copied");
          setTimeout(function () {
            button.textContent = label;
          }, 3000);
        },
        function () {
          // Nothing copied: the link beside the button is still there to select by hand.
        }
      );
    });
  });
})();
