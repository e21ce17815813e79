/* Aurora Concierge widget, core: the shared namespace, storage, session, host, events and API.
 *
 * The widget is one classic script per journey under static/widget/, each an IIFE sharing
 * `window.AuroraWidget` (created here). /widget.js serves them joined in the order of
 * SCRIPTS in concierge/widget/bundle.py (which says why), under one fingerprint, cached a
 * year: this file first, main.js (which starts the widget) last. No inline script, no eval.
 */
(function () {
  "use strict";
  var A = window.AuroraWidget = { openers: {}, state: { config: null, current: "menu", lastIntent: null, lastOrder: null } };
  var API = A.API = "/api/concierge";
  var d = document;
  A.$ = function (sel, root) { return (root || d).querySelector(sel); };
  A.$$ = function (sel, root) { return [].slice.call((root || d).querySelectorAll(sel)); };

  /* ---------- words: the page's language and its strings (docs/languages.md) ---------- */
  /* The server renders only the active locale's translations into a JSON block (English
     has none: the source strings are the English words); t() and nt() look them up. */
  var lang = A.lang = d.documentElement.lang || "en", strings = {};
  try { strings = JSON.parse(d.getElementById("aurora-strings").textContent) || {}; } catch (e) { /* English */ }
  function fill(text, vars) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return vars && name in vars ? vars[name] : all; });
  }
  var t = A.t = function (text, vars) { return fill(typeof strings[text] === "string" ? strings[text] : text, vars); };
  /* The same, as a list of children for A.el where a placeholder may be a node (<strong>, <time>). */
  A.tn = function (text, vars) {
    return t(text).split(/(\{\w+\})/).map(function (part) {
      var name = /^\{(\w+)\}$/.exec(part);
      return name && name[1] in vars ? vars[name[1]] : part;
    });
  };
  /* Plural by the locale's rules; en, fr, de and es have two forms ("one", "other"). */
  var plural = new Intl.PluralRules(lang);
  A.nt = function (one, other, n, vars) {
    var forms = strings[one] instanceof Array ? strings[one] : [one, other], all = { n: new Intl.NumberFormat(lang).format(n) };
    for (var k in vars || {}) all[k] = vars[k];
    return fill(plural.select(n) === "one" ? forms[0] : forms[1], all);
  };

  /* ---------- storage, ids, host ---------- */
  var memory = {};
  var store = A.store = {
    get: function (k) { try { return localStorage.getItem(k); } catch (e) { return memory[k] || null; } },
    set: function (k, v) { try { localStorage.setItem(k, v); } catch (e) { memory[k] = v; } },
    del: function (k) { try { localStorage.removeItem(k); } catch (e) { delete memory[k]; } }
  };

  var randomId = A.randomId = function () {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    return [].map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  };

  var session = store.get("aurora.session");
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(session || "")) {
    session = randomId().replace(/-/g, "");
    store.set("aurora.session", session);
  }
  A.session = session;

  var host = A.host = (function () {
    var raw = new URLSearchParams(location.search).get("host");
    try { return raw && window.parent !== window ? new URL(raw).origin : null; } catch (e) { return null; }
  })();

  /* ---------- events: to the host page and to the API ---------- */
  var toHost = A.toHost = function (message) {
    message.source = "aurora-concierge";
    if (host) window.parent.postMessage(message, host);
  };

  /* data-consent="required" on the loader tag: no analytics event leaves the widget (to the
     API, or relayed to the page and its dataLayer) until the page calls
     AuroraConcierge.consent(true); consent(false) holds them back again (docs/embedding.md). */
  var analytics = new URLSearchParams(location.search).get("consent") !== "required";
  A.consent = function (granted) { analytics = granted; };

  A.track = function (name, props, server) {
    if (!analytics) return;
    var event = { name: name, props: props || {}, occurredAt: new Date().toISOString() };
    toHost({ type: "event", event: event });
    if (server) {
      fetch(API + "/events", {
        method: "POST", keepalive: true, headers: headers({ "Content-Type": "application/json" }),
        body: JSON.stringify({ events: [{ name: name, sessionId: session, occurredAt: event.occurredAt, props: event.props }] })
      }).catch(function () { /* analytics never breaks the widget */ });
    }
  };

  /* ---------- API ---------- */
  function headers(extra) {
    /* The API keeps the language on what it stores, for the shopper's emails. */
    var h = { "Accept": "application/json", "Accept-Language": lang, "X-Concierge-Session": session };
    for (var k in extra || {}) h[k] = extra[k];
    return h;
  }

  var ApiError = A.ApiError = function (status, problem, retryAfter) {
    this.status = status;
    this.problem = problem || {};
    this.code = this.problem.code || (status ? "http_" + status : "network");
    this.retryAfter = retryAfter;
  };

  A.api = function (method, path, data, extra) {
    var init = { method: method, headers: headers(extra) };
    if (data instanceof FormData) init.body = data;
    else if (data !== undefined) {
      init.body = JSON.stringify(data);
      init.headers["Content-Type"] = "application/json";
    }
    return fetch(API + path, init).then(function (res) {
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        if (!res.ok) throw new ApiError(res.status, json, res.headers.get("Retry-After"));
        return { status: res.status, data: json, replayed: res.headers.get("Idempotent-Replayed") === "true" };
      });
    }, function () { throw new ApiError(0, null); });
  };

  /* One Idempotency-Key per attempt: a retry of the same request replays, a changed request is a new attempt. */
  var attempts = {};
  A.attemptKey = function (name, payload) {
    var print = JSON.stringify(payload), a = attempts[name];
    if (!a || a.print !== print) a = attempts[name] = { print: print, key: randomId() };
    return a.key;
  };
  A.attemptDone = function (name) { delete attempts[name]; };
})();
