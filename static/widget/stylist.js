/* Aurora Concierge widget, stylist: ask a stylist (a ticket and its conversation), with the shortlist attached if wanted. */
(function (A) {
  "use strict";
  var $ = A.$, el = A.el, shortlist = A.shortlist, t = A.t;
  var section = $("#j-stylist"), form = $("#stylist-form");

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = A.formValues(form), payload = {};
    ["name", "email", "topic", "message", "preferredContact", "phone"].forEach(function (k) { if (v[k]) payload[k] = v[k]; });
    if (v.preferredTime) {
      var at = new Date(v.preferredTime);
      payload.preferredTime = isNaN(at) ? v.preferredTime : at.toISOString();
    }
    if (shortlist.id && shortlist.items.length && form.elements.attachShortlist.checked) payload.shortlistId = shortlist.id;
    var key = A.attemptKey("stylist", payload);
    A.submit(form, function () {
      return A.api("POST", "/stylist-tickets", payload, { "Idempotency-Key": key }).then(function (r) {
        A.attemptDone("stylist");
        form.hidden = true;
        A.rememberConversation(r.data.conversationId, r.data.token);
        var ref = { ref: el("strong", { text: r.data.ticketNumber }) }, time = (A.state.config && A.state.config.replyTime) || "";
        A.showResult(section, [el("h3", { text: t("Request sent") }),
          el("p", { text: t("We reply {time}.", { time: time }) }),
          el("p", {}, payload.preferredContact === "phone" ? A.tn("Your reference is {ref}. A stylist will contact you by phone.", ref)
            : A.tn("Your reference is {ref}. A stylist will contact you by email.", ref))]);
        A.carry.save("stylist", {});
        A.offerCsat(section, "stylist", r.data.ticketNumber);
        A.announce(t("Stylist request {ref} created.", { ref: r.data.ticketNumber }));
        A.track("aurora_stylist_ticket_created", { ticketNumber: r.data.ticketNumber, topic: payload.topic });
      });
    });
  });
  /* A half-written request survives a page change: its topic and message, never the contact details. */
  form.addEventListener("input", function () {
    A.carry.save("stylist", { topic: form.elements.topic.value, message: form.elements.message.value });
  });
  A.openers.stylist = function (prefill) {
    var draft = prefill.carried || {};
    if (draft.topic) form.elements.topic.value = draft.topic;
    if (draft.message) form.elements.message.value = draft.message;
    form.hidden = false; $("[data-result]", section).hidden = true;
    A.loadShortlist().then(function () {
      $("[data-shortlist-option]", section).hidden = !(shortlist.id && shortlist.items.length);
    }, function () { /* the form works without the shortlist */ });
  };
})(window.AuroraWidget);
