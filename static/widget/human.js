/* Aurora Concierge widget, talk to a person: a stylist ticket (when offered) or the store's contact page. */
(function (A) {
  "use strict";
  var $ = A.$;
  A.openers.human = function () {
    $("[data-contact]", $("#j-human")).href = A.contactUrl();
    var stylist = $("[data-human-stylist]");
    function offer() { stylist.hidden = !A.state.config || (A.state.config.intents || []).indexOf("stylist") < 0; }
    offer();
    // Opened before /config answered: offer the stylist once it says whether stylists take requests.
    if (!A.state.config && A.configured) A.configured.then(offer);
  };
})(window.AuroraWidget);
