/* Aurora Concierge widget, inspiration: preview and upload a photo of a look, with consent. */
(function (A) {
  "use strict";
  var $ = A.$, el = A.el, ApiError = A.ApiError, t = A.t;
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
    A.clearErrors(section);
    var file = input.files[0], errs = {};
    if (!file) errs.image = [t("Choose a photo to upload.")];
    else if (file.size > MAX) errs.image = [A.MESSAGES.payload_too_large];
    if (!form.elements.consent.checked) errs.consent = [t("Please confirm you agree before uploading.")];
    if (Object.keys(errs).length) return A.showError(section, new ApiError(422, { code: "validation_error", errors: errs }));
    var data = new FormData();
    data.append("image", file);
    data.append("caption", form.elements.caption.value.trim());
    data.append("consent", "true");
    A.submit(form, function () {
      return A.api("POST", "/inspiration", data).then(function (r) {
        form.reset(); preview.hidden = true; form.hidden = true;
        A.showResult(section, [el("h3", { text: t("Thanks for sharing") }),
          el("p", { text: t("Your photo ({width} × {height}) is waiting for review by our stylists.", { width: r.data.width, height: r.data.height }) })]);
        A.offerCsat(section, "inspiration");
        A.announce(t("Photo uploaded and pending review."));
        A.track("aurora_inspiration_uploaded", { moderationStatus: r.data.moderationStatus });
      });
    });
  });
  A.openers.inspiration = function () { form.hidden = false; $("[data-result]", section).hidden = true; };
})(window.AuroraWidget);
