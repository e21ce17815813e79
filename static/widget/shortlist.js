/* Aurora Concierge widget, shortlist: the saved list (shared with products and stylist) and its journey. */
(function (A) {
  "use strict";
  var $ = A.$, el = A.el, api = A.api, store = A.store, t = A.t;

  /* ---------- shortlist state (shared by products, shortlist, stylist) ---------- */
  var shortlist = A.shortlist = { id: store.get("aurora.shortlistId"), items: [] };

  /* Fetched once per visit; afterwards this page is the one changing it. */
  var loading = null;
  var loadShortlist = A.loadShortlist = function () {
    if (!shortlist.id) return Promise.resolve(shortlist);
    loading = loading || api("GET", "/shortlists/" + encodeURIComponent(shortlist.id)).then(function (r) {
      shortlist.items = r.data.items; return shortlist;
    }, function (err) {
      loading = null;
      if (err.code !== "shortlist_not_found") throw err;
      store.del("aurora.shortlistId"); shortlist.id = null; shortlist.items = [];
      return shortlist;
    });
    return loading;
  };

  /* Changes run one after another, each on the latest list, so quick clicks never lose an item. */
  var pending = Promise.resolve();
  var updateShortlist = A.updateShortlist = function (change) {
    var run = pending.then(function () {
      return saveShortlist(change(shortlist.items.map(function (p) { return p.sku; })));
    });
    pending = run.catch(function () { /* the caller shows the error */ });
    return run;
  };

  function saveShortlist(skus) {
    var call = shortlist.id
      ? api("PUT", "/shortlists/" + encodeURIComponent(shortlist.id), { skus: skus }).catch(function (err) {
        if (err.code !== "shortlist_not_found") throw err;
        return api("POST", "/shortlists", { skus: skus });
      })
      : api("POST", "/shortlists", { skus: skus });
    return call.then(function (r) {
      shortlist.id = r.data.shortlistId; shortlist.items = r.data.items;
      store.set("aurora.shortlistId", shortlist.id);
      loading = Promise.resolve(shortlist);
      A.track("aurora_shortlist_saved", { itemCount: shortlist.items.length });
      return shortlist;
    });
  }

  /* ---------- the shortlist journey ---------- */
  var section = $("#j-shortlist"), list = $("[data-list]", section), count = $("[data-count]", section);
  function render() {
    A.clear(list);
    shortlist.items.forEach(function (p) {
      var btn = el("button", { type: "button", class: "secondary small" }, [t("Remove"), el("span", { class: "sr-only", text: " " + p.name })]);
      btn.addEventListener("click", function () {
        A.clearErrors(section);
        var at = [].indexOf.call(list.children, btn.closest("li"));
        updateShortlist(function (skus) { return skus.filter(function (s) { return s !== p.sku; }); })
          .then(function () {
            render();
            A.announce(t("{name} removed.", { name: p.name }) + " " + count.textContent);
            /* Keep the keyboard where it was: the next item's Remove, else the list's heading. */
            var next = list.children[Math.min(at, list.children.length - 1)];
            (next ? $("button", next) : $("h2", section)).focus();
          }, function (err) { A.showError(section, err); });
      });
      list.appendChild(A.productCard(p, [btn]));
    });
    var n = shortlist.items.length;
    count.textContent = n ? A.nt("{n} item in your shortlist.", "{n} items in your shortlist.", n)
      : t("Your shortlist is empty. Save products from Find products.");
    $("[data-needs-items]", section).hidden = !n;
  }
  A.openers.shortlist = function () {
    A.clearErrors(section);
    loadShortlist().then(render, function (err) { A.showError(section, err); });
  };
})(window.AuroraWidget);
