/* Aurora Concierge widget, navigation: showing one journey at a time, the menu, the ask box's routing. */
(function (A) {
  "use strict";
  var $ = A.$, $$ = A.$$, state = A.state, openers = A.openers, track = A.track;

  A.contactUrl = function () { return (state.config && state.config.contactUrl) || document.body.getAttribute("data-contact-url"); };

  /* Show a journey (or the menu, or the fallback) and run its opener with what is already known. */
  var go = A.go = function (intent, prefill) {
    var target = $(intent === "menu" || intent === "fallback" ? "#" + intent : "#j-" + intent);
    if (!target) return;
    $$("main > section").forEach(function (s) { s.hidden = s !== target; });
    $("#back").hidden = intent === "menu" || intent === "fallback";
    state.current = intent;
    if (intent === "menu") A.carry.clear();  // back to the menu: the next page starts there too
    else if (intent !== "fallback") A.carry.enter(intent);
    if (intent === "human") {
      track("aurora_human_requested", {}, false);
    } else if (intent !== "menu" && intent !== "fallback") {
      if (intent !== "feedback") state.lastIntent = intent;
      track("aurora_intent_selected", { intent: intent }, true);
    }
    if (openers[intent]) openers[intent](prefill || {});
    $("h2", target).focus();
  };

  A.fallback = function () {
    $("#contact").href = A.contactUrl();
    go("fallback");
    track("aurora_fallback_shown", {}, true);
  };

  /* ---------- free text routing ---------- */
  /* Shoppers' words in every locale the widget speaks (en, fr, de, es), whichever is shown:
     a shopper may type in her own language on an English page. Word starts only, so
     accents are matched inside words (\b knows only ASCII letters). */
  var ROUTES = [
    /* What the widget cannot do itself (changing an address or an order, cancelling): the store's team can. */
    [/\b(chang|modif|updat|edit|correct|cancel|annul|änder|aender|korrigier|stornier|cambi|corrig|cancel).{0,40}\b(address|adresse|direcci|anschrift|deliver|livraison|liefer|entrega|env[ií]o|order|commande|bestellung|pedido)|\b(cancel|annuler|stornieren|cancelar)\b/i, "human", "unserved"],
    [/\b(human|person|people|someone|somebody|agent|staff|operator|customer (care|service)|call me|phone (you|us)|speak|talk to|contact (you|us)|humain|quelqu|conseill|parler|appelez|mensch|jemand|mitarbeiter|sprechen|anrufen|rufen sie|alguien|humano|hablar|ll[aá]m[ae]me)/i, "human"],
    [/\b(return|refund|send (it )?back|exchange|retour|rembours|renvoy|r[üu]cksend|r[üu]ckgabe|zur[üu]ck|erstatt|umtausch|devol|reembols)/i, "returns"],
    [/\b(capsule|hold|reserve|r[ée]serv|kapsel|c[aá]psula)/i, "capsules"],
    [/\b(stylist|styling|advice|appointment|book|conseil|rendez|stilberat|beratung|termin|buchen|estilista|asesor|cita)/i, "stylist"],
    [/\b(shortlist|saved|wish ?list|favou?rite|favori|merkliste|gemerkt|guardad)/i, "shortlist"],
    [/\b(photo|picture|inspiration|upload|image|foto|bild|hochlad|inspiraci|imagen|subir)/i, "inspiration"],
    [/\b(notif|subscribe|updates?|sms|text me|alert|abonn|benachricht|aviso|avisa|suscri)/i, "order_updates"],
    [/\b(feedback|rate|rating|review us|complain|avis|noter|plainte|bewert|beschwer|opini|valora|queja)/i, "feedback"],
    [/\b(track|where|deliver|shipping|parcel|package|order|suivi|suivre|o[uù] est|colis|livr|commande|sendung|paket|liefer|bestellung|verfolg|wo ist|pedido|paquete|env[ií]o|entrega|d[oó]nde|seguimiento)/i, "order_tracking"]
  ];
  function route(text) {
    var number = (text.match(/\b([A-Za-z]{2})\s*-?\s*(\d{4,8})\b/) || []);
    var orderNumber = number[1] ? number[1].toUpperCase() + "-" + number[2] : "";
    for (var i = 0; i < ROUTES.length; i++) {
      if (ROUTES[i][0].test(text)) {
        var intent = ROUTES[i][1];
        if (orderNumber && !/returns|order_updates|human/.test(intent)) intent = "order_tracking";
        if (ROUTES[i][2]) return { intent: intent, prefill: { orderNumber: orderNumber, unserved: true, message: text, topic: "order" } };
        return { intent: intent, prefill: { orderNumber: orderNumber } };
      }
    }
    if (orderNumber) return { intent: "order_tracking", prefill: { orderNumber: orderNumber } };
    /* The server reads the words (filler, filters, typos); the search box then keeps what it understood. */
    return { intent: "products", prefill: { q: text, understood: true } };
  }

  A.prefillOrder = function (form, prefill) {
    if (prefill.orderNumber) form.elements.orderNumber.value = prefill.orderNumber;
    if (prefill.factor) form.elements.factor.value = prefill.factor;
    var empty = ["orderNumber", "factor"].filter(function (n) { return !form.elements[n].value; })[0];
    if (prefill.orderNumber && empty) setTimeout(function () { form.elements[empty].focus(); });
  };

  /* ---------- the menu, the ask box, back, close ---------- */
  $$("[data-intent]").forEach(function (b) {
    b.addEventListener("click", function () { go(b.getAttribute("data-intent")); });
  });
  $$("[data-goto-journey]").forEach(function (b) {
    b.addEventListener("click", function () { go(b.getAttribute("data-goto-journey")); });
  });
  $$("[data-goto]").forEach(function (b) {
    b.addEventListener("click", function () { go(b.getAttribute("data-goto"), state.lastOrder || {}); });
  });
  $("#ask").addEventListener("submit", function (e) {
    e.preventDefault();
    var text = $("#ask-text").value.trim();
    if (!text) return $("#ask-text").focus();
    var r = route(text);
    if (r.intent !== "human") track("aurora_free_text_routed", { intent: r.intent }, true);
    go(r.intent, r.prefill);
  });
  $("#back").addEventListener("click", function () { go("menu"); });
  $("#close").hidden = !A.host;  // opened on its own, there is no launcher to return to
  /* Closed from inside: forget the journey now, as a link clicked next may leave the page before the
     host's "close" message arrives (main.js forgets it on that message too: the launcher, the page's API). */
  function close() { if (A.host) { A.carry.clear(); A.toHost({ type: "close" }); } }
  $("#close").addEventListener("click", close);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
})(window.AuroraWidget);
