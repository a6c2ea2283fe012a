// Live updates of an interview page: when someone else answers, reload the page if
// nothing was typed in it yet, else say so and leave what was typed alone.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.EventSource) {
    return;
  }
  var edited = false;
  var markEdited = function (event) {
    var target = event.target;
    if (target && (target.form || target.getAttribute("form"))) {
      edited = true;
    }
  };
  document.addEventListener("input", markEdited);
  document.addEventListener("change", markEdited);
  var source = new EventSource(live.getAttribute("data-events"));
  source.addEventListener("answers", function () {
    if (!edited) {
      source.close();
      window.location.replace(window.location.pathname);
      return;
    }
    var banner = document.getElementById("live-banner");
    if (banner) {
      banner.hidden = false;
    }
  });
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();
