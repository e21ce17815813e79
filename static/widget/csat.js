/* Aurora Concierge widget, "Was this helpful?": offered at the end of a journey (a return, a hold, a
 * subscription, a ticket, an upload, a lookup), answered with one tap through POST /csat.
 *
 * Once per completed journey, and never again in this tab after an answer (here or in "Rate this help"):
 * a shopper asked after every step stops answering.
 */
(function (A) {
  "use strict";
  var $ = A.$, ANSWERED = "aurora.csatAnswered";

  A.csatAnswered = function () { A.tab.set(ANSWERED, true); };

  /* Add the question under the journey's answer; `reference` names what it is about (an RMA, a ticket…). */
  A.offerCsat = function (section, intent, reference) {
    var old = $("[data-csat]");
    if (old) old.remove();  // one question on the page at a time (its ids are fixed)
    if (A.tab.get(ANSWERED)) return;
    var node = document.importNode($("#tpl-csat").content, true), box = $("[data-csat]", node);
    [].forEach.call(box.querySelectorAll("[data-rating]"), function (b) {
      b.addEventListener("click", function () { answer(box, section, +b.getAttribute("data-rating"), intent, reference); });
    });
    $("[data-csat-human]", box).addEventListener("click", function () { A.go("human"); });
    $("[data-result]", section).appendChild(node);
  };

  function answer(box, section, rating, intent, reference) {
    var ask = $("[data-csat-ask]", box), payload = { rating: rating, intent: intent };
    if (A.isBusy(ask)) return;
    if (reference) payload.reference = String(reference).slice(0, 64);
    A.clearErrors(section);
    A.busy(ask, true);
    A.api("POST", "/csat", payload).then(function () {
      A.csatAnswered();
      ask.hidden = true;
      var after = $(rating > 2 ? "[data-csat-thanks]" : "[data-csat-sorry]", box);
      var said = after.tagName === "P" ? after : $("p", after);
      after.hidden = false;
      A.announce(said.textContent);
      /* The buttons are gone: keep the keyboard here (on the way to a person after a "No"). */
      said.tabIndex = -1;
      ($("button", after) || said).focus();
      A.track("aurora_csat_submitted", { rating: rating, intent: intent, inline: true });
    }, function (err) {
      A.busy(ask, false);
      A.showError(section, err);
    });
  }
})(window.AuroraWidget);
