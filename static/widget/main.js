/* Aurora Concierge widget, start (linked last): focus trap, messages from the host page, config, ready. */
(function (A) {
  "use strict";
  var d = document, $ = A.$, $$ = A.$$, state = A.state, track = A.track;

  /* Full screen on a phone the widget is the whole page: Tab cycles inside it. */
  var fullScreen = false;
  d.addEventListener("keydown", function (e) {
    if (e.key !== "Tab" || !fullScreen) return;
    var all = $$('a[href], button, input, select, textarea, summary, [tabindex="0"]').filter(function (n) {
      return !n.disabled && n.offsetParent !== null && !n.closest("[hidden]");
    });
    var first = all[0], last = all[all.length - 1], at = d.activeElement;
    if (e.shiftKey && (at === first || !all.length || all.indexOf(at) < 0 && at === d.body)) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && at === last) { e.preventDefault(); first.focus(); }
  });

  window.addEventListener("message", function (e) {
    if (!A.host || e.source !== window.parent || e.origin !== A.host) return;
    var m = e.data || {};
    if (m.source !== "aurora-host") return;
    if (m.b) brand(m.b);
    fullScreen = !!m.full;
    if (typeof m.type === "boolean") return A.consent(m.type);  // AuroraConcierge.consent()
    var journey = state.current !== "menu" && state.current !== "fallback";
    if (m.type === "open") {
      if (journey) A.carry.enter(state.current);  // reopened on this page: carry it on again
      track("aurora_widget_opened", {}, true);
      $("h2", $(state.current === "menu" || state.current === "fallback" ? "#" + state.current : "#j-" + state.current)).focus();
    } else if (m.type === "close") {
      A.carry.clear();  // closed by the shopper: the next page's widget starts at the menu
      track("aurora_widget_closed", {}, true);
    }
  });

  /* The greeting and logo of the loader's data- attributes, from the page that frames us (never
     from this page's URL): one line of plain text, and a logo on this origin or on an origin the
     store configured (the page's CSP img-src says the same). */
  function brand(m) {
    var greeting = typeof m.greeting === "string" ? m.greeting.replace(/\s+/g, " ").replace(/\p{C}/gu, "").trim() : "";
    if (greeting && greeting.length <= 80) $("#menu-title").textContent = greeting;
    var logo = typeof m.logo === "string" ? m.logo.trim() : "", url;
    try { url = logo && logo.length <= 500 && new URL(logo, location.href); } catch (e) { url = null; }
    var origins = (d.body.getAttribute("data-image-origins") || "").split(" ");
    if (!url || (url.origin === location.origin ? !/^\/(?![\/\\])/.test(logo) : url.protocol !== "https:" || origins.indexOf(url.origin) < 0)) return;
    var top = $("header.top"), img = $("img.logo", top) || top.insertBefore(A.el("img", { class: "logo", alt: "", height: "32" }), $("h1", top));
    img.src = url.href;
  }

  var fresh = true;  // this page has just loaded: the journey carried from the last page may resume
  function boot() {
    return A.configured = A.api("GET", "/config").then(function (r) {
      var config = state.config = r.data;
      if (!config.realEndpointsEnabled) return A.fallback();
      var allowed = config.intents || [];
      $$("[data-intent-item]").forEach(function (li) { li.hidden = allowed.indexOf(li.getAttribute("data-intent-item")) < 0; });
      /* A new page of the storefront: carry on with the journey the shopper was in, unless she has already
         moved; "Try again" after the fallback starts at the menu. */
      var kept = fresh && A.carry.read();
      fresh = false;
      if (kept && state.current === "menu" && (kept.intent === "human" || allowed.indexOf(kept.intent) >= 0)) {
        A.go(kept.intent, { carried: kept.data || {} });
      } else if (state.current === "fallback") A.go("menu");
    }, function () { A.fallback(); });
  }
  $("#retry").addEventListener("click", function () { boot(); });

  boot();
  document.documentElement.setAttribute("data-ready", "");  /* every control answers from here on */
  A.toHost({ type: "ready" });
})(window.AuroraWidget);
