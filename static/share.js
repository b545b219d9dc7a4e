// Offers the browser's own share sheet where there is one. The plain links beside the
// button work without this script; it only adds the button.
(function () {
  var button = document.querySelector("button[data-share-url]");
  if (!button || typeof navigator.share !== "function") {
    return;
  }
  // The paragraph around it is hidden rather than the button, whose class sets its display.
  button.parentNode.hidden = false;
  button.addEventListener("click", function () {
    navigator
      .share({
        title: button.getAttribute("data-share-title"),
        text: button.getAttribute("data-share-text"),
        url: button.getAttribute("data-share-url"),
      })
      .catch(function () {
        // Closing the sheet without sharing is not an error worth showing.
      });
  });
})();
