/* Aurora Concierge widget, returns: find the order, say why it can't be returned, or choose items and reasons. */
(function (A) {
  "use strict";
  var d = document, $ = A.$, $$ = A.$$, el = A.el, clear = A.clear, word = A.word, when = A.when, t = A.t;
  var section = $("#j-returns"), find = $("#return-find"), form = $("#return-form");
  var rows = $("[data-items]", form), result = $("[data-result]", section), order = null, n = 0;

  function nameOf(sku) {
    var hit = order.items.filter(function (i) { return i.sku === sku; })[0];
    return hit ? hit.name : sku;
  }

  function itemRow(item) {
    var node = d.importNode($("#tpl-return-item").content, true), id = "ri" + (++n);
    $("legend", node).textContent = A.nt("{name} ({n} bought)", "{name} ({n} bought)", item.quantity, { name: item.name });
    var pick = $("[data-pick]", node), qty = $("[data-qty]", node), reason = $("[data-reason]", node);
    pick.id = id + "-pick"; $("[data-pick-label]", node).htmlFor = pick.id;
    $("[data-pick-label]", node).textContent = t("Return {name}", { name: item.name });
    qty.id = id + "-qty"; $("[data-qty-label]", node).htmlFor = qty.id;
    $("[data-qty-label]", node).textContent = t("Quantity of {name}", { name: item.name });
    reason.id = id + "-reason"; $("[data-reason-label]", node).htmlFor = reason.id;
    $("[data-reason-label]", node).textContent = t("Reason for returning {name}", { name: item.name });
    for (var q = 1; q <= item.quantity; q++) qty.appendChild(el("option", { value: String(q), text: String(q) }));
    pick.dataset.sku = item.sku;
    return node;
  }

  find.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = A.formValues(find);
    A.carry.save("returns", { orderNumber: v.orderNumber });
    A.submit(find, function () {
      return A.api("POST", "/orders/lookup", A.factors(v)).then(function (r) {
        var can = r.data.returns || { eligible: true };
        if (!can.eligible) return refused(r.data, can, v);
        order = { data: A.factors(v), items: r.data.items };
        $("[data-until]", form).textContent = can.until ? t("You can return items until {date}.", { date: when(can.until) }) : "";
        clear(rows);
        r.data.items.forEach(function (i) { rows.appendChild(itemRow(i)); });
        $("[data-title]", form).textContent = t("Order {order}", { order: r.data.orderNumber });
        find.hidden = true; form.hidden = false; result.hidden = true;
        $("[data-title]", form).focus();
      });
    }, A.factorField);
  });

  /* Say why before any form: the lookup answer carries the same rules the return applies. */
  var WHY = {
    not_delivered: function (o) { return t("Order {order} hasn't been delivered yet ({status}). Returns open once it arrives.", { order: o.orderNumber, status: word(o.status).toLowerCase() }); },
    not_returnable: function (o) { return t("Order {order} holds only digital items, such as gift cards, which can't be returned.", { order: o.orderNumber }); },
    window_closed: function (o, can) { return t("Order {order} can no longer be returned: its return window closed on {date}.", { order: o.orderNumber, date: when(can.until) }); }
  };
  function refused(o, can, v) {
    var why = (WHY[can.reason] || WHY.window_closed)(o, can), nodes = [el("h3", { text: t("This order can't be returned") }), el("p", { text: why })];
    var actions = el("div", { class: "actions" });
    if (can.reason === "not_delivered") {
      var trackIt = el("button", { type: "button", class: "secondary", text: t("Track this order") });
      trackIt.addEventListener("click", function () { A.go("order_tracking", { orderNumber: o.orderNumber, factor: v.factor }); });
      actions.appendChild(trackIt);
    }
    actions.appendChild(el("a", { class: "button secondary", href: A.contactUrl(), target: "_blank", rel: "noopener", text: t("Contact customer care") }));
    var again = el("button", { type: "button", class: "secondary", text: t("Use another order") });
    again.addEventListener("click", function () { A.openers.returns({}); find.elements.orderNumber.focus(); });
    actions.appendChild(again);
    nodes.push(actions);
    find.hidden = true; form.hidden = true;
    A.showResult(section, nodes);
    A.announce(why);
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var items = [];
    $$("fieldset.line", rows).forEach(function (fs) {
      var pick = $("[data-pick]", fs);
      if (pick.checked) items.push({ sku: pick.dataset.sku, quantity: +$("[data-qty]", fs).value, reason: $("[data-reason]", fs).value });
    });
    A.clearErrors(section);
    var gap = !items.length ? t("Choose at least one item to return.") : items.some(function (i) { return !i.reason; }) ? t("Choose a reason for each item you return.") : null;
    if (gap) {
      /* Said aloud through the section's alert, and the keyboard taken to the items. */
      $("[data-error]", section).textContent = gap;
      $("[data-pick]", rows).focus();
      return;
    }
    var payload = Object.assign({}, order.data, { items: items });
    var comment = form.elements.comment.value.trim();
    if (comment) payload.comment = comment;
    var key = A.attemptKey("returns", payload);
    A.submit(form, function () {
      return A.api("POST", "/returns", payload, { "Idempotency-Key": key }).catch(function (err) {
        /* Name the items (never their SKUs) and say how many can still go back. */
        if (err.code === "return_quantity_exceeded" && err.problem.items) {
          err.problem.errors = { items: err.problem.items.map(function (i) {
            return i.returnable ? A.nt("You can return at most {n} of {name}.", "You can return at most {n} of {name}.", i.returnable, { name: nameOf(i.sku) })
              : t("{name} has already been returned.", { name: nameOf(i.sku) });
          }) };
        }
        throw err;
      }).then(function (r) {
        A.attemptDone("returns");
        var rma = r.data;
        form.hidden = true;
        A.showResult(section, [el("h3", { text: t("Return requested") }),
          el("p", {}, A.tn("Your return number is {rma}. Keep it: you'll need it when you send the items back.", { rma: el("strong", { text: rma.rmaNumber }) })),
          el("ul", { class: "lines" }, rma.items.map(function (i) { return el("li", { text: i.quantity + " × " + nameOf(i.sku) + " — " + word(i.reason) }); }))]);
        A.offerCsat(section, "returns", rma.rmaNumber);
        A.announce(t("Return {rma} requested.", { rma: rma.rmaNumber }));
        A.track("aurora_return_created", { rmaNumber: rma.rmaNumber, itemCount: rma.items.length });
      });
    }, function (key) { return /^items/.test(key) ? "items" : A.factorField(key); });
  });

  $("[data-restart]", form).addEventListener("click", function () { A.openers.returns({}); find.elements.orderNumber.focus(); });
  A.openers.returns = function (prefill) {
    find.hidden = false; form.hidden = true; result.hidden = true; A.clearErrors(section);
    A.prefillOrder(find, prefill.carried ? { orderNumber: prefill.carried.orderNumber } : prefill);
  };
})(window.AuroraWidget);
