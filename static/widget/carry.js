/* Aurora Concierge widget, carry-on: the journey on screen, and what a shopper would hate to lose in it,
 * survive a page change on the storefront (the loader makes a new iframe on every page).
 *
 * Kept in this frame's sessionStorage (this tab only, gone with it), never a secret: an order's email or
 * postal code is not kept, so a restored order shows what was on screen and asks for it again to act.
 * Cleared when the shopper goes back to the menu or closes the widget.
 */
(function (A) {
  "use strict";
  var memory = {};
  var tab = A.tab = {
    get: function (k) { try { return JSON.parse(sessionStorage.getItem(k)); } catch (e) { return memory[k] || null; } },
    set: function (k, v) { try { sessionStorage.setItem(k, JSON.stringify(v)); } catch (e) { memory[k] = v; } },
    del: function (k) { try { sessionStorage.removeItem(k); } catch (e) { delete memory[k]; } }
  };
  var KEY = "aurora.journey";

  A.carry = {
    /* A journey is shown: keep what was saved for it, forget another journey's. */
    enter: function (intent) {
      var c = tab.get(KEY);
      if (!c || c.intent !== intent) tab.set(KEY, { intent: intent, data: {} });
    },
    /* Replace what is kept for the journey, if it is still the one on screen. */
    save: function (intent, data) {
      var c = tab.get(KEY);
      if (c && c.intent === intent) tab.set(KEY, { intent: intent, data: data || {} });
    },
    read: function () { return tab.get(KEY); },
    clear: function () { tab.del(KEY); }
  };
})(window.AuroraWidget);
