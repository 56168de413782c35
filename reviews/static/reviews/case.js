/* Case page: zoom and rotate the card, highlight a field's OCR box, keyboard shortcuts. */
(function () {
  "use strict";
  var stage = document.getElementById("stage");
  var viewer = document.getElementById("viewer");
  var scale = 1, angle = 0;

  function apply() {
    if (!stage) { return; }
    stage.style.width = (scale * 100) + "%";
    stage.style.transform = "rotate(" + angle + "deg)";
  }
  function zoom(step) {
    scale = step === 0 ? 1 : Math.min(6, Math.max(0.25, scale * (step > 0 ? 1.25 : 0.8)));
    apply();
  }
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () { zoom(parseInt(button.dataset.zoom, 10)); });
  });
  document.querySelectorAll("[data-rotate]").forEach(function (button) {
    button.addEventListener("click", function () {
      angle = (angle + parseInt(button.dataset.rotate, 10) + 360) % 360;
      apply();
    });
  });

  // Box geometry comes as data-* percentages: the Content-Security-Policy refuses style
  // attributes in the markup, but not styles set from a script.
  document.querySelectorAll(".viewer-stage .box").forEach(function (box) {
    ["left", "top", "width", "height"].forEach(function (side) {
      box.style[side] = box.dataset[side] + "%";
    });
  });

  var showBoxes = document.getElementById("show-boxes");
  function boxesVisible() { return showBoxes && showBoxes.checked; }
  function syncBoxes() {
    document.querySelectorAll(".viewer-stage .box").forEach(function (box) {
      box.style.display = boxesVisible() ? "" : "none";
    });
  }
  if (showBoxes) { showBoxes.addEventListener("change", syncBoxes); }
  syncBoxes();

  function highlight(name, on) {
    var row = document.querySelector('tr[data-field="' + name + '"]');
    var box = document.querySelector('.box[data-box="' + name + '"]');
    if (row) { row.classList.toggle("hot", on); }
    if (box) {
      box.classList.toggle("hot", on);
      if (on && viewer && boxesVisible()) { box.scrollIntoView({block: "nearest", inline: "nearest"}); }
    }
  }
  document.querySelectorAll("tr[data-field]").forEach(function (row) {
    var name = row.dataset.field;
    row.addEventListener("mouseenter", function () { highlight(name, true); });
    row.addEventListener("mouseleave", function () { highlight(name, false); });
    row.addEventListener("focusin", function () { highlight(name, true); });
    row.addEventListener("focusout", function () { highlight(name, false); });
  });

  function click(id) {
    var element = document.getElementById(id);
    if (element && !element.disabled) { element.click(); return true; }
    return false;
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
    if (typing || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var handled = false;
    switch (event.key) {
      case "a": case "A": handled = click("approve"); break;
      case "r": case "R": handled = click("reject"); break;
      case "s": case "S": handled = click("resubmit"); break;
      case "n": case "N": handled = click("next-case"); break;
      case "+": case "=": zoom(1); handled = true; break;
      case "-": zoom(-1); handled = true; break;
      case "0": zoom(0); handled = true; break;
    }
    if (handled) { event.preventDefault(); }
  });
  apply();
})();
