// Candor review dashboard: live queue updates, heat-map views, word selection and actions.
// No inline scripts (the Content-Security-Policy forbids them); everything inserted as HTML
// comes from the server's escaped templates, everything else is set as text.
"use strict";

function csrfToken() {
  var m = document.querySelector('meta[name="csrf-token"]');
  return m ? m.getAttribute("content") : "";
}

function post(url, params) {
  var body = new URLSearchParams(params);
  body.set("_csrf", csrfToken());
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Accept": "application/json" },
    body: body
  }).then(function (r) {
    return r.json().then(function (j) {
      if (!r.ok) { throw new Error(j.error || ("HTTP " + r.status)); }
      return j;
    });
  });
}

function setupQueue() {
  var rows = document.getElementById("rows");
  if (!rows || typeof EventSource === "undefined") { return; }
  var live = document.getElementById("live");
  var es = new EventSource("/events");
  function refresh() {
    var known = {};
    rows.querySelectorAll("tr.row").forEach(function (tr) { known[tr.dataset.id] = true; });
    fetch("/queue/rows" + window.location.search, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        rows.innerHTML = html; // server-rendered, escaped by the template engine
        rows.querySelectorAll("tr.row").forEach(function (tr) {
          if (!known[tr.dataset.id]) { tr.classList.add("fresh"); }
        });
        var meta = rows.querySelector("tr.meta");
        var total = document.getElementById("total");
        if (meta && total) { total.textContent = meta.dataset.total; }
      })
      .catch(function () { live.classList.remove("on"); });
  }
  // On (re)connecting, refresh once: flags stored between rendering the page and connecting
  // (or while disconnected) would otherwise be missed.
  es.addEventListener("hello", function () { live.classList.add("on"); refresh(); });
  es.onerror = function () { live.classList.remove("on"); };
  es.addEventListener("flags", refresh);
}

function setupItem() {
  var item = document.getElementById("item");
  if (!item) { return; }
  var id = item.dataset.id;
  var words = document.getElementById("text-words");
  var bw = document.getElementById("view-words");
  var bt = document.getElementById("view-tokens");
  function view(tokens) {
    document.querySelectorAll(".words-view").forEach(function (e) { e.classList.toggle("hidden", tokens); });
    document.querySelectorAll(".tokens-view").forEach(function (e) { e.classList.toggle("hidden", !tokens); });
    bw.classList.toggle("on", !tokens);
    bt.classList.toggle("on", tokens);
  }
  bw.addEventListener("click", function () { view(false); });
  bt.addEventListener("click", function () { view(true); });
  if (words) {
    words.addEventListener("click", function (e) {
      var w = e.target.closest(".w");
      if (w) { w.classList.toggle("sel"); }
    });
  }
  var err = document.getElementById("action-error");
  var done = document.getElementById("done");
  var state = document.getElementById("review-state");
  function showError(e) { err.textContent = e.message; err.classList.remove("hidden"); }
  function addDone(j) {
    err.classList.add("hidden");
    var li = document.createElement("li");
    li.className = "done";
    li.dataset.feedback = j.feedbackId;
    var text = j.createdAt + " · " + j.reviewer + " · " + j.action + (j.label ? " " + j.label : "");
    j.spans.forEach(function (s) { text += " " + s.start + "–" + s.end + " “" + s.text + "”"; });
    li.textContent = text + " ✓ ";
    if (j.action !== "RETRACT") {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "undo";
      b.dataset.feedback = j.feedbackId;
      b.textContent = "Undo";
      li.appendChild(b);
      state.textContent = j.action + " by " + j.reviewer;
    } else {
      done.querySelectorAll("li.done").forEach(function (o) {
        if (o.dataset.feedback !== j.feedbackId) { o.classList.add("retracted"); }
      });
      state.textContent = "your judgement was undone";
    }
    done.appendChild(li);
  }
  document.querySelectorAll(".actions button[data-action]").forEach(function (b) {
    b.addEventListener("click", function () {
      var p = { id: id, action: b.dataset.action };
      if (p.action === "RELABEL") { p.label = document.getElementById("relabel-to").value; }
      if (p.action === "MARK_SPURIOUS") {
        var spans = [];
        document.querySelectorAll("#text-words .w.sel").forEach(function (w) {
          spans.push(w.dataset.start + "-" + w.dataset.end);
        });
        p.spans = spans.join(",");
      }
      b.disabled = true;
      post("/item/feedback", p).then(function (j) {
        addDone(j);
        document.querySelectorAll("#text-words .w.sel").forEach(function (w) { w.classList.remove("sel"); });
      }).catch(showError).finally(function () { b.disabled = false; });
    });
  });
  done.addEventListener("click", function (e) {
    var b = e.target.closest("button.undo");
    if (!b) { return; }
    b.disabled = true;
    post("/item/undo", { id: id, feedbackId: b.dataset.feedback }).then(addDone).catch(function (x) {
      b.disabled = false;
      showError(x);
    });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  setupQueue();
  setupItem();
});
