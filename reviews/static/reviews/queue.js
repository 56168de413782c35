/* Review queue: N claims the next case, [ folds the sidebar (outside text fields). */
(function () {
  "use strict";
  function typing(target) {
    if (!target || !target.tagName) { return false; }
    if (target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable) { return true; }
    return target.tagName === "INPUT" && ["checkbox", "radio", "button", "submit"].indexOf(target.type) < 0;
  }
  document.addEventListener("keydown", function (event) {
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var id = {n: "claim-next", N: "claim-next", "[": "toggle-nav-sidebar"}[event.key];
    var button = id && document.getElementById(id);
    if (button) { event.preventDefault(); button.click(); }
  });
})();
