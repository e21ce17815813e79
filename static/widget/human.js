/* Aurora Concierge widget, talk to a person: a stylist ticket (when offered) or the store's contact page. */
(function (A) {
  "use strict";
  var $ = A.$;
  A.openers.human = function () {
    $("[data-contact]", $("#j-human")).href = A.contactUrl();
    $("[data-human-stylist]").hidden = !A.state.config || (A.state.config.intents || []).indexOf("stylist") < 0;
  };
})(window.AuroraWidget);
