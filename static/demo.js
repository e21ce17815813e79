/* Demo storefront: shows the events Aurora Concierge relays to the host page.
 * Uses the queue stub, so it works whether it runs before or after the async loader. */
window.dataLayer = window.dataLayer || [];
window.AuroraConcierge = window.AuroraConcierge || { q: [] };
window.AuroraConcierge.q.push(["on", "*", function (event) {
  var log = document.getElementById("event-log");
  if (!log) return;
  var item = document.createElement("li");
  item.textContent = event.name + " " + JSON.stringify(event.props);
  log.appendChild(item);
}]);
