(function () {
  "use strict";
  var root = document.documentElement;
  // Count the charts whose marks were laid out, so a headless check can tell they were drawn.
  var drawn = 0;
  document.querySelectorAll("svg.chart").forEach(function (svg) {
    var visible = 0;
    svg.querySelectorAll("g.mark, g.range").forEach(function (mark) {
      var box = mark.getBBox();
      if (box.width > 0 && box.height > 0) { visible += 1; }
    });
    svg.setAttribute("data-marks-drawn", String(visible));
    if (visible > 0) { drawn += 1; }
  });
  root.setAttribute("data-charts-drawn", String(drawn));
  root.setAttribute("data-findings-listed", String(document.querySelectorAll("#findings .finding.card").length));
  root.setAttribute("data-readings-listed", String(document.querySelectorAll("#to-check .finding.card").length));

  // Legibility: the smallest text drawn on screen, in CSS pixels (SVG text scaled by its chart),
  // and how wide the page is laid out, so a headless check at phone width can read both.
  function smallestText() {
    var smallest = Infinity;
    var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.nodeValue.trim()) { continue; }
      var el = node.parentElement;
      if (!el || el.closest("title, script, style")) { continue; }
      var rects = el.getClientRects();
      if (!rects.length || rects[0].width === 0) { continue; }
      var size = parseFloat(window.getComputedStyle(el).fontSize);
      var svg = el.closest("svg");
      if (svg && svg.getScreenCTM()) { size *= svg.getScreenCTM().a; }
      if (size < smallest) { smallest = size; }
    }
    return smallest === Infinity ? 0 : Math.round(smallest * 10) / 10;
  }
  root.setAttribute("data-min-text-px", String(smallestText()));
  root.setAttribute("data-page-width", String(document.documentElement.scrollWidth));
  root.setAttribute("data-viewport-width", String(window.innerWidth));

  // Hovering a mark highlights the sentences it came from, and the other way round.
  function claimIds(el) { return (el.getAttribute("data-claim") || "").split(" ").filter(Boolean); }
  var byClaim = {};
  var linked = document.querySelectorAll("[data-claim]");
  linked.forEach(function (el) {
    claimIds(el).forEach(function (id) { (byClaim[id] = byClaim[id] || []).push(el); });
  });
  linked.forEach(function (el) {
    el.addEventListener("mouseenter", function () {
      claimIds(el).forEach(function (id) {
        byClaim[id].forEach(function (other) { other.classList.add("linked"); });
      });
    });
    el.addEventListener("mouseleave", function () {
      document.querySelectorAll(".linked").forEach(function (other) { other.classList.remove("linked"); });
    });
  });

  // Report (never run) anything injected: article text must not have executed.
  window.addEventListener("load", function () {
    if (window.__pwned) { root.setAttribute("data-pwned-window", String(window.__pwned)); }
  });
  root.setAttribute("data-report-ready", "1");
})();
