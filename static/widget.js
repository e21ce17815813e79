/* Aurora Concierge widget: vanilla JS against /api/concierge (no inline script, CSP script-src 'self'). */
(function () {
  "use strict";
  var API = "/api/concierge";
  var d = document, body = d.body;
  var $ = function (sel, root) { return (root || d).querySelector(sel); };
  var $$ = function (sel, root) { return [].slice.call((root || d).querySelectorAll(sel)); };

  /* ---------- storage, ids, host ---------- */
  var memory = {};
  var store = {
    get: function (k) { try { return localStorage.getItem(k); } catch (e) { return memory[k] || null; } },
    set: function (k, v) { try { localStorage.setItem(k, v); } catch (e) { memory[k] = v; } },
    del: function (k) { try { localStorage.removeItem(k); } catch (e) { delete memory[k]; } }
  };

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    return [].map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  var session = store.get("aurora.session");
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(session || "")) {
    session = randomId().replace(/-/g, "");
    store.set("aurora.session", session);
  }

  var host = (function () {
    var raw = new URLSearchParams(location.search).get("host");
    try { return raw && window.parent !== window ? new URL(raw).origin : null; } catch (e) { return null; }
  })();

  /* ---------- events: to the host page and to the API ---------- */
  function toHost(message) {
    message.source = "aurora-concierge";
    if (host) window.parent.postMessage(message, host);
  }

  function track(name, props, server) {
    var event = { name: name, props: props || {}, occurredAt: new Date().toISOString() };
    toHost({ type: "event", event: event });
    if (server) {
      fetch(API + "/events", {
        method: "POST", keepalive: true, headers: headers({ "Content-Type": "application/json" }),
        body: JSON.stringify({ events: [{ name: name, sessionId: session, occurredAt: event.occurredAt, props: event.props }] })
      }).catch(function () { /* analytics never breaks the widget */ });
    }
  }

  /* ---------- API ---------- */
  function headers(extra) {
    var h = { "Accept": "application/json", "X-Concierge-Session": session };
    for (var k in extra || {}) h[k] = extra[k];
    return h;
  }

  function ApiError(status, problem, retryAfter) {
    this.status = status;
    this.problem = problem || {};
    this.code = this.problem.code || (status ? "http_" + status : "network");
    this.retryAfter = retryAfter;
  }

  function api(method, path, data, extra) {
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
  }

  /* One Idempotency-Key per attempt: a retry of the same request replays, a changed request is a new attempt. */
  var attempts = {};
  function attemptKey(name, payload) {
    var print = JSON.stringify(payload), a = attempts[name];
    if (!a || a.print !== print) a = attempts[name] = { print: print, key: randomId() };
    return a.key;
  }
  function attemptDone(name) { delete attempts[name]; }

  /* ---------- messages ---------- */
  var MESSAGES = {
    order_not_found: "We couldn't find that order. Check the order number and the email or postal code used when ordering.",
    return_not_eligible: "This order can't be returned online: returns open once it is delivered and close when the return window ends.",
    return_quantity_exceeded: "You can't return more of an item than you bought (minus anything already returned).",
    capsule_unavailable: "Sorry, every place in this capsule is taken right now. Try another capsule.",
    capsule_not_found: "That capsule is no longer available.",
    hold_not_found: "We couldn't find that hold.",
    product_not_found: "That product is no longer available.",
    shortlist_not_found: "Your saved shortlist has expired, so we started a new one.",
    subscription_not_found: "We couldn't find that subscription.",
    payload_too_large: "That photo is too large. Please choose one under 5 MB.",
    unsupported_media_type: "That file isn't a photo we can read. Please choose a JPEG, PNG or WebP image.",
    upload_rejected: "We couldn't accept that photo. Please try a different one.",
    idempotency_request_in_progress: "We're still working on your previous request. Please wait a moment and try again.",
    idempotency_key_reused: "Something changed while we were saving. Please submit again.",
    validation_error: "Please check the highlighted fields.",
    database_unavailable: "We're having trouble on our side. Please try again in a minute.",
    internal_error: "Something went wrong on our side. Please try again.",
    network: "We couldn't reach Aurora. Check your connection and try again.",
    service_unavailable: "We're having trouble on our side. Please try again in a minute.",
    bad_request: "We couldn't read that request. Please try again.",
    malformed_json: "We couldn't read that request. Please try again.",
    idempotency_key_required: "Something went wrong on our side. Please try again.",
    not_found: "We couldn't find what you asked for."
  };
  var FIELD_MESSAGES = {
    "Missing data for required field.": "Please fill this in.",
    "Field may not be null.": "Please fill this in.",
    "Must not be blank.": "Please fill this in.",
    "Not a valid email address.": "Please enter a valid email address."
  };

  /* The API's rule sentences name fields and formats; shoppers get these instead. */
  var FIELD_RULES = [
    [/E\.164/, "Please enter the number in international format: + then the country code, e.g. +1 415 555 0123."],
    [/less than or equal to maxPrice/, "The lowest price can't be above the highest price."],
    [/greater than or equal to minPrice/, "The highest price can't be below the lowest price."],
    [/^Not a valid (integer|number)/, "Please enter a number."],
    [/^Must be in the future/, "Please choose a time in the future."],
    [/^Must be one of/, "Please choose one of the options in the list."],
    [/^Unknown field/, "This can't be sent here."]
  ];
  function fieldMessage(m) {
    if (FIELD_MESSAGES[m]) return FIELD_MESSAGES[m];
    for (var i = 0; i < FIELD_RULES.length; i++) if (FIELD_RULES[i][0].test(m)) return FIELD_RULES[i][1];
    return m;
  }
  /* A field's name as the shopper sees it: its label on the page, else plain words. */
  function fieldName(key, section) {
    var input = $('[name="' + key.split(".")[0] + '"]', section), label = input && input.labels && input.labels[0];
    if (label) return label.textContent.replace(/\(optional\)/, "").trim();
    return human(key.split(".")[0].replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase());
  }

  function messageFor(err) {
    if (err.code === "rate_limited") {
      var s = parseInt(err.retryAfter, 10);
      return "You're going a little fast. Please wait " + (s > 0 ? s + " seconds" : "a moment") + " and try again.";
    }
    /* The API's detail is written for developers (codes, SKUs, field names): never shown. */
    return MESSAGES[err.code] || (err.status >= 400 && err.status < 500 ? MESSAGES.bad_request : MESSAGES.internal_error);
  }

  /* ---------- DOM helpers ---------- */
  function el(tag, attrs, children) {
    var node = d.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? d.createTextNode(c) : c); });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function announce(text) { var s = $("#status"); s.textContent = ""; setTimeout(function () { s.textContent = text; }, 50); }
  function money(p) {
    try { return new Intl.NumberFormat("en", { style: "currency", currency: p.currency }).format(p.amount / 100); }
    catch (e) { return (p.amount / 100).toFixed(2) + " " + p.currency; }
  }
  function when(iso, withTime) {
    if (!iso) return "—";
    var opts = withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" };
    return new Intl.DateTimeFormat("en", opts).format(new Date(iso));
  }
  function timeEl(iso, withTime) { return el("time", { datetime: iso, text: when(iso, withTime) }); }
  function human(s) { return String(s || "").replace(/_/g, " ").replace(/^./, function (c) { return c.toUpperCase(); }); }

  function sectionOf(node) { return node.closest(".journey"); }

  /* Grey placeholder cards while a list loads (hidden from screen readers: the count speaks). */
  function skeletons(list, n) {
    clear(list);
    for (var i = 0; i < n; i++) {
      list.appendChild(el("li", { class: "card skeleton", "aria-hidden": "true" }, [el("span", { class: "bone pic" }),
        el("span", { class: "card-body" }, [el("span", { class: "bone" }), el("span", { class: "bone short" })])]));
    }
  }

  function clearErrors(section) {
    $("[data-error]", section).textContent = "";
    $$("[data-field-error]", section).forEach(function (p) { p.textContent = ""; });
    $$("[aria-invalid]", section).forEach(function (i) { i.removeAttribute("aria-invalid"); });
  }

  /* Show an API error: per-field messages next to their fields, a summary in the section's alert. */
  function showError(section, err, fieldMap) {
    if (err.code === "concierge_disabled") return fallback();
    var summary = messageFor(err), unplaced = [];
    if (err.code === "duplicate_hold" && err.problem.hold) {
      summary = "You already hold this capsule until " + when(err.problem.hold.expiresAt, true) + ".";
    }
    var errors = (err.problem && err.problem.errors) || {};
    Object.keys(errors).forEach(function (key) {
      var name = (fieldMap && fieldMap(key)) || key.split(".")[0];
      var slot = $('[data-field-error="' + name + '"]', section);
      var text = [].concat(errors[key]).map(fieldMessage).join(" ");
      if (!slot) { unplaced.push(fieldName(key, section) + ": " + text); return; }
      slot.textContent = text;
      var input = $('[name="' + name + '"]', section);
      if (input) input.setAttribute("aria-invalid", "true");
    });
    if (unplaced.length) summary += " " + unplaced.join(" ");
    var box = $("[data-error]", section);
    box.textContent = "";
    box.appendChild(d.createTextNode(summary + " "));
    if (!/rate_limited|validation_error|duplicate_hold/.test(err.code) && err.status !== 404 && err.status !== 422 && err.status !== 409) {
      box.appendChild(el("a", { href: contactUrl(), target: "_blank", rel: "noopener", text: "Contact customer care" }));
    }
    var first = $('[aria-invalid="true"]', section);
    if (first && first.closest("details")) first.closest("details").open = true;
    if (first) return first.focus();
    /* The summary sits at the top of the journey: bring it on screen, and take the focus
       when the control that had it has just been hidden. */
    var at = d.activeElement;
    if (!at || at === body || at.closest("[hidden]")) { box.tabIndex = -1; box.focus(); }
    else box.scrollIntoView({ block: "nearest" });
  }

  /* Mark busy without disabling: a disabled button would drop the keyboard user's focus. */
  function busy(node, on) {
    node.setAttribute("aria-busy", on ? "true" : "false");
    $$("button", node).concat(node.tagName === "BUTTON" ? [node] : []).forEach(function (b) {
      if (on) b.setAttribute("aria-disabled", "true"); else b.removeAttribute("aria-disabled");
    });
  }
  function isBusy(node) { return node.getAttribute("aria-busy") === "true"; }

  /* Required fields left empty, as a validation problem; checked before spending a (rate-limited) call. */
  function missing(form) {
    var errors = {};
    $$("[required]", form).forEach(function (i) {
      if (i.closest("[hidden]")) return;
      if (i.type === "checkbox" ? !i.checked : !String(i.value).trim()) {
        errors[i.name] = [i.type === "checkbox" ? "Please tick this box to continue." : "Please fill this in."];
      }
    });
    return Object.keys(errors).length ? new ApiError(422, { code: "validation_error", errors: errors }) : null;
  }

  /* Submit a form: clear errors, check required fields, call `run`, show errors; returns the promise. */
  function submit(form, run, fieldMap) {
    if (isBusy(form)) return Promise.resolve();
    var section = sectionOf(form), gap = missing(form);
    clearErrors(section);
    if (gap) { showError(section, gap); return Promise.resolve(); }
    busy(form, true);
    return Promise.resolve().then(run).catch(function (err) {
      if (!(err instanceof ApiError)) { console.error(err); err = new ApiError(500, null); }
      showError(section, err, fieldMap);
    }).then(function () { busy(form, false); });
  }

  function formValues(form) {
    var out = {};
    new FormData(form).forEach(function (v, k) { if (typeof v === "string" && v.trim() !== "") out[k] = v.trim(); });
    return out;
  }

  function factors(values) {
    var f = values.factor || "", out = { orderNumber: values.orderNumber || "" };
    if (f.indexOf("@") >= 0) out.email = f; else out.postalCode = f;
    return out;
  }
  function factorField(key) { return /^(email|postalCode|_schema)$/.test(key) ? "factor" : null; }

  function showResult(section, nodes) {
    var box = $("[data-result]", section);
    clear(box);
    nodes.forEach(function (n) { box.appendChild(n); });
    box.hidden = false;
    box.focus();
  }

  /* ---------- navigation ---------- */
  var config = null, current = "menu", lastIntent = null;
  var openers = {};

  function contactUrl() { return (config && config.contactUrl) || body.getAttribute("data-contact-url"); }

  function go(intent, prefill) {
    var target = $(intent === "menu" || intent === "fallback" ? "#" + intent : "#j-" + intent);
    if (!target) return;
    $$("main > section").forEach(function (s) { s.hidden = s !== target; });
    $("#back").hidden = intent === "menu" || intent === "fallback";
    current = intent;
    if (intent === "human") {
      track("aurora_human_requested", {}, false);
    } else if (intent !== "menu" && intent !== "fallback") {
      if (intent !== "feedback") lastIntent = intent;
      track("aurora_intent_selected", { intent: intent }, true);
      if (openers[intent]) openers[intent](prefill || {});
    }
    $("h2", target).focus();
  }

  function fallback() {
    $("#contact").href = contactUrl();
    go("fallback");
    track("aurora_fallback_shown", {}, true);
  }

  /* ---------- free text routing ---------- */
  var ROUTES = [
    [/\b(human|person|people|someone|somebody|agent|staff|operator|customer (care|service)|call me|phone (you|us)|speak|talk to|contact (you|us))/i, "human"],
    [/\b(return|refund|send (it )?back|exchange)/i, "returns"],
    [/\b(capsule|hold|reserve)/i, "capsules"],
    [/\b(stylist|styling|advice|appointment|book)/i, "stylist"],
    [/\b(shortlist|saved|wish ?list|favou?rite)/i, "shortlist"],
    [/\b(photo|picture|inspiration|upload|image)/i, "inspiration"],
    [/\b(notif|subscribe|updates?|sms|text me|alert)/i, "order_updates"],
    [/\b(feedback|rate|rating|review us|complain)/i, "feedback"],
    [/\b(track|where|deliver|shipping|parcel|package|order)/i, "order_tracking"]
  ];
  function route(text) {
    var number = (text.match(/\b([A-Za-z]{2})\s*-?\s*(\d{4,8})\b/) || []);
    var orderNumber = number[1] ? number[1].toUpperCase() + "-" + number[2] : "";
    for (var i = 0; i < ROUTES.length; i++) {
      if (ROUTES[i][0].test(text)) {
        var intent = ROUTES[i][1];
        if (orderNumber && !/returns|order_updates|human/.test(intent)) intent = "order_tracking";
        return { intent: intent, prefill: { orderNumber: orderNumber } };
      }
    }
    if (orderNumber) return { intent: "order_tracking", prefill: { orderNumber: orderNumber } };
    /* The server reads the words (filler, filters, typos); the search box then keeps what it understood. */
    return { intent: "products", prefill: { q: text, understood: true } };
  }

  function prefillOrder(form, prefill) {
    if (prefill.orderNumber) form.elements.orderNumber.value = prefill.orderNumber;
    if (prefill.factor) form.elements.factor.value = prefill.factor;
    var empty = ["orderNumber", "factor"].filter(function (n) { return !form.elements[n].value; })[0];
    if (prefill.orderNumber && empty) setTimeout(function () { form.elements[empty].focus(); });
  }

  /* ---------- shortlist state (shared by products, shortlist, stylist) ---------- */
  var shortlist = { id: store.get("aurora.shortlistId"), items: [] };

  /* Fetched once per visit; afterwards this page is the one changing it. */
  var loading = null;
  function loadShortlist() {
    if (!shortlist.id) return Promise.resolve(shortlist);
    loading = loading || api("GET", "/shortlists/" + encodeURIComponent(shortlist.id)).then(function (r) {
      shortlist.items = r.data.items; return shortlist;
    }, function (err) {
      loading = null;
      if (err.code !== "shortlist_not_found") throw err;
      store.del("aurora.shortlistId"); shortlist.id = null; shortlist.items = [];
      return shortlist;
    });
    return loading;
  }

  /* Changes run one after another, each on the latest list, so quick clicks never lose an item. */
  var pending = Promise.resolve();
  function updateShortlist(change) {
    var run = pending.then(function () {
      return saveShortlist(change(shortlist.items.map(function (p) { return p.sku; })));
    });
    pending = run.catch(function () { /* the caller shows the error */ });
    return run;
  }

  function saveShortlist(skus) {
    var call = shortlist.id
      ? api("PUT", "/shortlists/" + encodeURIComponent(shortlist.id), { skus: skus }).catch(function (err) {
        if (err.code !== "shortlist_not_found") throw err;
        return api("POST", "/shortlists", { skus: skus });
      })
      : api("POST", "/shortlists", { skus: skus });
    return call.then(function (r) {
      shortlist.id = r.data.shortlistId; shortlist.items = r.data.items;
      store.set("aurora.shortlistId", shortlist.id);
      loading = Promise.resolve(shortlist);
      track("aurora_shortlist_saved", { itemCount: shortlist.items.length });
      return shortlist;
    });
  }

  function inShortlist(sku) { return shortlist.items.some(function (p) { return p.sku === sku; }); }

  function toggleShortlist(product, button) {
    var section = sectionOf(button), adding = button.getAttribute("aria-pressed") !== "true";
    if (isBusy(button)) return;
    clearErrors(section);
    busy(button, true);
    return updateShortlist(function (skus) {
      skus = skus.filter(function (s) { return s !== product.sku; });
      return adding ? skus.concat(product.sku) : skus;
    }).then(function () {
      button.setAttribute("aria-pressed", String(adding));
      announce(product.name + (adding ? " added to" : " removed from") + " your shortlist (" + shortlist.items.length + " saved).");
    }, function (err) { showError(section, err); }).then(function () { busy(button, false); });
  }

  /* The product's page opens in the store's own tab: the widget is only a guide to it. */
  function productLink(p) {
    if (!p.url) return p.name;
    return el("a", { href: new URL(p.url, location.href).href, target: host ? "_top" : "_self", text: p.name });
  }

  function productCard(p, actions) {
    return el("li", { class: "card" }, [
      el("img", { src: p.imageUrl, alt: "", width: "64", height: "64", loading: "lazy" }),
      el("div", { class: "card-body" }, [
        el("h3", { class: "card-title" }, [productLink(p)]),
        el("p", { class: "meta", text: money(p.price) + (p.inStock === false ? " · Out of stock" : "") }),
        p.colors && p.colors.length ? el("p", { class: "meta", text: p.colors.join(", ") }) : null,
        p.sizes && p.sizes.length ? el("p", { class: "meta", text: "Sizes: " + p.sizes.join(", ") }) : null,
        el("div", { class: "card-actions" }, actions)
      ])
    ]);
  }

  /* ---------- products ---------- */
  (function () {
    var section = $("#j-products"), form = $("#products-form"), list = $("[data-list]", section);
    var more = $("[data-more]", section), count = $("[data-count]", section), query = null, page = 1;
    var chips = $("[data-chips]", section), rewrite = false;

    function params() {
      var v = formValues(form), q = new URLSearchParams();
      ["q", "category", "color", "size", "sort"].forEach(function (k) { if (v[k]) q.set(k, v[k]); });
      ["minPrice", "maxPrice"].forEach(function (k) {
        if (v[k] !== undefined) q.set(k, isNaN(+v[k]) ? v[k] : String(Math.round(+v[k] * 100)));
      });
      if (v.inStock) q.set("inStock", "true");
      q.set("pageSize", "8");
      return q;
    }

    function render(items, append) {
      if (!append) clear(list);
      items.forEach(function (p) {
        var btn = el("button", { type: "button", class: "secondary small", "aria-pressed": String(inShortlist(p.sku)) },
          ["Shortlist", el("span", { class: "sr-only", text: " " + p.name })]);
        btn.addEventListener("click", function () { toggleShortlist(p, btn); });
        list.appendChild(productCard(p, [btn]));
      });
    }

    function search(append) {
      query.set("page", String(page));
      if (!append) { skeletons(list, 3); count.textContent = "Searching…"; more.hidden = true; }
      return api("GET", "/products?" + query.toString()).then(function (r) {
        var res = r.data;
        render(res.items, append);
        var shown = Math.min(res.page * res.pageSize, res.total);
        count.textContent = res.total ? "Showing " + shown + " of " + res.total + " products." : "No products match. Try fewer filters.";
        more.hidden = shown >= res.total;
        if (!append) {
          understood(res.interpretation || { parts: [] });
          counts(res.facets || {});
          track("aurora_products_searched", { resultCount: res.total, category: query.get("category") || "" });
        }
      }, function (err) {
        if (!append) { clear(list); count.textContent = ""; }
        throw err;
      });
    }

    /* What the words were read as, one removable chip each (removing drops those words from the search). */
    function chipLabel(part) {
      var v = part.value, price = function (m) { return money({ amount: m, currency: "USD" }).replace(/\.00$/, ""); };
      if (part.field === "terms") return "\u201c" + v + "\u201d";
      if (part.field === "category") return "Category: " + v;
      if (part.field === "colors") return "Colour: " + part.text.toLowerCase() + (v.length > 1 ? " (" + v.filter(function (c) { return c !== part.text.toLowerCase(); }).join(", ") + ")" : "");
      if (part.field === "sizes") return "Size: " + v.join(", ");
      if (part.field === "maxPrice") return "Up to " + price(v);
      if (part.field === "minPrice") return "From " + price(v);
      if (part.field === "price") return price(v.minPrice) + "\u2013" + price(v.maxPrice);
      return v ? "In stock" : "Out of stock";
    }
    function understood(reading) {
      var parts = reading.parts || [];
      if (rewrite) form.elements.q.value = parts.map(function (p) { return p.text; }).join(" ");
      rewrite = false;
      clear(chips);
      chips.hidden = !parts.length;
      parts.forEach(function (part) {
        var label = chipLabel(part), fixed = (reading.corrections || {})[part.text.toLowerCase()];
        var chip = el("button", { type: "button", class: "chip", "aria-label": "Remove " + label, title: fixed ? "You typed " + part.text : null },
          [label, el("span", { "aria-hidden": "true", text: " \u00d7" })]);
        chip.addEventListener("click", function () {
          form.elements.q.value = form.elements.q.value.replace(part.text, " ").replace(/\s+/g, " ").trim();
          form.elements.q.focus();  // the chip goes away with the new answer: keep the keyboard in the form
          form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
        });
        chips.appendChild(el("li", {}, [chip]));
      });
    }

    /* Facet counts over the whole result, next to each filter option. */
    function counts(facets) {
      [["category", "category"], ["color", "colors"], ["size", "sizes"]].forEach(function (pair) {
        var found = facets[pair[1]] || {};
        [].forEach.call(form.elements[pair[0]].options, function (o) {
          if (!o.value) return;
          o.label = o.text + " (" + (found[o.value] || 0) + ")";  // .text keeps the plain value
        });
      });
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      submit(form, function () { query = params(); page = 1; return loadShortlist().then(function () { return search(false); }); });
    });
    more.addEventListener("click", function () {
      page += 1;
      var before = list.children.length;
      submit(form, function () {
        return search(true).then(function () {
          /* The button may now be hidden: carry on from the first new product. */
          var next = list.children[before];
          if (next) $("a, button", next).focus();
        });
      });
    });
    openers.products = function (prefill) {
      if (prefill.q !== undefined) {
        form.elements.q.value = prefill.q;
        rewrite = !!prefill.understood;
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    };
  })();

  /* ---------- order tracking ---------- */
  var lastOrder = null;
  (function () {
    var section = $("#j-order_tracking"), form = $("#track-form"), box = $("[data-result]", section);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var v = formValues(form);
      box.hidden = true;  // a failed lookup must not leave the previous order on screen
      lastOrder = null;
      submit(form, function () {
        return api("POST", "/orders/lookup", factors(v)).then(function (r) {
          var o = r.data;
          lastOrder = { orderNumber: o.orderNumber, factor: v.factor };
          $("[data-title]", box).textContent = "Order " + o.orderNumber + ": " + human(o.status);
          var facts = clear($("[data-facts]", box));
          var arrival = o.deliveredAt ? ["Delivered", timeEl(o.deliveredAt)] : ["Estimated delivery", timeEl(o.estimatedDelivery)];
          var tracking = o.trackingNumber && o.trackingUrl
            ? el("a", { href: o.trackingUrl, target: "_blank", rel: "noopener", text: o.trackingNumber, "aria-label": o.trackingNumber + " (opens " + (o.carrier || "the carrier") + " tracking)" })
            : o.trackingNumber || "—";
          [["Status", human(o.status)], ["Placed", timeEl(o.placedAt)], arrival,
            ["Carrier", o.carrier || "—"], ["Tracking number", tracking]].forEach(function (f) {
            facts.appendChild(el("dt", { text: f[0] }));
            facts.appendChild(el("dd", {}, [f[1]]));
          });
          var tl = clear($("[data-timeline]", box));
          o.timeline.forEach(function (t) {
            tl.appendChild(el("li", {}, [el("strong", { text: human(t.status) }), " ", timeEl(t.at, true),
              el("span", { class: "meta", text: [t.description, t.location].filter(Boolean).join(" · ") })]));
          });
          var items = clear($("[data-items]", box));
          o.items.forEach(function (i) { items.appendChild(el("li", { text: i.quantity + " × " + i.name + " (" + money(i.price) + ")" })); });
          box.hidden = false;
          $("[data-title]", box).focus();
          announce("Order " + o.orderNumber + " found: " + human(o.status) + ".");
          track("aurora_order_tracked", { status: o.status, timelineEvents: o.timeline.length });
        });
      }, factorField);
    });
    openers.order_tracking = function (prefill) { box.hidden = true; prefillOrder(form, prefill); };
  })();

  /* ---------- returns ---------- */
  (function () {
    var section = $("#j-returns"), find = $("#return-find"), form = $("#return-form");
    var rows = $("[data-items]", form), result = $("[data-result]", section), order = null, n = 0;

    function nameOf(sku) {
      var hit = order.items.filter(function (i) { return i.sku === sku; })[0];
      return hit ? hit.name : sku;
    }

    function itemRow(item) {
      var node = d.importNode($("#tpl-return-item").content, true), id = "ri" + (++n);
      $("legend", node).textContent = item.name + " (" + item.quantity + " bought)";
      var pick = $("[data-pick]", node), qty = $("[data-qty]", node), reason = $("[data-reason]", node);
      pick.id = id + "-pick"; $("[data-pick-label]", node).htmlFor = pick.id;
      $("[data-pick-label]", node).textContent = "Return " + item.name;
      qty.id = id + "-qty"; $("[data-qty-label]", node).htmlFor = qty.id;
      $("[data-qty-label]", node).textContent = "Quantity of " + item.name;
      reason.id = id + "-reason"; $("[data-reason-label]", node).htmlFor = reason.id;
      $("[data-reason-label]", node).textContent = "Reason for returning " + item.name;
      for (var q = 1; q <= item.quantity; q++) qty.appendChild(el("option", { value: String(q), text: String(q) }));
      pick.dataset.sku = item.sku;
      return node;
    }

    find.addEventListener("submit", function (e) {
      e.preventDefault();
      var v = formValues(find);
      submit(find, function () {
        return api("POST", "/orders/lookup", factors(v)).then(function (r) {
          var can = r.data.returns || { eligible: true };
          if (!can.eligible) return refused(r.data, can, v);
          order = { data: factors(v), items: r.data.items };
          $("[data-until]", form).textContent = can.until ? "You can return items until " + when(can.until) + "." : "";
          clear(rows);
          r.data.items.forEach(function (i) { rows.appendChild(itemRow(i)); });
          $("[data-title]", form).textContent = "Order " + r.data.orderNumber;
          find.hidden = true; form.hidden = false; result.hidden = true;
          $("[data-title]", form).focus();
        });
      }, factorField);
    });

    /* Say why before any form: the lookup answer carries the same rules the return applies. */
    var WHY = {
      not_delivered: function (o) { return "Order " + o.orderNumber + " hasn't been delivered yet (" + human(o.status).toLowerCase() + "). Returns open once it arrives."; },
      not_returnable: function (o) { return "Order " + o.orderNumber + " holds only digital items, such as gift cards, which can't be returned."; },
      window_closed: function (o, can) { return "Order " + o.orderNumber + " can no longer be returned: its return window closed on " + when(can.until) + "."; }
    };
    function refused(o, can, v) {
      var why = (WHY[can.reason] || WHY.window_closed)(o, can), nodes = [el("h3", { text: "This order can't be returned" }), el("p", { text: why })];
      var actions = el("div", { class: "actions" });
      if (can.reason === "not_delivered") {
        var trackIt = el("button", { type: "button", class: "secondary", text: "Track this order" });
        trackIt.addEventListener("click", function () { go("order_tracking", { orderNumber: o.orderNumber, factor: v.factor }); });
        actions.appendChild(trackIt);
      }
      actions.appendChild(el("a", { class: "button secondary", href: contactUrl(), target: "_blank", rel: "noopener", text: "Contact customer care" }));
      var again = el("button", { type: "button", class: "secondary", text: "Use another order" });
      again.addEventListener("click", function () { openers.returns({}); find.elements.orderNumber.focus(); });
      actions.appendChild(again);
      nodes.push(actions);
      find.hidden = true; form.hidden = true;
      showResult(section, nodes);
      announce(why);
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var section = sectionOf(form), items = [];
      $$("fieldset.line", rows).forEach(function (fs) {
        var pick = $("[data-pick]", fs);
        if (pick.checked) items.push({ sku: pick.dataset.sku, quantity: +$("[data-qty]", fs).value, reason: $("[data-reason]", fs).value });
      });
      clearErrors(section);
      var gap = !items.length ? "Choose at least one item to return." : items.some(function (i) { return !i.reason; }) ? "Choose a reason for each item you return." : null;
      if (gap) {
        /* Said aloud through the section's alert, and the keyboard taken to the items. */
        $("[data-error]", section).textContent = gap;
        $("[data-pick]", rows).focus();
        return;
      }
      var payload = Object.assign({}, order.data, { items: items });
      var comment = form.elements.comment.value.trim();
      if (comment) payload.comment = comment;
      var key = attemptKey("returns", payload);
      submit(form, function () {
        return api("POST", "/returns", payload, { "Idempotency-Key": key }).catch(function (err) {
          /* Name the items (never their SKUs) and say how many can still go back. */
          if (err.code === "return_quantity_exceeded" && err.problem.items) {
            err.problem.errors = { items: err.problem.items.map(function (i) {
              return i.returnable ? "You can return at most " + i.returnable + " of " + nameOf(i.sku) + "." : nameOf(i.sku) + " has already been returned.";
            }) };
          }
          throw err;
        }).then(function (r) {
          attemptDone("returns");
          var rma = r.data;
          form.hidden = true;
          showResult(section, [el("h3", { text: "Return requested" }),
            el("p", {}, ["Your return number is ", el("strong", { text: rma.rmaNumber }), ". Keep it: you'll need it when you send the items back."]),
            el("ul", { class: "lines" }, rma.items.map(function (i) { return el("li", { text: i.quantity + " × " + nameOf(i.sku) + " — " + human(i.reason) }); }))]);
          announce("Return " + rma.rmaNumber + " requested.");
          track("aurora_return_created", { rmaNumber: rma.rmaNumber, itemCount: rma.items.length });
        });
      }, function (key) { return /^items/.test(key) ? "items" : factorField(key); });
    });

    $("[data-restart]", form).addEventListener("click", function () { openers.returns({}); find.elements.orderNumber.focus(); });
    openers.returns = function (prefill) {
      find.hidden = false; form.hidden = true; result.hidden = true; clearErrors(section);
      prefillOrder(find, prefill);
    };
  })();

  /* ---------- capsules ---------- */
  (function () {
    var section = $("#j-capsules"), list = $("[data-list]", section), form = $("#hold-form");
    var result = $("[data-result]", section), count = $("[data-count]", section), chosen = null;

    function render(items) {
      clear(list);
      var own = mine();
      items.forEach(function (c) {
        var full = c.available <= 0, hold = own[c.capsuleId], btn, state;
        if (hold) {
          /* Our own hold: say so and offer the release, whether or not the capsule is now full. */
          state = el("p", { class: "meta held" }, ["Held for you until ", timeEl(hold.expiresAt, true)]);
          btn = releaseButton(hold, hold.key, c.name);
        } else {
          btn = el("button", { type: "button", class: "small", disabled: full ? "disabled" : null },
            [full ? "Fully held" : "Hold", el("span", { class: "sr-only", text: " " + c.name })]);
          btn.addEventListener("click", function () { choose(c); });
        }
        list.appendChild(el("li", { class: "card" }, [
          el("img", { src: c.imageUrl, alt: "", width: "64", height: "64" }),
          el("div", { class: "card-body" }, [
            el("h3", { class: "card-title", text: c.name }),
            el("p", { class: "meta", text: c.description }),
            el("p", { class: "meta", text: c.available + " of " + c.capacity + " places left · held for " + c.holdHours + " hours" }),
            state, el("div", { class: "card-actions" }, [btn])])]));
      });
      count.textContent = items.length + " capsules available to hold.";
    }

    /* Our holds still running, by capsule (from the ids kept when they were made). */
    function mine() {
      var all = holds(), out = {}, at = Date.now();
      Object.keys(all).forEach(function (key) {
        var h = all[key];
        if (h && h.capsuleId && Date.parse(h.expiresAt) > at) out[h.capsuleId] = { holdId: h.holdId, capsuleId: h.capsuleId, expiresAt: h.expiresAt, key: key };
      });
      return out;
    }

    function sizeOptions(sizes) {
      var select = form.elements.size;
      while (select.options.length > 1) select.remove(1);  // keep "No size preference"
      (sizes || []).forEach(function (s) { select.appendChild(el("option", { value: s, text: s })); });
    }

    function choose(c) {
      chosen = c;
      form.elements.capsuleId.value = c.capsuleId;
      sizeOptions(c.sizes);
      $("[data-title]", form).textContent = "Hold " + c.name;
      form.hidden = false; result.hidden = true;
      clearErrors(section);
      form.elements.email.focus();
    }

    /* Hold ids are capabilities the API shows only to the creator: keep ours, keyed without the email itself. */
    function holdKey(capsuleId, email) {
      var h = 2166136261, s = capsuleId + "|" + email.trim().toLowerCase();
      for (var i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
      return (h >>> 0).toString(36);
    }
    function holds() { try { return JSON.parse(store.get("aurora.holds")) || {}; } catch (e) { return {}; } }
    function remember(key, hold) {
      var all = holds();
      if (hold) all[key] = { holdId: hold.holdId, capsuleId: hold.capsuleId, expiresAt: hold.expiresAt }; else delete all[key];
      store.set("aurora.holds", JSON.stringify(all));
    }

    function held(hold, again, key) {
      form.hidden = true;
      var nodes = [el("h3", { text: again ? "You already hold this capsule" : "Capsule held" }),
        el("p", {}, [(chosen ? chosen.name : hold.capsuleId) + " is held for you until ", timeEl(hold.expiresAt, true), "."])];
      if (hold.holdId) nodes.push(releaseButton(hold, key, chosen ? chosen.name : ""));
      showResult(section, nodes);
      announce((again ? "Already held" : "Held") + " until " + when(hold.expiresAt, true) + ".");
    }

    function releaseButton(hold, key, name) {
      var release = el("button", { type: "button", class: "secondary" }, ["Release this hold", el("span", { class: "sr-only", text: name ? " on " + name : "" })]);
      release.addEventListener("click", function () {
        clearErrors(section);
        api("DELETE", "/capsule-holds/" + encodeURIComponent(hold.holdId)).then(function () {
          showResult(section, [el("p", { text: "Hold released. Thanks for letting us know." })]);
          announce("Hold released.");
          track("aurora_capsule_hold_released", { capsuleId: hold.capsuleId });
          remember(key, null);
          load();
        }, function (err) { showError(section, err); });
      });
      return release;
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var v = formValues(form), key = holdKey(v.capsuleId, v.email || "");
      submit(form, function () {
        return api("POST", "/capsule-holds", v).then(function (r) {
          remember(key, r.data);
          held(r.data, false, key);
          track("aurora_capsule_held", { capsuleId: r.data.capsuleId, expiresAt: r.data.expiresAt });
          load();
        }, function (err) {
          if (err.code === "duplicate_hold" && err.problem.hold) {
            var hold = err.problem.hold;
            hold.holdId = hold.holdId || (holds()[key] || {}).holdId;
            held(hold, true, key);
            showError(section, err);
            return;
          }
          if (err.code === "capsule_unavailable") { form.hidden = true; load(); }  // show it as fully held now
          throw err;
        });
      });
    });
    $("[data-cancel]", form).addEventListener("click", function () { form.hidden = true; list.focus(); });
    list.tabIndex = -1;

    function load() {
      if (!list.children.length) { skeletons(list, 3); count.textContent = "Loading capsules…"; }
      return api("GET", "/capsules").then(function (r) { render(r.data.items); }, function (err) {
        if (list.querySelector(".skeleton")) { clear(list); count.textContent = ""; }
        showError(section, err);
      });
    }
    openers.capsules = function () { form.hidden = true; result.hidden = true; clearErrors(section); load(); };
  })();

  /* ---------- shortlist ---------- */
  (function () {
    var section = $("#j-shortlist"), list = $("[data-list]", section), count = $("[data-count]", section);
    function render() {
      clear(list);
      shortlist.items.forEach(function (p) {
        var btn = el("button", { type: "button", class: "secondary small" }, ["Remove", el("span", { class: "sr-only", text: " " + p.name })]);
        btn.addEventListener("click", function () {
          clearErrors(section);
          var at = [].indexOf.call(list.children, btn.closest("li"));
          updateShortlist(function (skus) { return skus.filter(function (s) { return s !== p.sku; }); })
            .then(function () {
              render();
              announce(p.name + " removed. " + count.textContent);
              /* Keep the keyboard where it was: the next item's Remove, else the list's heading. */
              var next = list.children[Math.min(at, list.children.length - 1)];
              (next ? $("button", next) : $("h2", section)).focus();
            }, function (err) { showError(section, err); });
        });
        list.appendChild(productCard(p, [btn]));
      });
      var n = shortlist.items.length;
      count.textContent = n ? n + (n === 1 ? " item" : " items") + " in your shortlist." : "Your shortlist is empty. Save products from Find products.";
      $("[data-needs-items]", section).hidden = !n;
    }
    openers.shortlist = function () {
      clearErrors(section);
      loadShortlist().then(render, function (err) { showError(section, err); });
    };
  })();

  /* ---------- stylist ---------- */
  (function () {
    var section = $("#j-stylist"), form = $("#stylist-form");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var v = formValues(form), payload = {};
      ["name", "email", "topic", "message", "preferredContact", "phone"].forEach(function (k) { if (v[k]) payload[k] = v[k]; });
      if (v.preferredTime) {
        var t = new Date(v.preferredTime);
        payload.preferredTime = isNaN(t) ? v.preferredTime : t.toISOString();
      }
      if (shortlist.id && shortlist.items.length && form.elements.attachShortlist.checked) payload.shortlistId = shortlist.id;
      var key = attemptKey("stylist", payload);
      submit(form, function () {
        return api("POST", "/stylist-tickets", payload, { "Idempotency-Key": key }).then(function (r) {
          attemptDone("stylist");
          form.hidden = true;
          showResult(section, [el("h3", { text: "You're booked in" }),
            el("p", {}, ["Your reference is ", el("strong", { text: r.data.ticketNumber }), ". A stylist will contact you by " + (payload.preferredContact || "email") + "."])]);
          announce("Stylist request " + r.data.ticketNumber + " created.");
          track("aurora_stylist_ticket_created", { ticketNumber: r.data.ticketNumber, topic: payload.topic });
        });
      });
    });
    openers.stylist = function () {
      form.hidden = false; $("[data-result]", section).hidden = true;
      loadShortlist().then(function () {
        $("[data-shortlist-option]", section).hidden = !(shortlist.id && shortlist.items.length);
      }, function () { /* the form works without the shortlist */ });
    };
  })();

  /* ---------- inspiration ---------- */
  (function () {
    var section = $("#j-inspiration"), form = $("#inspiration-form"), input = form.elements.image;
    var preview = $("[data-preview]", section), img = $("[data-preview-img]", section), url = null;
    var MAX = 5 * 1024 * 1024;
    input.addEventListener("change", function () {
      if (url) URL.revokeObjectURL(url);
      var file = input.files[0];
      preview.hidden = !file;
      if (file) { url = URL.createObjectURL(file); img.src = url; }
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearErrors(section);
      var file = input.files[0], errs = {};
      if (!file) errs.image = ["Choose a photo to upload."];
      else if (file.size > MAX) errs.image = [MESSAGES.payload_too_large];
      if (!form.elements.consent.checked) errs.consent = ["Please confirm you agree before uploading."];
      if (Object.keys(errs).length) return showError(section, new ApiError(422, { code: "validation_error", errors: errs }));
      var data = new FormData();
      data.append("image", file);
      data.append("caption", form.elements.caption.value.trim());
      data.append("consent", "true");
      submit(form, function () {
        return api("POST", "/inspiration", data).then(function (r) {
          form.reset(); preview.hidden = true; form.hidden = true;
          showResult(section, [el("h3", { text: "Thanks for sharing" }),
            el("p", { text: "Your photo (" + r.data.width + " × " + r.data.height + ") is waiting for review by our stylists." })]);
          announce("Photo uploaded and pending review.");
          track("aurora_inspiration_uploaded", { moderationStatus: r.data.moderationStatus });
        });
      });
    });
    openers.inspiration = function () { form.hidden = false; $("[data-result]", section).hidden = true; };
  })();

  /* ---------- order updates ---------- */
  (function () {
    var section = $("#j-order_updates"), form = $("#updates-form"), dest = form.elements.destination;
    function channel() {
      var sms = form.elements.channel.value === "sms";
      $('label[for="updates-destination"]').textContent = sms ? "Mobile number for updates" : "Email for updates";
      dest.type = sms ? "tel" : "email";
      dest.autocomplete = sms ? "tel" : "email";
      dest.placeholder = sms ? "+14155550123" : "";
    }
    $$('[name="channel"]', form).forEach(function (r) { r.addEventListener("change", channel); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var v = formValues(form), payload = factors(v);
      payload.channel = v.channel; payload.destination = v.destination || "";
      submit(form, function () {
        return api("POST", "/order-subscriptions", payload).then(function (r) {
          var sub = r.data, again = r.status === 200;
          var stop = el("button", { type: "button", class: "secondary", text: "Stop these updates" });
          stop.addEventListener("click", function () {
            clearErrors(section);
            api("DELETE", "/order-subscriptions/" + encodeURIComponent(sub.subscriptionId)).then(function () {
              showResult(section, [el("p", { text: "Updates stopped. You won't hear from us about " + sub.orderNumber + "." })]);
              announce("Updates stopped.");
              track("aurora_order_unsubscribed", { channel: sub.channel });
            }, function (err) { showError(section, err); });
          });
          form.hidden = true;
          showResult(section, [el("h3", { text: again ? "You're already subscribed" : "You're subscribed" }),
            el("p", { text: "We'll send updates about " + sub.orderNumber + " by " + (sub.channel === "sms" ? "text message" : "email") + "." }), stop]);
          announce((again ? "Already subscribed" : "Subscribed") + " to updates for " + sub.orderNumber + ".");
          track("aurora_order_subscribed", { channel: sub.channel, existing: again });
        });
      }, factorField);
    });
    openers.order_updates = function (prefill) {
      form.hidden = false; $("[data-result]", section).hidden = true;
      prefillOrder(form, prefill);
    };
  })();

  /* ---------- feedback ---------- */
  (function () {
    var section = $("#j-feedback"), form = $("#feedback-form");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var v = formValues(form);
      if (!v.rating) return showError(section, new ApiError(422, { code: "validation_error", errors: { rating: ["Choose a rating from 1 to 5."] } }));
      var payload = { rating: +v.rating };
      if (v.comment) payload.comment = v.comment;
      if (lastIntent && lastIntent !== "feedback") payload.intent = lastIntent;
      submit(form, function () {
        return api("POST", "/csat", payload).then(function (r) {
          form.hidden = true;
          showResult(section, [el("h3", { text: "Thank you for your feedback" }),
            el("p", { text: r.data.agentNotified ? "We're sorry it wasn't better. A member of our team will look into it." : "It helps us make Aurora better." })]);
          announce("Rating sent.");
          track("aurora_csat_submitted", { rating: payload.rating, intent: payload.intent || "" });
        });
      });
    });
    openers.feedback = function () { form.hidden = false; $("[data-result]", section).hidden = true; };
  })();

  /* ---------- chrome: menu, ask box, back, close, host messages ---------- */
  $$("[data-intent]").forEach(function (b) {
    b.addEventListener("click", function () { go(b.getAttribute("data-intent")); });
  });
  $$("[data-goto-journey]").forEach(function (b) {
    b.addEventListener("click", function () { go(b.getAttribute("data-goto-journey")); });
  });
  openers.human = function () {
    $("[data-contact]", $("#j-human")).href = contactUrl();
    $("[data-human-stylist]").hidden = !config || (config.intents || []).indexOf("stylist") < 0;
  };
  $$("[data-goto]").forEach(function (b) {
    b.addEventListener("click", function () { go(b.getAttribute("data-goto"), lastOrder || {}); });
  });
  $("#ask").addEventListener("submit", function (e) {
    e.preventDefault();
    var text = $("#ask-text").value.trim();
    if (!text) return $("#ask-text").focus();
    var r = route(text);
    if (r.intent !== "human") track("aurora_free_text_routed", { intent: r.intent }, true);
    go(r.intent, r.prefill);
  });
  $("#back").addEventListener("click", function () { go("menu"); });
  $("#close").hidden = !host;  // opened on its own, there is no launcher to return to
  $("#close").addEventListener("click", function () { toHost({ type: "close" }); });
  $("#retry").addEventListener("click", function () { boot(); });
  d.addEventListener("keydown", function (e) { if (e.key === "Escape") toHost({ type: "close" }); });

  /* Full screen on a phone the widget is the whole page: Tab cycles inside it. */
  var fullScreen = false;
  d.addEventListener("keydown", function (e) {
    if (e.key !== "Tab" || !fullScreen) return;
    var all = $$('a[href], button, input, select, textarea, summary, [tabindex="0"]').filter(function (n) {
      return !n.disabled && n.offsetParent !== null && !n.closest("[hidden]");
    });
    var first = all[0], last = all[all.length - 1], at = d.activeElement;
    if (e.shiftKey && (at === first || !all.length || all.indexOf(at) < 0 && at === body)) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && at === last) { e.preventDefault(); first.focus(); }
  });

  window.addEventListener("message", function (e) {
    if (!host || e.source !== window.parent || e.origin !== host) return;
    var m = e.data || {};
    if (m.source !== "aurora-host") return;
    fullScreen = !!m.full;
    if (m.type === "open") {
      track("aurora_widget_opened", {}, true);
      $("h2", $(current === "menu" || current === "fallback" ? "#" + current : "#j-" + current)).focus();
    } else if (m.type === "close") {
      track("aurora_widget_closed", {}, true);
    }
  });

  function boot() {
    return api("GET", "/config").then(function (r) {
      config = r.data;
      if (!config.realEndpointsEnabled) return fallback();
      var allowed = config.intents || [];
      $$("[data-intent-item]").forEach(function (li) { li.hidden = allowed.indexOf(li.getAttribute("data-intent-item")) < 0; });
      if (current === "fallback") go("menu");
    }, function () { fallback(); });
  }

  boot();
  toHost({ type: "ready" });
})();
