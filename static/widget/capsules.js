/* Aurora Concierge widget, capsules: list them, hold one, show and release our own holds. */
(function (A) {
  "use strict";
  var $ = A.$, el = A.el, clear = A.clear, timeEl = A.timeEl, when = A.when, store = A.store, t = A.t;
  var section = $("#j-capsules"), list = $("[data-list]", section), form = $("#hold-form");
  var result = $("[data-result]", section), count = $("[data-count]", section), chosen = null;

  function render(items) {
    clear(list);
    var own = mine();
    items.forEach(function (c) {
      var full = c.available <= 0, hold = own[c.capsuleId], btn, state;
      if (hold) {
        /* Our own hold: say so and offer the release, whether or not the capsule is now full. */
        state = el("p", { class: "meta held" }, A.tn("Held for you until {time}", { time: timeEl(hold.expiresAt, true) }));
        btn = releaseButton(hold, hold.key, c.name);
      } else {
        btn = el("button", { type: "button", class: "small", disabled: full ? "disabled" : null },
          [full ? t("Fully held") : t("Hold"), el("span", { class: "sr-only", text: " " + c.name })]);
        btn.addEventListener("click", function () { choose(c); });
      }
      list.appendChild(el("li", { class: "card" }, [
        el("img", { src: c.imageUrl, alt: "", width: "64", height: "64" }),
        el("div", { class: "card-body" }, [
          el("h3", { class: "card-title", text: c.name }),
          el("p", { class: "meta", text: c.description }),
          el("p", { class: "meta", text: A.nt("{n} place left out of {capacity}", "{n} places left out of {capacity}", c.available, { capacity: c.capacity }) + " · " + A.nt("held for {n} hour", "held for {n} hours", c.holdHours) }),
          state, el("div", { class: "card-actions" }, [btn])])]));
    });
    count.textContent = A.nt("{n} capsule available to hold.", "{n} capsules available to hold.", items.length);
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
    $("[data-title]", form).textContent = t("Hold {name}", { name: c.name });
    form.hidden = false; result.hidden = true;
    A.clearErrors(section);
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
    var nodes = [el("h3", { text: again ? t("You already hold this capsule") : t("Capsule held") }),
      el("p", {}, A.tn("{name} is held for you until {time}.", { name: chosen ? chosen.name : hold.capsuleId, time: timeEl(hold.expiresAt, true) }))];
    if (hold.holdId) nodes.push(releaseButton(hold, key, chosen ? chosen.name : ""));
    A.showResult(section, nodes);
    A.announce((again ? t("Already held until {time}.", { time: when(hold.expiresAt, true) }) : t("Held until {time}.", { time: when(hold.expiresAt, true) })));
  }

  function releaseButton(hold, key, name) {
    var release = el("button", { type: "button", class: "secondary" }, [t("Release this hold"), el("span", { class: "sr-only", text: name ? " " + t("on {name}", { name: name }) : "" })]);
    release.addEventListener("click", function () {
      A.clearErrors(section);
      A.api("DELETE", "/capsule-holds/" + encodeURIComponent(hold.holdId)).then(function () {
        A.showResult(section, [el("p", { text: t("Hold released. Thanks for letting us know.") })]);
        A.announce(t("Hold released."));
        A.track("aurora_capsule_hold_released", { capsuleId: hold.capsuleId });
        remember(key, null);
        load();
      }, function (err) { A.showError(section, err); });
    });
    return release;
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = A.formValues(form), key = holdKey(v.capsuleId, v.email || "");
    A.submit(form, function () {
      return A.api("POST", "/capsule-holds", v).then(function (r) {
        remember(key, r.data);
        held(r.data, false, key);
        A.offerCsat(section, "capsules", r.data.capsuleId);
        A.track("aurora_capsule_held", { capsuleId: r.data.capsuleId, expiresAt: r.data.expiresAt });
        load();
      }, function (err) {
        if (err.code === "duplicate_hold" && err.problem.hold) {
          var hold = err.problem.hold;
          hold.holdId = hold.holdId || (holds()[key] || {}).holdId;
          held(hold, true, key);
          A.showError(section, err);
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
    if (!list.children.length) { A.skeletons(list, 3); count.textContent = t("Loading capsules…"); }
    return A.api("GET", "/capsules").then(function (r) { render(r.data.items); }, function (err) {
      if (list.querySelector(".skeleton")) { clear(list); count.textContent = ""; }
      A.showError(section, err);
    });
  }
  A.openers.capsules = function () { form.hidden = true; result.hidden = true; A.clearErrors(section); load(); };
})(window.AuroraWidget);
