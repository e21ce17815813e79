/* Aurora Concierge widget, returns: find the order, say why it can't be returned, or choose items, reasons and what each becomes (exchange, store credit, refund). */
(function (A) {
  "use strict";
  var d = document, $ = A.$, $$ = A.$$, el = A.el, clear = A.clear, word = A.word, when = A.when, t = A.t;
  var section = $("#j-returns"), find = $("#return-find"), form = $("#return-form");
  var rows = $("[data-items]", form), result = $("[data-result]", section), order = null, n = 0;
  var bonus = +form.getAttribute("data-bonus") || 0;

  function nameOf(sku) {
    var hit = order.items.filter(function (i) { return i.sku === sku; })[0];
    return hit ? hit.name : sku;
  }

  /* "Size M, Black": how a variant is told apart from its siblings. */
  function variantName(v) {
    return [v.size ? t("Size {size}", { size: v.size }) : null, v.color ? A.human(v.color) : null].filter(Boolean).join(", ") || v.sku;
  }

  function creditText(item, qty) {
    var amount = { amount: Math.floor(item.price.amount * qty * (100 + bonus) / 100), currency: item.price.currency };
    return bonus ? t("Store credit of {amount} ({bonus}% more than a refund)", { amount: A.money(amount), bonus: bonus })
      : t("Store credit of {amount}", { amount: A.money(amount) });
  }

  /* Offer the exchange first when another size or colour is in stock, then credit, then a refund. */
  function offerExchange(fs, skus) {
    var select = $("[data-exchange]", fs), option = $('[data-option="exchange"]', fs);
    clear(select);
    (skus || []).forEach(function (v) { select.appendChild(el("option", { value: v.sku, text: variantName(v) })); });
    option.hidden = !select.options.length;
    var radio = $("input", option);
    if (!option.hidden && !fs.touched) radio.checked = true;
    if (option.hidden && radio.checked) $('[data-option="refund"] input', fs).checked = true;
    $("[data-exchange-field]", fs).hidden = option.hidden || !radio.checked;
  }

  function loadAlternatives(fs, item) {
    return A.api("GET", "/products/" + encodeURIComponent(item.sku)).then(function (r) {
      var own = (r.data.variants || []).filter(function (v) { return v.sku === item.sku; })[0];
      fs.variants = own ? (r.data.variants || []).filter(function (v) { return v.available && v.sku !== item.sku; }) : [];
      offerExchange(fs, fs.variants);
    }, function () { offerExchange(fs, []); });
  }

  function itemRow(item) {
    var node = d.importNode($("#tpl-return-item").content, true), id = "ri" + (++n), fs = $("fieldset.line", node);
    var left = item.returnable === undefined ? item.quantity : item.returnable;
    $("legend", node).textContent = A.nt("{name} ({n} bought)", "{name} ({n} bought)", item.quantity, { name: item.name });
    var pick = $("[data-pick]", node), qty = $("[data-qty]", node), reason = $("[data-reason]", node);
    pick.id = id + "-pick"; $("[data-pick-label]", node).htmlFor = pick.id;
    $("[data-pick-label]", node).textContent = t("Return {name}", { name: item.name });
    qty.id = id + "-qty"; $("[data-qty-label]", node).htmlFor = qty.id;
    $("[data-qty-label]", node).textContent = t("Quantity of {name}", { name: item.name });
    reason.id = id + "-reason"; $("[data-reason-label]", node).htmlFor = reason.id;
    $("[data-reason-label]", node).textContent = t("Reason for returning {name}", { name: item.name });
    for (var q = 1; q <= left; q++) qty.appendChild(el("option", { value: String(q), text: String(q) }));
    pick.dataset.sku = item.sku;
    /* What was returned already is shown greyed out, never offered and refused after submit. */
    if (!left) {
      fs.classList.add("returned");
      pick.disabled = qty.disabled = reason.disabled = true;
      $("[data-resolution]", node).hidden = true;
      var done = $("[data-done]", node);
      done.hidden = false;
      done.textContent = item.returnable === 0 && item.quantity ? t("Already returned, or can't be returned.") : "";
      return node;
    }
    var group = id + "-resolution";
    $("[data-resolution-legend]", node).textContent = t("What would you like for {name}?", { name: item.name });
    ["exchange", "store_credit", "refund"].forEach(function (value) {
      var box = $('[data-option="' + value + '"]', node), radio = $("input", box);
      radio.name = group; radio.id = group + "-" + value; $("label", box).htmlFor = radio.id;
      radio.addEventListener("change", function () { fs.touched = true; $("[data-exchange-field]", fs).hidden = !$('[data-option="exchange"] input', fs).checked || $('[data-option="exchange"]', fs).hidden; });
    });
    var select = $("[data-exchange]", node);
    select.id = id + "-exchange"; $("[data-exchange-label]", node).htmlFor = select.id;
    $("[data-exchange-label]", node).textContent = t("Exchange {name} for", { name: item.name });
    var credit = $("[data-credit-label]", node), showCredit = function () { credit.textContent = creditText(item, +qty.value); };
    if (item.price) { qty.addEventListener("change", showCredit); showCredit(); } else $('[data-option="store_credit"]', node).hidden = true;
    $('[data-option="refund"] input', node).checked = true;
    loadAlternatives(fs, item);
    return node;
  }

  var OUTCOME = {
    exchange: function (i) { return t("exchange for {variant}, set aside for you", { variant: i.variantName || i.exchangeSku }); },
    store_credit: function (i) { return t("store credit of {amount}", { amount: A.money(i.creditAmount) }); },
    refund: function () { return t("refund"); }
  };
  function nextSteps(rma) {
    var node = d.importNode($("#tpl-return-next").content, true);
    $("[data-step-mark]", node).textContent = t("Pack the items and write {rma} on the parcel.", { rma: rma.rmaNumber });
    return el("div", { class: "next-steps" }, [node]);
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
      if (!pick.checked || pick.disabled) return;
      var chosen = $("[data-resolution] input:checked", fs), line = { sku: pick.dataset.sku, quantity: +$("[data-qty]", fs).value, reason: $("[data-reason]", fs).value };
      line.resolution = chosen ? chosen.value : "refund";
      if (line.resolution === "exchange") line.exchangeSku = $("[data-exchange]", fs).value;
      items.push(line);
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
        if (err.code === "exchange_unavailable") {
          /* Sold meanwhile: offer what is left of that item, or credit and refund. */
          $$("fieldset.line", rows).forEach(function (fs) {
            if ($("[data-exchange]", fs).value !== err.problem.sku) return;
            var left = (fs.variants || []).filter(function (v) { return (err.problem.alternatives || []).indexOf(v.sku) >= 0; });
            offerExchange(fs, left);
          });
        }
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
        var names = {};
        $$("[data-exchange] option", rows).forEach(function (o) { names[o.value] = o.textContent; });
        A.showResult(section, [el("h3", { text: t("Return requested") }),
          el("p", {}, A.tn("Your return number is {rma}. Keep it: you'll need it when you send the items back.", { rma: el("strong", { text: rma.rmaNumber }) })),
          el("ul", { class: "lines" }, rma.items.map(function (i) {
            i.variantName = names[i.exchangeSku];
            return el("li", { text: i.quantity + " × " + nameOf(i.sku) + " — " + word(i.reason) + " — " + (OUTCOME[i.resolution] || OUTCOME.refund)(i) });
          })), nextSteps(rma)]);
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
