// Runs inside the embedded form after a failed submit. Browsers ignore `autofocus` inside a
// frame from another site, so that a frame cannot steal the focus from the page around it;
// here the supporter has just sent the form from inside this frame, so the frame already
// has the focus, and the error summary takes it, as on Mariposa's own page, and is read out
// and scrolled into view.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
