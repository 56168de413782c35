/* Case page, decision panel: a decision comes only from its own button or key (A, R, S), with a
   reason of its own kind; Enter in a field moves to the next field. The reason list filters as
   you type, recent reasons are on 1-5, a reason starts its note. Approving a case with failing
   checks asks once more. The lease counts down and is extended while the reviewer works. The
   server checks all of it again: this only saves a round trip and the reviewer's typing. */
(function () {
  "use strict";
  var dataNode = document.getElementById("console-data");
  if (!dataNode) { return; }
  var data = JSON.parse(dataNode.textContent);
  var form = document.getElementById("decision-form");
  var select = document.getElementById("id_reason_code");
  var search = document.getElementById("reason-search");
  var notes = document.getElementById("id_notes");
  var confirmBox = document.getElementById("confirm-approve");
  var confirmInput = document.getElementById("id_confirm_failing");
  var errorLine = document.getElementById("decision-error");
  var fit = document.getElementById("reason-fit");
  var csrf = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
  var typing = window.filotTyping || function () { return false; };
  var VERB = {approved: "approve", rejected: "reject", resubmission: "request resubmission"};
  var submitting = false;

  function say(text) {
    if (!errorLine) { return; }
    errorLine.textContent = text;
    errorLine.hidden = !text;
    if (text) { errorLine.scrollIntoView({block: "nearest"}); }
  }

  // --- fields: Enter goes to the next one; a changed value is marked ----------------------
  var values = Array.prototype.slice.call(document.querySelectorAll("textarea.value"));
  values.forEach(function (field, index) {
    function mark() { field.classList.toggle("changed", field.value !== field.dataset.original); }
    field.addEventListener("input", mark);
    mark();
    field.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();  // a value is one line, and Enter never decides
      var next = values[index + 1];
      if (next) { next.focus(); next.setSelectionRange(next.value.length, next.value.length); }
      else { field.blur(); }
    });
  });
  if (form) {
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "Enter" && target.tagName === "INPUT" && target !== search) {
        event.preventDefault();  // belt and braces: the disabled first button already stops it
      }
    });
  }

  // --- reasons -------------------------------------------------------------------------------
  var lastTemplate = "";
  function reasonChanged(byReviewer) {
    if (!select) { return; }
    var code = select.value;
    var takes = code ? (data.decisions[code] || []) : ["approved"];
    if (fit) {
      fit.textContent = code
        ? code + ": a reason to " + takes.map(function (d) { return VERB[d]; }).join(" or ") + "."
        : "No reason: Approve records verified (verified_with_corrections after a correction).";
    }
    Object.keys(data.actions).forEach(function (action) {
      var button = document.getElementById(action);
      if (button) { button.classList.toggle("unfit", takes.indexOf(data.actions[action]) < 0); }
    });
    if (byReviewer && notes && (notes.value.trim() === "" || notes.value === lastTemplate)) {
      lastTemplate = data.notes[code] || "";
      notes.value = lastTemplate;
    }
    say("");
  }
  function choose(code) {
    if (!select) { return false; }
    select.value = code;
    reasonChanged(true);
    return true;
  }
  if (select) {
    select.addEventListener("change", function () { reasonChanged(true); });
    if (notes && select.value && notes.value === (data.notes[select.value] || "")) { lastTemplate = notes.value; }
    reasonChanged(false);
  }
  function visibleOptions() {
    return Array.prototype.filter.call(select.options, function (option) { return !option.hidden && option.value; });
  }
  if (search && select) {
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(select.options, function (option) {
        var text = (option.value + " " + option.textContent).toLowerCase();
        option.hidden = words.length > 0 && (!option.value || !words.every(function (w) { return text.indexOf(w) >= 0; }));
      });
      var first = visibleOptions()[0];
      if (first && words.length) { choose(first.value); }
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // take the first match and leave the field: next is a decision key
        event.preventDefault();
        var first = visibleOptions()[0];
        if (first) { choose(first.value); }
        search.blur();
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      }
    });
  }
  document.querySelectorAll("[data-reason]").forEach(function (chip) {
    chip.addEventListener("click", function () { choose(chip.dataset.reason); });
  });

  // --- deciding --------------------------------------------------------------------------------
  function askToConfirm() {
    if (!confirmBox) { return; }
    confirmBox.hidden = false;
    confirmBox.scrollIntoView({block: "nearest"});
  }
  function closeConfirm() {
    if (confirmBox) { confirmBox.hidden = true; }
    if (confirmInput) { confirmInput.checked = false; }
  }
  if (form) {
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitting || !submitter || submitter.name !== "action") { event.preventDefault(); return; }
      var decision = data.actions[submitter.value];
      var code = select ? select.value : "";
      if (code && (data.decisions[code] || []).indexOf(decision) < 0) {
        event.preventDefault();
        var others = (data.decisions[code] || []).map(function (d) { return VERB[d]; }).join(" or ");
        say(code + " is not a reason to " + VERB[decision] + "; it is a reason to " + others + ".");
        return;
      }
      if (decision === "approved" && data.failing.length && confirmInput && !confirmInput.checked) {
        if (confirmBox && !confirmBox.hidden) {
          confirmInput.checked = true;  // the second A (or click) confirms; the form goes now
        } else {
          event.preventDefault();
          askToConfirm();
          return;
        }
      }
      if (decision !== "approved") { closeConfirm(); }
      submitting = true;
    });
  }
  function press(id) {
    var button = document.getElementById(id);
    if (button && !button.disabled) { button.click(); return true; }
    return false;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      if (typing(event.target)) { event.target.blur(); }
      closeConfirm();
      return;
    }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    var handled = false;
    switch (event.key) {
      case "a": case "A": handled = press("approve"); break;
      case "r": case "R": handled = press("reject"); break;
      case "s": case "S": handled = press("resubmit"); break;
      case "/": if (search) { search.focus(); search.select(); handled = true; } break;
      default:
        if (/^[1-9]$/.test(event.key)) {
          var chip = document.querySelectorAll("[data-reason]")[parseInt(event.key, 10) - 1];
          if (chip) { handled = choose(chip.dataset.reason); }
        }
    }
    if (handled) { event.preventDefault(); }
  });

  // --- the lease ---------------------------------------------------------------------------------
  var leaseText = document.getElementById("lease-left");
  var expiredBox = document.getElementById("lease-expired");
  var expiredText = document.getElementById("lease-expired-text");
  var reclaim = document.getElementById("reclaim");
  var banner = document.getElementById("case-state");
  var decisionButtons = ["approve", "reject", "resubmit"].map(function (id) { return document.getElementById(id); })
    .filter(Boolean);
  var leaseMs = data.leaseSeconds * 1000;
  var expires = data.expiresMs ? data.expiresMs + (Date.now() - data.nowMs) : null;
  var lastActive = 0, lastExtended = Date.now(), pending = false, lost = false;

  function clock(ms) { return new Date(ms).toTimeString().slice(0, 5); }
  function left(ms) {
    var seconds = Math.max(0, Math.round(ms / 1000));
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }
  function post(body) {
    body.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
    return fetch(data.leaseUrl, {method: "POST", body: body, headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        return response.json().then(function (json) { return {ok: response.ok, json: json}; });
      });
  }
  function setLost(message) {
    lost = true;
    if (banner) { banner.className = "banner banner-expired"; }
    if (expiredBox) { expiredBox.hidden = false; }
    if (expiredText && message) { expiredText.textContent = message + " What you typed is kept."; }
    if (leaseText) { leaseText.textContent = "run out"; }
    decisionButtons.forEach(function (button) { button.disabled = true; });
  }
  function renewed(json) {
    expires = json.expires_ms + (Date.now() - json.now_ms);
    lastExtended = Date.now();
    if (lost) {
      lost = false;
      if (banner) { banner.className = "banner banner-mine"; }
      if (expiredBox) { expiredBox.hidden = true; }
      decisionButtons.forEach(function (button) { button.disabled = false; });
    }
  }
  function extend() {
    pending = true;
    post(new FormData()).then(function (answer) {
      if (answer.ok) { renewed(answer.json); }
      else { setLost(answer.json.error ? answer.json.error.message : ""); }
    }).catch(function () {}).finally(function () { pending = false; });
  }
  function tick() {
    if (expires === null || lost) { return; }
    var remaining = expires - Date.now();
    if (remaining <= 0) {
      setLost("Your claim on this case ran out at " + clock(expires) + ": decisions are off until you claim it again.");
      return;
    }
    if (leaseText) { leaseText.textContent = left(remaining) + " left"; }
    // Extend while the reviewer works: after activity since the last extension, once a third
    // of the lease has passed.
    if (!pending && lastActive > lastExtended && remaining < leaseMs * 2 / 3) { extend(); }
  }
  if (expires !== null) {
    ["keydown", "pointerdown", "input", "wheel"].forEach(function (name) {
      document.addEventListener(name, function () { lastActive = Date.now(); }, {passive: true, capture: true});
    });
    tick();
    window.setInterval(tick, 1000);
  }
  if (reclaim) {
    reclaim.addEventListener("click", function () {
      var body = new FormData();
      body.append("reclaim", "1");
      post(body).then(function (answer) {
        if (answer.ok) { renewed(answer.json); tick(); }
        else if (expiredText) { expiredText.textContent = (answer.json.error ? answer.json.error.message : "") + " What you typed is kept."; }
      });
    });
  }

  // --- "open the next case after a decision" -----------------------------------------------------
  var preferences = document.getElementById("preferences-form");
  var next = document.getElementById("decide-and-next");
  if (preferences && next) {
    next.addEventListener("change", function () {
      fetch(preferences.action, {method: "POST", body: new FormData(preferences), headers: {Accept: "application/json"}, credentials: "same-origin"});
    });
  }
})();
