/* Aurora Concierge widget, order tracking: look an order up and show its status and timeline. */
(function (A) {
  "use strict";
  var $ = A.$, el = A.el, clear = A.clear, word = A.word, timeEl = A.timeEl, t = A.t;
  var section = $("#j-order_tracking"), form = $("#track-form"), box = $("[data-result]", section);

  function show(o) {
    $("[data-title]", box).textContent = t("Order {order}: {status}", { order: o.orderNumber, status: word(o.status) });
    var facts = clear($("[data-facts]", box));
    var arrival = o.deliveredAt ? [t("Delivered"), timeEl(o.deliveredAt)] : [t("Estimated delivery"), timeEl(o.estimatedDelivery)];
    var tracking = o.trackingNumber && o.trackingUrl
      ? el("a", { href: o.trackingUrl, target: "_blank", rel: "noopener", text: o.trackingNumber, "aria-label": o.carrier ? t("{number} (opens {carrier} tracking)", { number: o.trackingNumber, carrier: o.carrier })
        : t("{number} (opens the carrier’s tracking)", { number: o.trackingNumber }) })
      : o.trackingNumber || "—";
    // The tracking number gets a line of its own: a code reads (and is copied) unbroken.
    [[t("Status"), word(o.status)], [t("Placed"), timeEl(o.placedAt)], arrival,
      [t("Carrier"), o.carrier || "—"], [t("Tracking number"), tracking, "wide"]].forEach(function (f) {
      facts.appendChild(el("dt", { text: f[0], class: f[2] || "" }));
      facts.appendChild(el("dd", { class: f[2] || "" }, [f[1]]));
    });
    var tl = clear($("[data-timeline]", box));
    o.timeline.forEach(function (step) {
      tl.appendChild(el("li", {}, [el("strong", { text: word(step.status) }), " ", timeEl(step.at, true),
        el("span", { class: "meta", text: [step.description, step.location].filter(Boolean).join(" · ") })]));
    });
    var items = clear($("[data-items]", box));
    o.items.forEach(function (i) { items.appendChild(el("li", { text: i.quantity + " × " + i.name + " (" + A.money(i.price) + ")" })); });
    box.hidden = false;
    $("[data-title]", box).focus();
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = A.formValues(form);
    box.hidden = true;  // a failed lookup must not leave the previous order on screen
    A.state.lastOrder = null;
    A.carry.save("order_tracking", {});
    A.submit(form, function () {
      return A.api("POST", "/orders/lookup", A.factors(v)).then(function (r) {
        var o = r.data;
        A.state.lastOrder = { orderNumber: o.orderNumber, factor: v.factor };
        show(o);
        A.carry.save("order_tracking", { order: o });  // what is on screen, never the email or postal code
        A.offerCsat(section, "order_tracking", o.orderNumber);
        A.announce(t("Order {order} found: {status}.", { order: o.orderNumber, status: word(o.status) }));
        A.track("aurora_order_tracked", { status: o.status, timelineEvents: o.timeline.length });
      });
    }, A.factorField);
  });
  A.openers.order_tracking = function (prefill) {
    var kept = (prefill.carried || {}).order;
    box.hidden = true;
    if (!kept) return A.prefillOrder(form, prefill);
    /* Back after a page change: the order as it was shown; acting on it asks for the email again. */
    form.elements.orderNumber.value = kept.orderNumber;
    A.state.lastOrder = { orderNumber: kept.orderNumber };
    show(kept);
  };
})(window.AuroraWidget);
