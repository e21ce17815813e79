/* Aurora Concierge widget, talk to a person: a conversation with the store's team (POST /conversations),
 * its thread with unread marks when she comes back, a stylist request, or the store's contact page.
 *
 * The conversation's id and token are kept in localStorage only once she has written (API.md 25:
 * nothing is stored before she uses the widget); the token reads and continues that one thread.
 */
(function (A) {
  "use strict";
  var $ = A.$, el = A.el, t = A.t, KEY = "aurora.conversation";
  var section = $("#j-human"), form = $("#human-form"), thread = $("[data-thread]", section);
  var replyForm = $("#thread-form"), draft = {};

  function kept() {
    try { var c = JSON.parse(A.store.get(KEY) || "null"); return c && c.id && c.token ? c : null; } catch (e) { return null; }
  }
  A.rememberConversation = function (id, token) { if (id && token) A.store.set(KEY, JSON.stringify({ id: id, token: token })); };
  function forget() { A.store.del(KEY); }
  function call(method, path, data) {
    var c = kept();
    return A.api(method, "/conversations/" + encodeURIComponent(c.id) + path, data, { "Authorization": "Bearer " + c.token });
  }

  /* The menu's "Talk to a person" says how many of the store's answers she has not read. */
  function mark(n) {
    var button = $('#menu [data-goto-journey="human"]'), badge = $("[data-unread]", button);
    if (badge) badge.remove();
    if (n > 0) button.appendChild(el("span", { class: "unread-badge", "data-unread": "", text: A.nt("{n} new reply", "{n} new replies", n) }));
  }
  function check() {
    if (!kept()) return;
    call("GET", "").then(function (r) { mark(r.data.unread); }, function (err) { if (err.status === 404) forget(); });
  }

  function showThread(c, focus) {
    var list = $("[data-messages]", thread);
    A.clear(list);
    c.messages.forEach(function (m) {
      var who = m.from === "staff" ? (m.by || t("Our team")) : t("You");
      list.appendChild(el("li", { class: "from-" + m.from + (m.unread ? " unread" : "") }, [
        el("p", { class: "meta" }, [who + " · ", A.timeEl(m.at, true)].concat(m.unread ? [" ", el("strong", { class: "new", text: t("New") })] : [])),
        el("p", { class: "message", text: m.body })
      ]));
    });
    thread.hidden = false;
    form.hidden = true;
    $("[data-result]", section).hidden = true;
    if (c.unread) call("POST", "/read").then(function () { mark(0); }, function () { /* marked next time */ });
    if (focus) $("textarea", replyForm).focus();
  }

  function openForm(prefill) {
    thread.hidden = true;
    form.hidden = false;
    $("[data-result]", section).hidden = true;
    if (prefill.message) form.elements.message.value = prefill.message;
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = A.formValues(form), payload = { name: v.name || "", email: v.email || "", message: v.message || "", locale: A.lang, topic: draft.topic || "general" };
    if (draft.orderNumber) payload.orderNumber = draft.orderNumber;
    A.submit(form, function () {
      return A.api("POST", "/conversations", payload).then(function (r) {
        A.rememberConversation(r.data.conversationId, r.data.token);
        form.reset();
        form.hidden = true;
        A.showResult(section, [el("h3", { text: t("Message sent") }),
          el("p", { text: t("We reply {time}. We'll email you, and the answer shows here too.", { time: r.data.replyExpected }) })]);
        A.announce(t("Message sent"));
        A.track("aurora_conversation_started", { topic: payload.topic });
      });
    });
  });

  replyForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var body = (replyForm.elements.body.value || "").trim();
    A.submit(replyForm, function () {
      return call("POST", "/messages", { body: body }).then(function (r) {
        replyForm.reset();
        showThread(r.data, true);
        A.announce(r.data.reopened ? t("Reply sent. Your conversation is open again.") : t("Reply sent."));
      });
    });
  });

  $("[data-new-conversation]", section).addEventListener("click", function () { openForm({}); form.elements.name.focus(); });

  A.openers.human = function (prefill) {
    $("[data-contact]", section).href = A.contactUrl();
    var stylist = $("[data-human-stylist]");
    function offer() { stylist.hidden = !A.state.config || (A.state.config.intents || []).indexOf("stylist") < 0; }
    offer();
    // Opened before /config answered: offer the stylist once it says whether stylists take requests.
    if (!A.state.config && A.configured) A.configured.then(offer);
    draft = { topic: prefill.topic, orderNumber: prefill.orderNumber };
    $("[data-unserved]", section).hidden = !prefill.unserved;
    if (kept() && !prefill.unserved) {
      openForm({});
      call("GET", "").then(function (r) { showThread(r.data); }, function (err) { if (err.status === 404) forget(); });
    } else openForm(prefill);
  };

  setTimeout(function () { if (A.configured) A.configured.then(check); });
})(window.AuroraWidget);
