/*! Aurora Concierge loader (docs/embedding.md) */
// The server fills in the last argument (its branding settings) and minifies this file.
(function (w, d, B) {
  // One var statement: every byte counts towards the loader's 2 KB gzipped.
  var prev = w.AuroraConcierge || {},
    s = d.currentScript,  // set while a classic script first runs, async ones included
    origin = new URL(s.src).origin, K = "aurora-concierge-open", T = B.title,
    H = {}, frame, panel, button, note, ready, open, queue = [],
    small = w.matchMedia("(max-width:667px)"),
    D = { ...B, ...s.dataset }, left = D.position == "left",
    color = D.color.replace(/^#(.)(.)(.)$/, "#$1$1$2$2$3$3");
  if (prev.loaded) return;  // the page includes the loader twice: the first one serves
  // The server chose its words by the browser's language; a tag whose data-locale says
  // otherwise loads the loader again, once, in that locale (its copy carries ?locale=).
  if (D.locale && !/locale=/.test(s.src)) {
    var n = make("script", {}, d.head);  // runs once its src is set
    Object.assign(n.dataset, s.dataset);
    return n.src = s.src.split("?")[0] + "?locale=" + D.locale;
  }

  function make(t, rules, p) {
    // Styled before the page draws it: one script run.
    return Object.assign((p = p.appendChild(d.createElement(t))).style, rules), p;
  }
  var keep = v => { try { sessionStorage[v ? "setItem" : "removeItem"](K, 1); } catch {} };

  function post(type) {
    // b: the attributes, for the greeting and logo the widget takes from no URL.
    ready ? frame.contentWindow.postMessage({ source: "aurora-host", type, full: small.matches, b: D }, origin)
      : queue.push(type);
  }

  function layout() {
    var full = small.matches;
    // On a phone the widget's own close button takes over once it is there; until then, ours.
    if (open) button.style.display = full && ready ? "none" : "";
    // The visual viewport's size, not the layout viewport's: a page wider than the phone
    // (a long unbroken line) must not widen the panel past the screen.
    Object.assign(panel.style, full ? { inset: 0, width: "100vw", height: "100dvh", borderRadius: 0 }
      : { inset: "auto", bottom: "88px", [left ? "left" : "right"]: "20px", width: "380px", height: "min(640px,calc(100vh - 110px))", borderRadius: "14px" });
  }

  function show() {
    if (!button) return d.addEventListener("DOMContentLoaded", show);
    if (open) return;
    if (!panel) {
      panel = make("div", { position: "fixed", zIndex: 2147483646, overflow: "hidden", background: "#fff",
        boxShadow: "0 4px 16px rgba(0,0,0,.3)" }, d.body);
      // ARIA by its reflected properties (ariaLabel, role): shorter than setAttribute.
      Object.assign(panel, { id: "aurora-concierge-panel", role: "dialog", ariaLabel: T });
      button.setAttribute("aria-controls", panel.id);
      note = make("p", { margin: "40% 24px", font: "16px system-ui,sans-serif", color: "#333", textAlign: "center" }, panel);
      note.append(B.w[0]);  // in the browser's language, or the tag's data-locale
      // Hidden until the widget says it is ready: never a blank page or the browser's error page.
      frame = make("iframe", { border: 0, width: "100%", height: "100%", display: "block", visibility: "hidden" }, panel);
      frame.title = T;
      // Every data- attribute goes along, the locale defaulted; the server takes the colour,
      // label and position from them, never the greeting or logo (those come by post).
      frame.src = origin + "/widget?" + new URLSearchParams({ locale: navigator.language,
        ...s.dataset, host: location.origin });
      small.onchange = layout;
      setTimeout(() => ready || (note.textContent = B.w[1]), 8e3);  // never said ready
    }
    open = 1;
    keep(1);
    panel.style.display = "block";
    button.ariaExpanded = !0;  // true, a byte shorter
    layout();
    frame.focus();
    post("open");
  }

  function hide() {
    if (!open) return;
    open = 0;
    keep();
    panel.style.display = "none";
    button.style.display = "";
    button.ariaExpanded = !1;
    post("close");
    var at = d.activeElement;
    if (!at || at == frame || at == d.body) button.focus();
  }

  w.addEventListener("message", e => {
    var m = e.data || {}, ev = m.event;
    if (!frame || e.source != frame.contentWindow || e.origin != origin || m.source != "aurora-concierge") return;
    if (m.type == "ready") {
      ready = 1;
      frame.style.visibility = "";
      note.remove();  // even after the apology: late is better than never
      layout();
      open && frame.focus();
      queue.splice(0).forEach(post);
    } else if (m.type == "close") hide();
    else if (m.type == "event" && ev && /^aurora_[a-z0-9_]+$/.test(ev.name)) {
      (H[ev.name] || []).concat(H["*"] || []).forEach(cb => {
        try { cb(ev); } catch (x) { setTimeout(() => { throw x; }); }
      });
      if (Array.isArray(w.dataLayer)) w.dataLayer.push({ event: ev.name, aurora: ev });
    }
  });
  d.addEventListener("keydown", e => e.key == "Escape" && hide());

  var api = {
    loaded: !0,
    open: show,
    close: hide,
    on: (n, cb) => ((H[n] = H[n] || []).push(cb), api),
    // data-consent="required": the widget holds its analytics (and their relay here) until
    // consent(true); the frame hears it now, or first thing once it is ready.
    consent: v => post(!!v),  // a message whose type is true or false
    q: { push: c => typeof api[c[0]] == "function" && api[c[0]](...c.slice(1)) }
  };

  function start() {
    // Text on the brand colour: white when it reaches WCAG AA (4.5:1), else black (always >= 4.58:1).
    // sRGB's curve without its linear toe (channels under 11/255): off by under 0.001, and
    // the 4.51 below keeps white at AA for every colour that difference could flip.
    var L = 0, i = 3, bg = /^#[0-9a-f]{6}$/i.test(color) ? color : B.color;
    while (i--) L += [.2126, .7152, .0722][i] * (("0x" + bg.substr(1 + 2 * i, 2)) / 255 + .055) ** 2.4 / 1.138;
    button = make("button", { position: "fixed", zIndex: 2147483647, bottom: "20px", [left ? "left" : "right"]: "20px",
      padding: "0 20px", height: "52px", border: "2px solid #fff", borderRadius: "26px", background: bg,
      color: 1.05 / (L + .05) < 4.51 ? "#000" : "#fff", font: "600 16px/1 system-ui,sans-serif", cursor: "pointer",
      boxShadow: "0 4px 16px rgba(0,0,0,.3)" }, d.body);
    // No type: outside any form, a button submits nothing.
    Object.assign(button, { textContent: D.label || B.label, ariaHasPopup: "dialog", ariaExpanded: !1 });
    button.onclick = () => open ? hide() : show();
    try { sessionStorage.getItem(K) && show(); } catch {}
  }

  w.AuroraConcierge = api;
  d.body ? start() : d.addEventListener("DOMContentLoaded", start);
  (prev.q || []).forEach(api.q.push);
})(window, document, {"color": "#3b1f6e", "label": "Ask Aurora", "position": "right",
  "w": ["Loading…", "Sorry, help can't load right now. Please try later."],
  "title": "Aurora Concierge"});
