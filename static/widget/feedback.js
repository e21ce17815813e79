/* Aurora Concierge widget, feedback: a 1-5 rating (CSAT) with an optional comment, tagged with the last journey. */
(function (A) {
  "use strict";
  var $ = A.$, el = A.el, t = A.t;
  var section = $("#j-feedback"), form = $("#feedback-form");

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = A.formValues(form), lastIntent = A.state.lastIntent;
    if (!v.rating) return A.showError(section, new A.ApiError(422, { code: "validation_error", errors: { rating: [t("Choose a rating from 1 to 5.")] } }));
    var payload = { rating: +v.rating };
    if (v.comment) payload.comment = v.comment;
    if (lastIntent && lastIntent !== "feedback") payload.intent = lastIntent;
    A.submit(form, function () {
      return A.api("POST", "/csat", payload).then(function (r) {
        form.hidden = true;
        A.showResult(section, [el("h3", { text: t("Thank you for your feedback") }),
          el("p", { text: r.data.agentNotified ? t("We're sorry it wasn't better. A member of our team will look into it.") : t("It helps us do better.") })]);
        A.csatAnswered();
        A.announce(t("Rating sent."));
        A.track("aurora_csat_submitted", { rating: payload.rating, intent: payload.intent || "" });
      });
    });
  });
  A.openers.feedback = function () { form.hidden = false; $("[data-result]", section).hidden = true; };
})(window.AuroraWidget);
