/* Aurora Concierge widget, errors: the shopper's words for API errors, showing them, submitting forms. */
(function (A) {
  "use strict";
  var d = document, $ = A.$, $$ = A.$$, el = A.el, ApiError = A.ApiError, t = A.t;

  var MESSAGES = A.MESSAGES = {
    order_not_found: t("We couldn't find that order. Check the order number and the email or postal code used when ordering."),
    return_not_eligible: t("This order can't be returned online: returns open once it is delivered and close when the return window ends."),
    return_quantity_exceeded: t("You can't return more of an item than you bought (minus anything already returned)."),
    exchange_unavailable: t("That size has just sold out. Please choose again."),
    in_stock: t("Good news: it's in stock now."),
    alert_not_found: t("We couldn't find that alert."),
    capsule_unavailable: t("Sorry, every place in this capsule is taken right now. Try another capsule."),
    capsule_not_found: t("That capsule is no longer available."),
    hold_not_found: t("We couldn't find that hold."),
    conversation_not_found: t("We couldn't find that conversation. You can start a new one."),
    too_many_holds: t("You already hold as many capsule places as one shopper may. Release one, or try again when a hold ends."),
    product_not_found: t("That product is no longer available."),
    shortlist_not_found: t("Your saved shortlist has expired, so we started a new one."),
    subscription_not_found: t("We couldn't find that subscription."),
    subscription_cancelled: t("This number stopped these updates. Contact us to have them sent again."),
    payload_too_large: t("That photo is too large. Please choose one under 5 MB."),
    unsupported_media_type: t("That file isn't a photo we can read. Please choose a JPEG, PNG or WebP image."),
    upload_rejected: t("We couldn't accept that photo. Please try a different one."),
    uploads_busy: t("We're receiving a lot of photos right now. Please try again in a moment."),
    scanner_unavailable: t("We can't check photos right now. Please try again in a few minutes."),
    idempotency_request_in_progress: t("We're still working on your previous request. Please wait a moment and try again."),
    idempotency_key_reused: t("Something changed while we were saving. Please submit again."),
    validation_error: t("Please check the highlighted fields."),
    database_unavailable: t("We're having trouble on our side. Please try again in a minute."),
    internal_error: t("Something went wrong on our side. Please try again."),
    network: t("We couldn't reach the store. Check your connection and try again."),
    service_unavailable: t("We're having trouble on our side. Please try again in a minute."),
    bad_request: t("We couldn't read that request. Please try again."),
    unauthorized: t("Something went wrong on our side. Please try again."),
    malformed_json: t("We couldn't read that request. Please try again."),
    idempotency_key_required: t("Something went wrong on our side. Please try again."),
    not_found: t("We couldn't find what you asked for.")
  };
  var FIELD_MESSAGES = {
    "Missing data for required field.": t("Please fill this in."),
    "Field may not be null.": t("Please fill this in."),
    "Must not be blank.": t("Please fill this in."),
    "Not a valid email address.": t("Please enter a valid email address.")
  };

  /* The API's rule sentences name fields and formats; shoppers get these instead. */
  var FIELD_RULES = [
    [/E\.164/, t("Please enter the number in international format: + then the country code, e.g. +1 415 555 0123.")],
    [/less than or equal to maxPrice/, t("The lowest price can't be above the highest price.")],
    [/greater than or equal to minPrice/, t("The highest price can't be below the lowest price.")],
    [/^Not a valid (integer|number)/, t("Please enter a number.")],
    [/^Must be in the future/, t("Please choose a time in the future.")],
    [/^Must be one of/, t("Please choose one of the options in the list.")],
    [/^Unknown field/, t("This can't be sent here.")],
    [/^Longer than maximum length/, t("This is too long.")],
    [/^Must be (greater|less) than/, t("Please enter a number in the allowed range.")],
    [/^Not a valid (datetime|date)/, t("Please enter a valid date and time.")],
    [/does not match|^Not a valid/, t("Please check the format of this field.")]
  ];
  function fieldMessage(m) {
    if (FIELD_MESSAGES[m]) return FIELD_MESSAGES[m];
    for (var i = 0; i < FIELD_RULES.length; i++) if (FIELD_RULES[i][0].test(m)) return FIELD_RULES[i][1];
    /* A rule not listed here is the API's English: shown as it is to English shoppers only. */
    return A.lang === "en" ? m : t("Please check this field.");
  }
  /* A field's name as the shopper sees it: its label on the page, else plain words. */
  function fieldName(key, section) {
    var input = $('[name="' + key.split(".")[0] + '"]', section), label = input && input.labels && input.labels[0];
    if (label) return label.textContent.replace(t("(optional)"), "").trim();
    return A.human(key.split(".")[0].replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase());
  }

  function messageFor(err) {
    if (err.code === "rate_limited") {
      var s = parseInt(err.retryAfter, 10);
      return s > 0 ? A.nt("You're going a little fast. Please wait {n} second and try again.", "You're going a little fast. Please wait {n} seconds and try again.", s)
        : t("You're going a little fast. Please wait a moment and try again.");
    }
    /* The API's detail is written for developers (codes, SKUs, field names): never shown. */
    return MESSAGES[err.code] || (err.status >= 400 && err.status < 500 ? MESSAGES.bad_request : MESSAGES.internal_error);
  }

  var clearErrors = A.clearErrors = function (section) {
    $("[data-error]", section).textContent = "";
    $$("[data-field-error]", section).forEach(function (p) { p.textContent = ""; });
    $$("[aria-invalid]", section).forEach(function (i) { i.removeAttribute("aria-invalid"); });
  };

  /* Show an API error: per-field messages next to their fields, a summary in the section's alert. */
  var showError = A.showError = function (section, err, fieldMap) {
    if (err.code === "concierge_disabled") return A.fallback();
    var summary = messageFor(err), unplaced = [];
    if (err.code === "duplicate_hold" && err.problem.hold) {
      summary = t("You already hold this capsule until {time}.", { time: A.when(err.problem.hold.expiresAt, true) });
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
      box.appendChild(el("a", { href: A.contactUrl(), target: "_blank", rel: "noopener", text: t("Contact customer care") }));
    }
    var first = $('[aria-invalid="true"]', section);
    if (first && first.closest("details")) first.closest("details").open = true;
    if (first) return first.focus();
    /* The summary sits at the top of the journey: bring it on screen, and take the focus
       when the control that had it has just been hidden. */
    var at = d.activeElement;
    if (!at || at === d.body || at.closest("[hidden]")) { box.tabIndex = -1; box.focus(); }
    else box.scrollIntoView({ block: "nearest" });
  };

  /* Required fields left empty, as a validation problem; checked before spending a (rate-limited) call. */
  function missing(form) {
    var errors = {};
    $$("[required]", form).forEach(function (i) {
      if (i.closest("[hidden]")) return;
      if (i.type === "checkbox" ? !i.checked : !String(i.value).trim()) {
        errors[i.name] = [i.type === "checkbox" ? t("Please tick this box to continue.") : t("Please fill this in.")];
      }
    });
    return Object.keys(errors).length ? new ApiError(422, { code: "validation_error", errors: errors }) : null;
  }

  /* Submit a form: clear errors, check required fields, call `run`, show errors; returns the promise. */
  A.submit = function (form, run, fieldMap) {
    if (A.isBusy(form)) return Promise.resolve();
    var section = A.sectionOf(form), gap = missing(form);
    clearErrors(section);
    if (gap) { showError(section, gap); return Promise.resolve(); }
    A.busy(form, true);
    return Promise.resolve().then(run).catch(function (err) {
      if (!(err instanceof ApiError)) { console.error(err); err = new ApiError(500, null); }
      showError(section, err, fieldMap);
    }).then(function () { A.busy(form, false); });
  };
})(window.AuroraWidget);
