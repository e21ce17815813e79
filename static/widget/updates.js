/* Aurora Concierge widget, order updates: subscribe to an order's updates by email or SMS, or stop them. */
(function (A) {
  "use strict";
  var $ = A.$, $$ = A.$$, el = A.el, t = A.t;
  var section = $("#j-order_updates"), form = $("#updates-form"), dest = form.elements.destination;

  function channel() {
    var sms = form.elements.channel.value === "sms";
    $('label[for="updates-destination"]').textContent = sms ? t("Mobile number for updates") : t("Email for updates");
    dest.type = sms ? "tel" : "email";
    dest.autocomplete = sms ? "tel" : "email";
    dest.placeholder = sms ? "+14155550123" : "";
  }
  $$('[name="channel"]', form).forEach(function (r) { r.addEventListener("change", channel); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = A.formValues(form), payload = A.factors(v);
    payload.channel = v.channel; payload.destination = v.destination || "";
    A.carry.save("order_updates", { orderNumber: v.orderNumber });
    A.submit(form, function () {
      return A.api("POST", "/order-subscriptions", payload).then(function (r) {
        var sub = r.data, again = r.status === 200, about = { order: sub.orderNumber };
        form.hidden = true;
        if (r.status === 202) {  // an address that is not the order's own confirms from its inbox
          A.showResult(section, [el("h3", { text: t("Check your inbox") }),
            el("p", { text: t("We sent a link to {email}: updates about {order} start once it is confirmed.", { email: payload.destination, order: sub.orderNumber }) })]);
          A.announce(t("Confirmation sent for {order}.", about));
          A.track("aurora_order_subscription_requested", { channel: sub.channel });
          return;
        }
        var stop = el("button", { type: "button", class: "secondary", text: t("Stop these updates") });
        stop.addEventListener("click", function () {
          A.clearErrors(section);
          A.api("DELETE", "/order-subscriptions/" + encodeURIComponent(sub.subscriptionId)).then(function () {
            A.showResult(section, [el("p", { text: t("Updates stopped. You won't hear from us about {order}.", { order: sub.orderNumber }) })]);
            A.announce(t("Updates stopped."));
            A.track("aurora_order_unsubscribed", { channel: sub.channel });
          }, function (err) { A.showError(section, err); });
        });
        // Only the answer that created the subscription carries its id, the key that stops it.
        A.showResult(section, [el("h3", { text: again ? t("You're already subscribed") : t("You're subscribed") }),
          el("p", { text: sub.channel === "sms" ? t("We'll send updates about {order} by text message.", about) : t("We'll send updates about {order} by email.", about) })]
          .concat(sub.subscriptionId ? [stop] : []));
        A.offerCsat(section, "order_updates", sub.orderNumber);
        A.announce(again ? t("Already subscribed to updates for {order}.", about) : t("Subscribed to updates for {order}.", about));
        A.track("aurora_order_subscribed", { channel: sub.channel, existing: again });
      });
    }, A.factorField);
  });
  A.openers.order_updates = function (prefill) {
    form.hidden = false; $("[data-result]", section).hidden = true;
    A.prefillOrder(form, prefill.carried ? { orderNumber: prefill.carried.orderNumber } : prefill);
  };
})(window.AuroraWidget);
