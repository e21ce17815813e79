/* Aurora Concierge widget, products: search with filters and chips, product cards, shortlist toggles. */
(function (A) {
  "use strict";
  var $ = A.$, el = A.el, clear = A.clear, money = A.money, shortlist = A.shortlist, t = A.t;

  function inShortlist(sku) { return shortlist.items.some(function (p) { return p.sku === sku; }); }

  function toggleShortlist(product, button) {
    var section = A.sectionOf(button), adding = button.getAttribute("aria-pressed") !== "true";
    if (A.isBusy(button)) return;
    A.clearErrors(section);
    A.busy(button, true);
    return A.updateShortlist(function (skus) {
      skus = skus.filter(function (s) { return s !== product.sku; });
      return adding ? skus.concat(product.sku) : skus;
    }).then(function () {
      button.setAttribute("aria-pressed", String(adding));
      var vars = { name: product.name, n: shortlist.items.length };
      A.announce(adding ? t("{name} added to your shortlist ({n} saved).", vars) : t("{name} removed from your shortlist ({n} saved).", vars));
    }, function (err) { A.showError(section, err); }).then(function () { A.busy(button, false); });
  }

  /* The product's page opens in the store's own tab: the widget is only a guide to it. */
  function productLink(p) {
    if (!p.url) return p.name;
    return el("a", { href: new URL(p.url, location.href).href, target: A.host ? "_top" : "_self", text: p.name });
  }

  /* A variant of its own, or the one a product without variants is (every size and colour). */
  function fits(v, key, value) { return v[key] === null || v[key] === undefined || v[key] === value; }
  function state(vs) {
    var open = vs.filter(function (v) { return v.available; });
    return !open.length ? "out" : open.every(function (v) { return v.lowStock; }) ? "low" : "in";
  }
  var STATE_WORDS = { out: t("sold out"), low: t("only a few left") };

  /* "S, M (sold out), L": a size that is not simply in stock says so in words, for eyes and screen readers alike. */
  function sizesText(label, sizes, stateOf) {
    var parts = [label + " "];
    sizes.forEach(function (size, i) {
      var s = stateOf(size);
      if (i) parts.push(", ");
      parts.push(el("span", { class: "size " + s }, [el("span", { class: "size-name", text: size })].concat(
        s === "in" ? [] : [" (" + STATE_WORDS[s] + ")"])));
    });
    return parts;
  }

  function sizeLine(p) {
    var variants = p.variants || [];
    return el("p", { class: "meta sizes" }, sizesText(t("Sizes:"), p.sizes, function (size) {
      return state(variants.filter(function (v) { return fits(v, "size", size); }));
    }));
  }

  /* Each colour's sizes with their availability, behind a disclosure (products with variants only). */
  function variantDetails(p) {
    var own = (p.variants || []).filter(function (v) { return v.size !== null || v.color !== null; });
    if (own.length < 2) return null;
    var colours = own.map(function (v) { return v.color || ""; }).filter(function (c, i, all) { return all.indexOf(c) === i; });
    return el("details", { class: "variants" }, [el("summary", { text: t("Sizes and colours") })].concat(colours.map(function (colour) {
      var mine = own.filter(function (v) { return (v.color || "") === colour; });
      var sizes = mine.map(function (v) { return v.size || "—"; });
      return el("p", { class: "meta" }, sizesText((colour || "—") + ":", sizes, function (size) {
        return state(mine.filter(function (v) { return (v.size || "—") === size; }));
      }));
    })));
  }

  /* "Notify me" on sold-out variants: her email, in words that say what it is used for. */
  var forms = 0;
  function variantName(v) {
    return [v.color ? A.human(v.color) : null, v.size ? t("Size {size}", { size: v.size }) : null].filter(Boolean).join(", ") || v.name || v.sku;
  }
  function notifyMe(p) {
    var soldOut = (p.variants || []).filter(function (v) { return !v.available; });
    if (!soldOut.length) return null;
    var id = "nm" + (++forms), sku = el("select", { id: id + "-sku" }, soldOut.map(function (v) {
      return el("option", { value: v.sku, text: variantName(v.sku === p.sku ? { name: p.name } : v) });
    }));
    var email = el("input", { id: id + "-email", name: id + "-email", type: "email", required: "required", autocomplete: "email", maxlength: "254" });
    var form = el("form", { class: "notify", novalidate: "novalidate" }, [
      el("div", { class: "field" }, [el("label", { for: sku.id, text: t("Sold out:") }), sku]),
      el("div", { class: "field" }, [el("label", { for: email.id, text: t("Your email") }), email,
        el("p", { class: "field-error", "data-field-error": email.name })]),
      el("p", { class: "hint", id: id + "-consent", text: t("One email when it's back, then your address is forgotten. One-click unsubscribe.") }),
      el("button", { type: "submit", "aria-describedby": id + "-consent", text: t("Notify me") })]);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      A.submit(form, function () {
        var chosen = sku.options[sku.selectedIndex].textContent;
        return A.api("POST", "/stock-alerts", { email: email.value.trim(), sku: sku.value, locale: A.lang.slice(0, 2) }).then(function () {
          var done = el("p", { class: "notify-done", tabindex: "-1", text: t("Done: we'll email {email} once when {variant} is back.", { email: email.value.trim(), variant: chosen }) });
          form.parentNode.replaceChild(done, form);
          done.focus();
          A.announce(done.textContent);
          A.track("aurora_stock_alert_created", { sku: sku.value });
        });
      }, function (key) { return key === "email" ? email.name : null; });
    });
    return el("details", { class: "notify-me" }, [el("summary", { text: t("Notify me when it's back") }), form]);
  }

  A.productCard = function (p, actions) {
    return el("li", { class: "card" }, [
      el("img", { src: p.imageUrl, alt: "", width: "64", height: "64", loading: "lazy" }),
      el("div", { class: "card-body" }, [
        el("h3", { class: "card-title" }, [productLink(p)]),
        el("p", { class: "meta", text: money(p.price) + (p.inStock === false ? " · " + t("Out of stock") : "") }),
        p.colors && p.colors.length ? el("p", { class: "meta", text: p.colors.join(", ") }) : null,
        p.sizes && p.sizes.length ? sizeLine(p) : null,
        variantDetails(p),
        notifyMe(p),
        el("div", { class: "card-actions" }, actions)
      ])
    ]);
  };

  var section = $("#j-products"), form = $("#products-form"), list = $("[data-list]", section);
  var more = $("[data-more]", section), count = $("[data-count]", section), query = null, page = 1;
  var chips = $("[data-chips]", section), rewrite = false;

  function params() {
    var v = A.formValues(form), q = new URLSearchParams();
    ["q", "category", "color", "size"].forEach(function (k) { if (v[k]) q.set(k, v[k]); });
    /* "Best match" is the default: left out, the words may still ask for the cheapest first ("pas cher"). */
    if (v.sort && v.sort !== "relevance") q.set("sort", v.sort);
    q.set("locale", A.lang);  // the words are read in the widget's language
    ["minPrice", "maxPrice"].forEach(function (k) {
      if (v[k] !== undefined) q.set(k, isNaN(+v[k]) ? v[k] : String(Math.round(+v[k] * 100)));
    });
    if (v.inStock) q.set("inStock", "true");
    q.set("pageSize", "8");
    return q;
  }

  function render(items, append) {
    if (!append) clear(list);
    items.forEach(function (p) {
      var btn = el("button", { type: "button", class: "secondary small", "aria-pressed": String(inShortlist(p.sku)) },
        [t("Shortlist"), el("span", { class: "sr-only", text: " " + p.name })]);
      btn.addEventListener("click", function () { toggleShortlist(p, btn); });
      list.appendChild(A.productCard(p, [btn]));
    });
  }

  function search(append) {
    query.set("page", String(page));
    if (!append) { A.skeletons(list, 3); count.textContent = t("Searching…"); more.hidden = true; }
    return A.api("GET", "/products?" + query.toString()).then(function (r) {
      var res = r.data;
      render(res.items, append);
      var shown = Math.min(res.page * res.pageSize, res.total);
      count.textContent = res.total ? A.nt("Showing {shown} of {n} product.", "Showing {shown} of {n} products.", res.total, { shown: shown })
        : nothing(res);
      more.hidden = shown >= res.total;
      if (!append) {
        understood(res.interpretation || { parts: [] });
        counts(res.facets || {});
        A.carry.save("products", { values: A.formValues(form) });  // after the words were rewritten
        A.track("aurora_products_searched", { resultCount: res.total, category: query.get("category") || "" });
      }
    }, function (err) {
      if (!append) { clear(list); count.textContent = ""; }
      throw err;
    });
  }

  /* Nothing matched: say so plainly, then what the products shown instead leave out (only
     conditions this search had); suggest fewer filters only when the shopper set some. */
  var WIDER = {
    inStock: function () { return t("Here they are with sold-out ones included."); },
    sizes: function () { return t("Here they are in other sizes."); },
    minPrice: function () { return t("Here they are at other prices."); },
    maxPrice: function () { return t("Here they are at other prices."); },
    colors: function () { return t("Here they are in other colours."); },
    category: function () { return t("Here they are in other categories."); },
    terms: function (value) { return t("Here they are without “{word}”.", { word: value }); }
  };
  function nothing(res) {
    var q = query.get("q"), relaxed = res.relaxed || [];
    var said = q ? t("No products match “{q}”.", { q: q }) : t("No products match your filters.");
    if (relaxed.length) {
      var wider = relaxed.map(function (r) { return WIDER[r.field] ? WIDER[r.field](r.value) : ""; });
      return [said].concat(wider.filter(function (w, i) { return w && wider.indexOf(w) === i; })).join(" ");
    }
    var filtered = ["category", "color", "size", "minPrice", "maxPrice", "inStock"].some(function (k) { return query.has(k); })
      || ((res.interpretation || {}).parts || []).some(function (p) { return p.field !== "terms" && p.field !== "sort"; });
    return said + " " + (filtered ? t("Try fewer filters.") : t("Try other words."));
  }

  /* What the words were read as, one removable chip each (removing drops those words from the search). */
  function chipLabel(part) {
    var v = part.label || part.value, price = function (m) { return money({ amount: m, currency: document.getElementById("products-form").getAttribute("data-currency") }).replace(/[.,]00(?=\D*$)/, ""); };
    if (part.field === "terms") return "\u201c" + v + "\u201d";
    if (part.field === "category") return t("Category: {value}", { value: v });
    if (part.field === "colors") return t("Colour: {value}", { value: part.text.toLowerCase() + (v.length > 1 ? " (" + v.filter(function (c) { return c !== part.text.toLowerCase(); }).join(", ") + ")" : "") });
    if (part.field === "sizes") return t("Size: {value}", { value: v.join(", ") });
    if (part.field === "maxPrice") return t("Up to {price}", { price: price(v) });
    if (part.field === "minPrice") return t("From {price}", { price: price(v) });
    if (part.field === "price") return price(v.minPrice) + "\u2013" + price(v.maxPrice);
    if (part.field === "sort") return t("Cheapest first");
    return v ? t("In stock") : t("Out of stock");
  }
  function understood(reading) {
    var parts = reading.parts || [];
    if (rewrite) form.elements.q.value = parts.map(function (p) { return p.text; }).join(" ");
    rewrite = false;
    clear(chips);
    chips.hidden = !parts.length;
    parts.forEach(function (part) {
      var label = chipLabel(part), fixed = (reading.corrections || {})[part.text.toLowerCase()];
      var chip = el("button", { type: "button", class: "chip", "aria-label": t("Remove {label}", { label: label }), title: fixed ? t("You typed {text}", { text: part.text }) : null },
        [label, el("span", { "aria-hidden": "true", text: " \u00d7" })]);
      chip.addEventListener("click", function () {
        form.elements.q.value = form.elements.q.value.replace(part.text, " ").replace(/\s+/g, " ").trim();
        form.elements.q.focus();  // the chip goes away with the new answer: keep the keyboard in the form
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
      });
      chips.appendChild(el("li", {}, [chip]));
    });
  }

  /* Facet counts over the whole result, next to each filter option. */
  function counts(facets) {
    [["category", "category"], ["color", "colors"], ["size", "sizes"]].forEach(function (pair) {
      var found = facets[pair[1]] || {};
      [].forEach.call(form.elements[pair[0]].options, function (o) {
        if (!o.value) return;
        o.label = o.text + " (" + (found[o.value] || 0) + ")";  // .text keeps the plain value
      });
    });
  }

  /* Type-ahead: the search box is an ARIA combobox over a listbox of suggestions (up and
     down arrows move, Enter picks, Escape closes); picking one searches for it. */
  var box = form.elements.q, pending = 0, timer = null, later = null, active = -1;
  var options = el("ul", { id: "products-suggestions", class: "suggestions", role: "listbox", "aria-label": t("Suggestions"), hidden: "" });
  box.parentNode.insertBefore(options, box.nextSibling);
  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", options.id);
  box.setAttribute("aria-expanded", "false");
  var KINDS = { category: t("Category"), query: t("Search"), product: t("Product") };
  function closeSuggestions() {
    options.hidden = true; active = -1;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
  }
  function dismiss() {  // closed, and an answer still on its way stays shut
    clearTimeout(timer); pending++; closeSuggestions();
  }
  function pick(s) {
    box.value = s.text;
    dismiss();
    form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
  }
  function highlight(n) {
    var items = options.children;
    if (!items.length) return;
    active = (n + items.length) % items.length;
    [].forEach.call(items, function (li, i) { li.setAttribute("aria-selected", String(i === active)); });
    box.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }
  function showSuggestions(list) {
    clearTimeout(later);  // the box has its focus back: a close planned at the blur is stale
    clear(options);
    list.forEach(function (s, i) {
      var li = el("li", { id: "products-suggestion-" + i, role: "option", "aria-selected": "false", class: "suggestion " + s.kind },
        [el("span", { text: s.text }), el("span", { class: "kind", text: KINDS[s.kind] || "" })]);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(s); });  // before the box loses focus
      options.appendChild(li);
    });
    options.hidden = !list.length; active = -1;
    box.setAttribute("aria-expanded", String(!!list.length));
    box.removeAttribute("aria-activedescendant");
  }
  box.addEventListener("input", function () {
    clearTimeout(timer);
    var text = box.value.trim(), mine = ++pending;
    if (!text || text.length > 50) return closeSuggestions();
    timer = setTimeout(function () {
      A.api("GET", "/products/suggest?" + new URLSearchParams({ q: text, locale: A.lang }).toString()).then(function (r) {
        if (mine === pending && document.activeElement === box) showSuggestions(r.data.suggestions || []);
      }, function () { if (mine === pending) closeSuggestions(); });  // suggestions are a help: a failure shows none
    }, 120);
  });
  box.addEventListener("keydown", function (e) {
    var open = !options.hidden;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!open) return;
      e.preventDefault();
      highlight(active + (e.key === "ArrowDown" ? 1 : active < 0 ? 0 : -1));
    } else if (e.key === "Escape") {
      if (open) { e.preventDefault(); e.stopPropagation(); }  // closes the list, not the widget
      dismiss();  // and no answer still on its way opens it again
    } else if (e.key === "Enter" && open && active >= 0) {
      e.preventDefault();
      var chosen = options.children[active];
      pick({ text: chosen.firstChild.textContent });
    }
  });
  /* The list sits in the flow above the button: closing it as the box loses focus (the
     button's mousedown) would move the button from under the pointer before its mouseup. */
  box.addEventListener("blur", function () { clearTimeout(timer); pending++; later = setTimeout(closeSuggestions, 300); });
  form.addEventListener("submit", dismiss);

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    A.submit(form, function () { query = params(); page = 1; return A.loadShortlist().then(function () { return search(false); }); });
  });
  more.addEventListener("click", function () {
    page += 1;
    var before = list.children.length;
    A.submit(form, function () {
      return search(true).then(function () {
        /* The button may now be hidden: carry on from the first new product. */
        var next = list.children[before];
        if (next) $("a, button", next).focus();
      });
    });
  });
  A.openers.products = function (prefill) {
    var kept = (prefill.carried || {}).values;
    if (kept) {
      /* Back after a page change: the same search and filters, searched again. */
      ["q", "category", "color", "size", "minPrice", "maxPrice"].forEach(function (k) { form.elements[k].value = kept[k] || ""; });
      form.elements.sort.value = kept.sort || form.elements.sort.options[0].value;
      form.elements.inStock.checked = !!kept.inStock;
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    } else if (prefill.q !== undefined) {
      form.elements.q.value = prefill.q;
      rewrite = !!prefill.understood;
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  };
})(window.AuroraWidget);
