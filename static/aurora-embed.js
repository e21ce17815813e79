/*! Aurora Concierge loader: <script async src=".../static/aurora-embed.js"> (README: API, queue stub) */
(function (w, d) {
  "use strict";
  var prev = w.AuroraConcierge || {};
  if (prev.loaded) return;
  var script = d.currentScript || d.querySelector('script[src*="aurora-embed.js"]');
  var base = new URL(script.src, location.href), origin = base.origin;
  var left = script.getAttribute("data-position") === "left";
  var handlers = {}, frame, panel, button, note, ready = false, open = false, outbox = [];
  var small = w.matchMedia("(max-width: 667px)");

  function css(el, rules) { for (var k in rules) el.style[k] = rules[k]; return el; }

  function post(type) {
    if (ready) frame.contentWindow.postMessage({ source: "aurora-host", type: type, full: small.matches }, origin);
    else outbox.push(type);
  }

  function layout() {
    var full = small.matches;
    if (open) button.style.display = full ? "none" : "";
    css(panel, full ? { inset: "0", width: "100%", height: "100%", borderRadius: "0" }
      : { inset: "auto", bottom: "88px", right: left ? "auto" : "20px", left: left ? "20px" : "auto",
          width: "380px", height: "min(640px, calc(100vh - 110px))", borderRadius: "14px" });
  }

  function build() {
    panel = css(d.createElement("div"), { position: "fixed", zIndex: "2147483646", display: "none",
      boxShadow: "0 12px 40px rgba(0,0,0,.28)", overflow: "hidden", background: "#fff" });
    panel.id = "aurora-concierge-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "Aurora Concierge");
    button.setAttribute("aria-controls", panel.id);
    note = css(d.createElement("p"), { position: "absolute", margin: "40% 24px", font: "16px system-ui,sans-serif", color: "#333", textAlign: "center" });
    note.textContent = "Loading…";
    panel.appendChild(note);
    frame = css(d.createElement("iframe"), { border: "0", width: "100%", height: "100%", display: "block", position: "relative" });
    frame.title = "Aurora Concierge";
    frame.src = base.origin + "/widget?host=" + encodeURIComponent(location.origin);
    panel.appendChild(frame);
    d.body.appendChild(panel);
    small.addEventListener && small.addEventListener("change", layout);
  }

  function show() {
    if (!button) return d.addEventListener("DOMContentLoaded", show);
    if (open) return;
    if (!panel) build();
    open = true;
    panel.style.display = "block";
    button.setAttribute("aria-expanded", "true");
    layout();
    frame.focus();
    post("open");
    setTimeout(function () {  // the frame never said ready: no browser error page
      if (!ready) { frame.style.visibility = "hidden"; note.textContent = "Sorry, help can't load right now. Please try later."; }
    }, 8e3);
  }

  function hide() {
    if (!open) return;
    open = false;
    panel.style.display = "none";
    button.style.display = "";
    button.setAttribute("aria-expanded", "false");
    post("close");
    var at = d.activeElement;
    if (!at || at === frame || at === d.body) button.focus();
  }

  function emit(event) {
    [handlers[event.name], handlers["*"]].forEach(function (list) {
      (list || []).forEach(function (cb) { try { cb(event); } catch (e) { setTimeout(function () { throw e; }); } });
    });
    if (Array.isArray(w.dataLayer)) w.dataLayer.push({ event: event.name, aurora: event });
  }

  w.addEventListener("message", function (e) {
    if (!frame || e.source !== frame.contentWindow || e.origin !== origin) return;
    var m = e.data || {};
    if (m.source !== "aurora-concierge") return;
    if (m.type === "ready") {
      ready = true;
      outbox.splice(0).forEach(post);
    } else if (m.type === "close") hide();
    else if (m.type === "event" && m.event && /^aurora_[a-z0-9_]+$/.test(m.event.name)) emit(m.event);
  });
  d.addEventListener("keydown", function (e) { if (e.key === "Escape" && open) hide(); });

  var api = {
    loaded: true,
    open: show,
    close: hide,
    on: function (name, cb) { (handlers[name] = handlers[name] || []).push(cb); return api; },
    q: { push: function (c) { if (typeof api[c[0]] == "function") api[c[0]].apply(api, [].slice.call(c, 1)); } }
  };

  function start() {
    button = css(d.createElement("button"), { position: "fixed", zIndex: "2147483647", bottom: "20px",
      right: left ? "auto" : "20px", left: left ? "20px" : "auto", padding: "0 20px", height: "52px",
      border: "2px solid #fff", borderRadius: "26px", background: "#3b1f6e", color: "#fff",
      font: "600 16px/1 system-ui, sans-serif", cursor: "pointer", boxShadow: "0 4px 16px rgba(0,0,0,.3)" });
    button.type = "button";
    button.textContent = script.getAttribute("data-label") || "Ask Aurora";
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-expanded", "false");
    button.onclick = function () { open ? hide() : show(); };
    d.body.appendChild(button);
  }

  w.AuroraConcierge = api;
  if (d.body) start(); else d.addEventListener("DOMContentLoaded", start);
  (prev.q || []).forEach(api.q.push);
})(window, document);
