// Charts wider than their box scroll sideways: open them at the latest month (the right end).
(function () {
  "use strict";
  function showLatest(root) {
    root.querySelectorAll(".spc-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.scrollLeft = box.scrollWidth;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { showLatest(document); });
  document.addEventListener("htmx:afterSwap", function (event) { showLatest(event.target); });
  // A closed <details> (the teams' small multiples) has no width until it is opened.
  document.addEventListener("toggle", function (event) {
    if (event.target.open) { showLatest(event.target); }
  }, true);
})();
