/* Case page: zoom and rotate the card, highlight a field's OCR box, mark the fields that bright
   spots in the image cover, and the page's own keys (N next case, zoom, [ sidebar). The
   decision panel is decision.js. */
(function () {
  "use strict";
  var stage = document.getElementById("stage");
  var viewer = document.getElementById("viewer");
  var image = document.getElementById("card-image");
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
  var boxes = document.querySelectorAll(".viewer-stage .box");
  boxes.forEach(function (box) {
    ["left", "top", "width", "height"].forEach(function (side) {
      box.style[side] = box.dataset[side] + "%";
    });
  });

  var showBoxes = document.getElementById("show-boxes");
  function boxesVisible() { return showBoxes && showBoxes.checked; }
  function syncBoxes() {
    boxes.forEach(function (box) { box.style.display = boxesVisible() ? "" : "none"; });
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

  // --- bright spots over fields ---------------------------------------------------------
  // The stored glare measure is one share over the whole text area, so a spot over one field
  // can stay under its flag. Here the image on the page is looked at field by field, with the
  // measure's own rule for a saturated pixel (brighter than the text area's median + 20, at
  // least 240), and the fields a spot covers are named.
  var SPOT_SHARE = 0.2;
  function median(values) {
    values.sort(function (a, b) { return a - b; });
    return values.length ? values[Math.floor(values.length / 2)] : 0;
  }
  function findBrightSpots() {
    if (!image || !image.naturalWidth || !boxes.length) { return; }
    var width = Math.min(image.naturalWidth, 1012);
    var height = Math.round(image.naturalHeight * width / image.naturalWidth);
    var canvas = document.createElement("canvas");
    canvas.width = width; canvas.height = height;
    var context = canvas.getContext("2d", {willReadFrequently: true});
    context.drawImage(image, 0, 0, width, height);
    var pixels;
    try { pixels = context.getImageData(0, 0, width, height).data; } catch (error) { return; }
    function gray(x, y) {
      var i = (y * width + x) * 4;
      return 0.299 * pixels[i] + 0.587 * pixels[i + 1] + 0.114 * pixels[i + 2];
    }
    var sample = [];
    for (var y = 0; y < height; y += 4) {
      for (var x = 0; x < Math.round(width * 0.72); x += 4) { sample.push(gray(x, y)); }
    }
    var background = median(sample);
    var threshold = Math.min(254, Math.max(240, background + 20));
    if (background >= threshold - 5) { return; }  // white paper: spots cannot be told apart
    var found = [];
    boxes.forEach(function (box) {
      var x0 = Math.floor(parseFloat(box.dataset.left) / 100 * width);
      var y0 = Math.floor(parseFloat(box.dataset.top) / 100 * height);
      var x1 = Math.min(width, x0 + Math.ceil(parseFloat(box.dataset.width) / 100 * width));
      var y1 = Math.min(height, y0 + Math.ceil(parseFloat(box.dataset.height) / 100 * height));
      var bright = 0, total = 0;
      for (var yy = Math.max(0, y0); yy < y1; yy += 1) {
        for (var xx = Math.max(0, x0); xx < x1; xx += 1) {
          total += 1;
          if (gray(xx, yy) >= threshold) { bright += 1; }
        }
      }
      if (total && bright / total >= SPOT_SHARE) {
        var name = box.dataset.box;
        found.push(name);
        box.classList.add("glare");
        var row = document.querySelector('tr[data-field="' + name + '"]');
        if (row) {
          row.classList.add("glare");
          var note = row.querySelector(".glare-note");
          if (note) { note.hidden = false; }
        }
      }
    });
    var summary = document.getElementById("glare-summary");
    var findings = document.getElementById("findings");
    if (!found.length) {
      if (summary) { summary.textContent = "No bright spot covers a field in the image on this page."; }
      return;
    }
    var text = "Bright spots (glare) in the image cover: " + found.join(", ") + ". Check these values against the card.";
    if (summary) { summary.textContent = text; }
    var glareCheck = document.querySelector('tr[data-check="image_glare"] td:nth-child(3)');
    if (glareCheck) {
      var aside = document.createElement("div");
      aside.className = "note glare-aside";
      aside.textContent = "On this page's image, bright spots cover: " + found.join(", ") + ".";
      glareCheck.appendChild(aside);
    }
    if (findings) {
      var item = document.createElement("li");
      item.className = "finding finding-warn";
      item.id = "glare-finding";
      var mark = document.createElement("span");
      mark.className = "mark";
      mark.textContent = "warning";
      var strong = document.createElement("strong");
      strong.textContent = "glare over fields";
      item.appendChild(mark);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(strong);
      item.appendChild(document.createTextNode(": " + text));
      findings.appendChild(item);
    }
  }
  if (image) {
    if (image.complete && image.naturalWidth) { findBrightSpots(); }
    else { image.addEventListener("load", findBrightSpots); }
  }

  // --- keys ------------------------------------------------------------------------------
  function typing(target) {
    if (!target || !target.tagName) { return false; }
    if (target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable) { return true; }
    if (target.tagName !== "INPUT") { return false; }
    return ["checkbox", "radio", "button", "submit", "reset"].indexOf(target.type) < 0;
  }
  window.filotTyping = typing;
  function click(id) {
    var element = document.getElementById(id);
    if (element && !element.disabled) { element.click(); return true; }
    return false;
  }
  document.addEventListener("keydown", function (event) {
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    var handled = false;
    switch (event.key) {
      case "n": case "N": handled = click("next-case"); break;
      case "[": handled = click("toggle-nav-sidebar"); break;
      case "+": case "=": zoom(1); handled = true; break;
      case "-": zoom(-1); handled = true; break;
      case "0": zoom(0); handled = true; break;
    }
    if (handled) { event.preventDefault(); }
  });
  apply();
})();
