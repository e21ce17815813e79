/* Aurora Concierge widget, DOM helpers: building nodes, formatting, busy state, form values. */
(function (A) {
  "use strict";
  var d = document, $ = A.$, $$ = A.$$, t = A.t;

  var el = A.el = function (tag, attrs, children) {
    var node = d.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? d.createTextNode(c) : c); });
    return node;
  };
  var clear = A.clear = function (node) { while (node.firstChild) node.removeChild(node.firstChild); return node; };
  A.announce = function (text) { var s = $("#status"); s.textContent = ""; setTimeout(function () { s.textContent = text; }, 50); };
  A.money = function (p) {
    try { return new Intl.NumberFormat(A.lang, { style: "currency", currency: p.currency }).format(p.amount / 100); }
    catch (e) { return (p.amount / 100).toFixed(2) + " " + p.currency; }
  };
  var when = A.when = function (iso, withTime) {
    if (!iso) return "—";
    var opts = withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" };
    return new Intl.DateTimeFormat(A.lang, opts).format(new Date(iso));
  };
  A.timeEl = function (iso, withTime) { return el("time", { datetime: iso, text: when(iso, withTime) }); };
  A.human = function (s) { return String(s || "").replace(/_/g, " ").replace(/^./, function (c) { return c.toUpperCase(); }); };
  /* The shopper's words for the API's ids: order statuses and return reasons. */
  var WORDS = {
    processing: t("Processing"), shipped: t("Shipped"), in_transit: t("In transit"),
    out_for_delivery: t("Out for delivery"), delivered: t("Delivered"), cancelled: t("Cancelled"),
    returned: t("Returned"), placed: t("Placed"), packed: t("Packed"), too_small: t("Too small"), too_large: t("Too large"),
    not_as_described: t("Not as described"), damaged: t("Damaged"), changed_mind: t("Changed my mind"),
    other: t("Other")
  };
  A.word = function (id) { return WORDS[id] || A.human(id); };

  A.sectionOf = function (node) { return node.closest(".journey"); };

  /* Grey placeholder cards while a list loads (hidden from screen readers: the count speaks). */
  A.skeletons = function (list, n) {
    clear(list);
    for (var i = 0; i < n; i++) {
      list.appendChild(el("li", { class: "card skeleton", "aria-hidden": "true" }, [el("span", { class: "bone pic" }),
        el("span", { class: "card-body" }, [el("span", { class: "bone" }), el("span", { class: "bone short" })])]));
    }
  };

  /* Mark busy without disabling: a disabled button would drop the keyboard user's focus. */
  A.busy = function (node, on) {
    node.setAttribute("aria-busy", on ? "true" : "false");
    $$("button", node).concat(node.tagName === "BUTTON" ? [node] : []).forEach(function (b) {
      if (on) b.setAttribute("aria-disabled", "true"); else b.removeAttribute("aria-disabled");
    });
  };
  A.isBusy = function (node) { return node.getAttribute("aria-busy") === "true"; };

  A.formValues = function (form) {
    var out = {};
    new FormData(form).forEach(function (v, k) { if (typeof v === "string" && v.trim() !== "") out[k] = v.trim(); });
    return out;
  };

  /* An order's second factor is one field: an email, else a postal code. */
  A.factors = function (values) {
    var f = values.factor || "", out = { orderNumber: values.orderNumber || "" };
    if (f.indexOf("@") >= 0) out.email = f; else out.postalCode = f;
    return out;
  };
  A.factorField = function (key) { return /^(email|postalCode|_schema)$/.test(key) ? "factor" : null; };

  A.showResult = function (section, nodes) {
    var box = $("[data-result]", section);
    clear(box);
    nodes.forEach(function (n) { box.appendChild(n); });
    box.hidden = false;
    box.focus();
  };
})(window.AuroraWidget);
