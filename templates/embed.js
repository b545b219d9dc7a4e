// Mariposa's embed snippet. A partner pastes
//   <script src="https://MARIPOSA/embed.js" data-campaign="SLUG" data-source="PARTNER"
//           data-lang="es" async></script>
// and this puts the campaign's form right after that tag, in an iframe that grows with its
// content. It needs no cookie and no other script.
(function () {
  "use strict";
  var TITLES = {{ titles_json }};
  var LINKS = {{ links_json }};
  var script = document.currentScript;
  if (!script || !script.getAttribute("data-campaign")) return;
  var mariposa = new URL(script.src, document.baseURI).origin;

  var wanted = script.getAttribute("data-lang") || document.documentElement.lang ||
    navigator.language || "";
  var lang = wanted.slice(0, 2).toLowerCase();
  var query = new URLSearchParams();
  if (script.getAttribute("data-source")) query.set("source", script.getAttribute("data-source"));
  if (TITLES.hasOwnProperty(lang)) query.set("lang", lang);

  var frame = document.createElement("iframe");
  frame.src = mariposa + "/embed/" + encodeURIComponent(script.getAttribute("data-campaign")) +
    (query.toString() ? "?" + query.toString() : "");
  frame.title = TITLES[lang] || TITLES["{{ default_lang }}"];
  frame.setAttribute("loading", "lazy");
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.display = "block";
  frame.style.height = "{{ initial_height }}px";
  script.parentNode.insertBefore(frame, script.nextSibling);

  // A site the campaign does not allow gets the browser's broken-frame page, which never
  // reports a height; a plain link to the campaign's own page then takes the frame's place.
  var heard = false;
  frame.addEventListener("load", function () {
    setTimeout(function () {
      if (heard || !frame.parentNode) return;
      var link = document.createElement("a");
      link.href = mariposa + "/campaigns/" + encodeURIComponent(script.getAttribute("data-campaign")) +
        (query.toString() ? "?" + query.toString() : "");
      link.textContent = LINKS[lang] || LINKS["{{ default_lang }}"];
      link.className = "mariposa-link";
      var paragraph = document.createElement("p");
      paragraph.appendChild(link);
      frame.parentNode.replaceChild(paragraph, frame);
    }, 3000);
  });

  // Only the form's own page, in this very frame, may set its height.
  window.addEventListener("message", function (event) {
    if (event.origin !== mariposa || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || data.type !== "mariposa:height") return;
    heard = true;
    var height = Number(data.height);
    if (isFinite(height) && height > 0 && height < 20000) {
      frame.style.height = Math.ceil(height) + "px";
    }
  });
})();
