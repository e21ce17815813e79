/* Aurora Concierge widget, order tracking: look an order up and show its status and timeline. */
(function (A) {
  "use strict";
  var $ = A.$, el = A.el, clear = A.clear, human = A.human, timeEl = A.timeEl;
  var section = $("#j-order_tracking"), form = $("#track-form"), box = $("[data-result]", section);

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = A.formValues(form);
    box.hidden = true;  // a failed lookup must not leave the previous order on screen
    A.state.lastOrder = null;
    A.submit(form, function () {
      return A.api("POST", "/orders/lookup", A.factors(v)).then(function (r) {
        var o = r.data;
        A.state.lastOrder = { orderNumber: o.orderNumber, factor: v.factor };
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
        o.items.forEach(function (i) { items.appendChild(el("li", { text: i.quantity + " × " + i.name + " (" + A.money(i.price) + ")" })); });
        box.hidden = false;
        $("[data-title]", box).focus();
        A.announce("Order " + o.orderNumber + " found: " + human(o.status) + ".");
        A.track("aurora_order_tracked", { status: o.status, timelineEvents: o.timeline.length });
      });
    }, A.factorField);
  });
  A.openers.order_tracking = function (prefill) { box.hidden = true; A.prefillOrder(form, prefill); };
})(window.AuroraWidget);
