"""Build docs/postman/aurora-concierge.postman_collection.json (Postman v2.1).

Edit the requests here, then run: .venv/bin/python docs/postman/build_collection.py
"""

# ruff: noqa: E501 - the JavaScript test scripts read best on one line each
import json
import sys
from pathlib import Path

OUT = Path(__file__).with_name("aurora-concierge.postman_collection.json")


def req(name, method, path, tests, body=None, headers=None, query=None, api=True,
        prerequest=None, formdata=None, description="", text=None):
    """Return one request with its test script (and optional pre-request script)."""
    raw_path = ("/api/concierge" if api else "") + path
    segs = raw_path.strip("/").split("/")
    url = {"raw": "{{baseUrl}}" + raw_path + (("?" + "&".join(f"{k}={v}" for k, v in query)) if query else ""),
           "host": ["{{baseUrl}}"], "path": segs}
    if query:
        url["query"] = [{"key": k, "value": v} for k, v in query]
    hdrs = [{"key": "X-Concierge-Session", "value": "{{sessionId}}"}]
    for k, v in (headers or {}).items():
        hdrs.append({"key": k, "value": v})
    r = {"method": method, "header": hdrs, "url": url}
    if description:
        r["description"] = description
    if body is not None:
        hdrs.append({"key": "Content-Type", "value": "application/json"})
        r["body"] = {"mode": "raw", "raw": json.dumps(body, indent=2) if not isinstance(body, str) else body,
                     "options": {"raw": {"language": "json"}}}
    if text is not None:
        hdrs.append({"key": "Content-Type", "value": "application/x-www-form-urlencoded"})
        r["body"] = {"mode": "raw", "raw": text}
    if formdata is not None:
        r["body"] = {"mode": "formdata", "formdata": formdata}
    events = [{"listen": "test", "script": {"type": "text/javascript", "exec": tests.strip().split("\n")}}]
    if prerequest:
        events.insert(0, {"listen": "prerequest", "script": {"type": "text/javascript", "exec": prerequest.strip().split("\n")}})
    return {"name": name, "event": events, "request": r, "response": []}

def status(code, text):
    """Return the test lines for a success status."""
    return f'pm.test("status {code} {text}", () => pm.response.to.have.status({code}));\n'

def problem(code, status_code):
    """Return the test lines for a problem+json error answer."""
    return (f'pm.test("status {status_code}", () => pm.response.to.have.status({status_code}));\n'
            f'pm.test("problem+json {code}", () => {{\n'
            f'  pm.expect(pm.response.headers.get("Content-Type")).to.include("application/problem+json");\n'
            f'  const b = pm.response.json();\n'
            f'  pm.expect(b.code).to.eql("{code}");\n'
            f'  pm.expect(b.status).to.eql({status_code});\n'
            f'  pm.expect(b).to.have.property("title");\n'
            f'  pm.expect(b).to.have.property("requestId");\n'
            f'}});\n')

TRACK = {"orderNumber": "GG-11982", "email": "avery.stone@example.com"}
RET = {"orderNumber": "GG-10457", "email": "jordan.lee@example.com",
       "items": [{"sku": "{{returnSku}}", "quantity": 1, "reason": "too_large"}],
       "comment": "Postman collection run"}

folders = []

folders.append({"name": "Health, config, spec", "item": [
    req("Health", "GET", "/health", status(200, "OK") + '''
pm.test("status ok, database ok; the version for the admin token only", () => {
  const b = pm.response.json();
  pm.expect(b.status).to.eql("ok");
  pm.expect(b.database).to.eql("ok");
  pm.expect(b).to.not.have.property("version");
});'''),
    req("Config for this session", "GET", "/config", status(200, "OK") + '''
pm.test("flag and nine intents", () => {
  const b = pm.response.json();
  pm.expect(b.realEndpointsEnabled).to.be.a("boolean");
  pm.expect(b.intents).to.eql(["products","order_tracking","returns","capsules","shortlist","stylist","inspiration","order_updates","feedback"]);
  pm.expect(b.locale).to.eql("en");
});'''),
    req("OpenAPI document", "GET", "/openapi.json", status(200, "OK") + '''
pm.test("OpenAPI 3 with the contract paths", () => {
  const b = pm.response.json();
  pm.expect(b.openapi).to.match(/^3\\./);
  ["/api/concierge/orders/lookup", "/api/concierge/returns", "/api/concierge/capsule-holds"].forEach(p =>
    pm.expect(Object.keys(b.paths)).to.include(p));
});'''),
]})

folders.append({"name": "Products", "item": [
    req("Search products", "GET", "/products", status(200, "OK") + '''
const b = pm.response.json();
pm.test("page of products with total", () => {
  pm.expect(b.items).to.be.an("array").that.is.not.empty;
  pm.expect(b.total).to.be.a("number");
  pm.expect(b.page).to.eql(1);
  pm.expect(b.pageSize).to.eql(5);
  ["sku","name","category","price","colors","sizes","imageUrl","url","inStock"].forEach(f =>
    pm.expect(b.items[0]).to.have.property(f));
  pm.expect(b.items[0].price.amount).to.be.a("number");
});
pm.collectionVariables.set("sku", b.items[0].sku);
pm.collectionVariables.set("sku2", b.items[1] ? b.items[1].sku : b.items[0].sku);''',
        query=[("q", "coat"), ("sort", "price_asc"), ("pageSize", "5")]),
    req("Suggest while typing", "GET", "/products/suggest", status(200, "OK") + '''
pm.test("at most 8 suggestions, products with their sku", () => {
  const s = pm.response.json().suggestions;
  pm.expect(s).to.be.an("array").that.is.not.empty;
  pm.expect(s.length).to.be.at.most(8);
  s.filter(x => x.kind === "product").forEach(x => pm.expect(x.sku).to.be.a("string"));
});''', query=[("q", "cashm"), ("locale", "fr")]),
    req("Product detail", "GET", "/products/{{sku}}", status(200, "OK") + '''
pm.test("product with description", () => {
  const b = pm.response.json();
  pm.expect(b.sku).to.eql(pm.collectionVariables.get("sku"));
  pm.expect(b.description).to.be.a("string").that.is.not.empty;
});'''),
    req("Unknown product", "GET", "/products/NO-SUCH-SKU", problem("product_not_found", 404)),
    req("Bad query value", "GET", "/products", problem("validation_error", 422) + '''
pm.test("per-field errors", () => pm.expect(pm.response.json().errors).to.have.property("pageSize"));''',
        query=[("pageSize", "500")]),
]})

folders.append({"name": "Order tracking", "item": [
    req("Lookup by email", "POST", "/orders/lookup", status(200, "OK") + '''
pm.test("order with ordered timeline", () => {
  const b = pm.response.json();
  pm.expect(b.orderNumber).to.eql("GG-11982");
  ["status","placedAt","estimatedDelivery","carrier","trackingNumber","items","timeline"].forEach(f =>
    pm.expect(b).to.have.property(f));
  pm.expect(b.timeline.length).to.be.at.least(4);
  const times = b.timeline.map(e => Date.parse(e.at));
  pm.expect(times).to.eql([...times].sort((x, y) => x - y));
});''', body=TRACK),
    req("Lookup by postal code", "POST", "/orders/lookup", status(200, "OK") + '''
pm.test("same order", () => pm.expect(pm.response.json().orderNumber).to.eql("GG-11982"));''',
        body={"orderNumber": "gg-11982", "postalCode": "10001"}),
    req("Wrong email (same 404 as unknown order)", "POST", "/orders/lookup",
        problem("order_not_found", 404), body={"orderNumber": "GG-11982", "email": "someone@example.com"}),
    req("No secondary factor", "POST", "/orders/lookup", problem("validation_error", 422),
        body={"orderNumber": "GG-11982"}),
    req("Form post is refused", "POST", "/orders/lookup", problem("unsupported_media_type", 415),
        text="orderNumber=GG-11982&email=avery.stone%40example.com"),
    req("Malformed JSON", "POST", "/orders/lookup", problem("malformed_json", 400),
        body='{"orderNumber": '),
]})

folders.append({"name": "Returns", "item": [
    req("Returnable order's items", "POST", "/orders/lookup", status(200, "OK") + '''
const items = pm.response.json().items;
pm.test("delivered order with items", () => pm.expect(items.length).to.be.at.least(1));
// The last line (quantity left even after a verify run returned the first).
pm.collectionVariables.set("returnSku", items[items.length - 1].sku);''',
        body={"orderNumber": "GG-10457", "email": "jordan.lee@example.com"}),
    req("Create RMA", "POST", "/returns", status(201, "Created") + '''
const b = pm.response.json();
pm.test("RMA requested", () => {
  pm.expect(b.rmaNumber).to.match(/^RMA-/);
  pm.expect(b.orderNumber).to.eql("GG-10457");
  pm.expect(b.status).to.eql("requested");
  pm.expect(b.createdAt).to.match(/Z$/);
});
pm.collectionVariables.set("rmaNumber", b.rmaNumber);''', body=RET,
        headers={"Idempotency-Key": "{{returnKey}}"},
        prerequest='pm.collectionVariables.set("returnKey", "pm-return-" + Date.now() + "-" + Math.floor(Math.random() * 1e9));'),
    req("Replay with the same key", "POST", "/returns", status(201, "Created (replayed)") + '''
pm.test("original answer replayed", () => {
  pm.expect(pm.response.headers.get("Idempotent-Replayed")).to.eql("true");
  pm.expect(pm.response.json().rmaNumber).to.eql(pm.collectionVariables.get("rmaNumber"));
});''', body=RET, headers={"Idempotency-Key": "{{returnKey}}"}),
    req("Same key, other body", "POST", "/returns", problem("idempotency_key_reused", 422),
        body={**RET, "comment": "changed"}, headers={"Idempotency-Key": "{{returnKey}}"}),
    req("Missing Idempotency-Key", "POST", "/returns", problem("idempotency_key_required", 400), body=RET),
    req("Closed order's items", "POST", "/orders/lookup", status(200, "OK") + '''
pm.collectionVariables.set("closedSku", pm.response.json().items[0].sku);''',
        body={"orderNumber": "GG-10212", "email": "casey.morgan@example.com"}),
    req("Return window closed", "POST", "/returns", problem("return_not_eligible", 422),
        body={"orderNumber": "GG-10212", "email": "casey.morgan@example.com",
              "items": [{"sku": "{{closedSku}}", "quantity": 1, "reason": "other"}]},
        headers={"Idempotency-Key": "pm-closed-{{runId}}"}),
]})

ALERT = {"email": "pm-{{runId}}@example.com", "sku": "AUR-DR-0002-IVO-XL", "locale": "fr"}
folders.append({"name": "Stock alerts", "item": [
    req("Notify me when a sold-out size is back", "POST", "/stock-alerts", status(201, "Created") + '''
const b = pm.response.json();
pm.test("waiting, without the email", () => {
  pm.expect(b.status).to.eql("waiting");
  pm.expect(b.sku).to.eql("AUR-DR-0002-IVO-XL");
  pm.expect(b.productSku).to.eql("AUR-DR-0002");
  pm.expect(b).to.not.have.property("email");
});
pm.collectionVariables.set("alertId", b.alertId);''', body=ALERT),
    req("The same email and size again", "POST", "/stock-alerts", status(200, "OK") + '''
pm.test("the same alert", () => pm.expect(pm.response.json().alertId).to.eql(pm.collectionVariables.get("alertId")));''',
        body=ALERT),
    req("Show the alert", "GET", "/stock-alerts/{{alertId}}", status(200, "OK") + '''
pm.test("still waiting", () => pm.expect(pm.response.json().status).to.eql("waiting"));'''),
    req("A size in stock", "POST", "/stock-alerts", problem("in_stock", 409),
        body={**ALERT, "sku": "AUR-DR-0002-IVO-S"}),
    req("An unknown sku", "POST", "/stock-alerts", problem("product_not_found", 404),
        body={**ALERT, "sku": "AUR-NOPE-0000"}),
    req("An unknown alert", "GET", "/stock-alerts/nOtAnAlErTiDaTaLl0000", problem("alert_not_found", 404)),
]})

HOLD = {"capsuleId": "capsule-weekend-edit", "email": "pm-{{runId}}@example.com", "size": "M"}
folders.append({"name": "Capsules and holds", "item": [
    req("List capsules", "GET", "/capsules", status(200, "OK") + '''
pm.test("capsules with availability", () => {
  const items = pm.response.json().items;
  const weekend = items.find(c => c.capsuleId === "capsule-weekend-edit");
  pm.expect(weekend).to.be.an("object");
  ["name","description","skus","imageUrl","capacity","available","holdHours"].forEach(f =>
    pm.expect(weekend).to.have.property(f));
  pm.expect(weekend.capacity).to.eql(5);
});'''),
    req("Hold a capsule", "POST", "/capsule-holds", status(201, "Created") + '''
const b = pm.response.json();
pm.test("active hold with expiresAt", () => {
  pm.expect(b.holdId).to.be.a("string").with.length.at.least(20);
  pm.expect(b.status).to.eql("active");
  pm.expect(Date.parse(b.expiresAt)).to.be.above(Date.parse(b.createdAt));
});
pm.collectionVariables.set("holdId", b.holdId);
pm.collectionVariables.set("holdExpiresAt", b.expiresAt);''', body=HOLD),
    req("Duplicate hold", "POST", "/capsule-holds", problem("duplicate_hold", 409) + '''
pm.test("carries the existing hold", () => {
  const hold = pm.response.json().hold;
  pm.expect(hold.capsuleId).to.eql("capsule-weekend-edit");
  pm.expect(hold.status).to.eql("active");
  pm.expect(hold.expiresAt).to.eql(pm.collectionVariables.get("holdExpiresAt"));
});''', body=HOLD),
    req("Unknown capsule", "POST", "/capsule-holds", problem("capsule_not_found", 404),
        body={"capsuleId": "capsule-no-such", "email": "pm-{{runId}}@example.com"}),
    req("Read the hold", "GET", "/capsule-holds/{{holdId}}", status(200, "OK") + '''
pm.test("active", () => pm.expect(pm.response.json().status).to.eql("active"));'''),
    req("Release the hold", "DELETE", "/capsule-holds/{{holdId}}", status(200, "OK") + '''
pm.test("released", () => pm.expect(pm.response.json().status).to.eql("released"));'''),
]})

folders.append({"name": "Shortlists", "item": [
    req("Save a shortlist", "POST", "/shortlists", status(201, "Created") + '''
const b = pm.response.json();
pm.test("duplicates dropped, order kept", () => {
  pm.expect(b.shortlistId).to.be.a("string");
  pm.expect(b.items.map(i => i.sku)).to.eql([pm.collectionVariables.get("sku"), pm.collectionVariables.get("sku2")].filter((v, i, a) => a.indexOf(v) === i));
});
pm.collectionVariables.set("shortlistId", b.shortlistId);''', body={"skus": ["{{sku}}", "{{sku2}}", "{{sku}}"]}),
    req("Read the shortlist", "GET", "/shortlists/{{shortlistId}}", status(200, "OK") + '''
pm.test("same id, timestamps", () => {
  const b = pm.response.json();
  pm.expect(b.shortlistId).to.eql(pm.collectionVariables.get("shortlistId"));
  pm.expect(b).to.have.property("createdAt");
  pm.expect(b).to.have.property("updatedAt");
});'''),
    req("Replace the shortlist", "PUT", "/shortlists/{{shortlistId}}", status(200, "OK") + '''
pm.test("replaced", () => pm.expect(pm.response.json().items.map(i => i.sku)).to.eql([pm.collectionVariables.get("sku2")]));''',
        body={"skus": ["{{sku2}}"]}),
    req("Unknown shortlist", "GET", "/shortlists/no-such-shortlist-id-000000", problem("shortlist_not_found", 404)),
]})

folders.append({"name": "Stylist tickets", "item": [
    req("Open a ticket", "POST", "/stylist-tickets", status(201, "Created") + '''
pm.test("ticket open", () => {
  const b = pm.response.json();
  pm.expect(b.ticketNumber).to.match(/^ST-/);
  pm.expect(b.status).to.eql("open");
  pm.expect(b.createdAt).to.match(/Z$/);
});''', body={"name": "Postman Run", "email": "pm-{{runId}}@example.com", "topic": "occasion",
              "message": "Outfit ideas for a winter wedding?", "preferredContact": "email",
              "shortlistId": "{{shortlistId}}"},
        headers={"Idempotency-Key": "pm-ticket-{{runId}}"}),
    req("Phone contact without phone", "POST", "/stylist-tickets", problem("validation_error", 422),
        body={"name": "Postman Run", "email": "pm-{{runId}}@example.com", "topic": "fit",
              "message": "Call me", "preferredContact": "phone"}),
]})

CONVERSATION = "/conversations/{{conversationId}}"
BEARER = {"Authorization": "Bearer {{conversationToken}}"}
folders.append({"name": "Conversations", "item": [
    req("Start a conversation", "POST", "/conversations", status(201, "Created") + '''
const b = pm.response.json();
pm.test("open, with its token and the store's reply time", () => {
  pm.expect(b.status).to.eql("open");
  pm.expect(b.token).to.be.a("string");
  pm.expect(b.replyExpected).to.be.a("string");
  pm.expect(b.messages[0].from).to.eql("shopper");
});
pm.collectionVariables.set("conversationId", b.conversationId);
pm.collectionVariables.set("conversationToken", b.token);''',
        body={"name": "Postman Run", "email": "pm-{{runId}}@example.com", "locale": "fr",
              "message": "Puis-je changer mon adresse de livraison ?", "orderNumber": "GG-11982"}),
    req("Read it with its token", "GET", CONVERSATION, status(200, "OK") + '''
pm.test("every message, no token", () => {
  const b = pm.response.json();
  pm.expect(b.messages.length).to.be.at.least(1);
  pm.expect(b).to.not.have.property("token");
});''', headers=BEARER),
    req("Add a message", "POST", CONVERSATION + "/messages", status(201, "Created") + '''
pm.test("added, not a reopening", () => {
  const b = pm.response.json();
  pm.expect(b.messages[b.messages.length - 1].body).to.eql("4 rue des Lilas, Paris");
  pm.expect(b.reopened).to.eql(false);
});''', body={"body": "4 rue des Lilas, Paris"}, headers=BEARER),
    req("Mark it read", "POST", CONVERSATION + "/read", status(200, "OK") + '''
pm.test("nothing unread", () => pm.expect(pm.response.json().unread).to.eql(0));''',
        headers=BEARER),
    req("A wrong token is not found", "GET", CONVERSATION, problem("conversation_not_found", 404),
        headers={"Authorization": "Bearer not-the-token"}),
    req("An empty message", "POST", CONVERSATION + "/messages", problem("validation_error", 422),
        body={"body": ""}, headers=BEARER),
]})

folders.append({"name": "Inspiration uploads", "item": [
    req("Upload an image", "POST", "/inspiration", status(202, "Accepted") + '''
const b = pm.response.json();
pm.test("pending review", () => {
  pm.expect(b.uploadId).to.be.a("string");
  pm.expect(b.moderationStatus).to.eql("pending_review");
  pm.expect(b).to.have.property("scanStatus");
  pm.expect(b.width).to.eql(8);
  pm.expect(b.height).to.eql(8);
  pm.expect(b.contentType).to.eql("image/png");
});
pm.collectionVariables.set("uploadId", b.uploadId);''',
        formdata=[{"key": "image", "type": "file", "src": "inspiration-sample.png"},
                  {"key": "caption", "value": "Postman run: colour swatch", "type": "text"},
                  {"key": "consent", "value": "true", "type": "text"}],
        description="The image is docs/postman/inspiration-sample.png (8x8 PNG); run newman with --working-dir docs/postman."),
    req("Not an image", "POST", "/inspiration", problem("unsupported_media_type", 415),
        formdata=[{"key": "image", "type": "file", "src": "not-an-image.png"},
                  {"key": "consent", "value": "true", "type": "text"}]),
    req("Moderation queue (admin)", "GET", "/admin/inspiration", '''
const token = pm.variables.get("adminToken");
if (token) {
  pm.test("status 200", () => pm.response.to.have.status(200));
  pm.test("lists the upload", () => pm.expect(pm.response.json().items.map(i => i.uploadId)).to.include(pm.collectionVariables.get("uploadId")));
} else {
  pm.test("admin off without a configured token: 404", () => pm.response.to.have.status(404));
}''', query=[("status", "pending_review")], headers={"Authorization": "Bearer {{adminToken}}"}),
    req("Moderation queue without token", "GET", "/admin/inspiration", '''
pm.test("401 (or 404 when admin is off)", () => pm.expect(pm.response.code).to.be.oneOf([401, 404]));''',
        query=[("status", "pending_review")]),
    req("Stored image (admin)", "GET", "/admin/inspiration/{{uploadId}}/image", '''
if (pm.variables.get("adminToken")) {
  pm.test("status 200", () => pm.response.to.have.status(200));
  pm.test("the re-encoded image", () => pm.expect(pm.response.headers.get("Content-Type")).to.match(/^image\\//));
} else {
  pm.test("admin off without a configured token: 404", () => pm.response.to.have.status(404));
}''', headers={"Authorization": "Bearer {{adminToken}}"}),
    req("Approve the upload (admin)", "POST", "/admin/inspiration/{{uploadId}}/decision", '''
if (pm.variables.get("adminToken")) {
  pm.test("status 200", () => pm.response.to.have.status(200));
  pm.test("approved", () => pm.expect(pm.response.json().moderationStatus).to.eql("approved"));
} else {
  pm.test("admin off without a configured token: 404", () => pm.response.to.have.status(404));
}''', body={"decision": "approved", "note": "Postman run"}, headers={"Authorization": "Bearer {{adminToken}}"}),
]})

SUB = {"orderNumber": "GG-11982", "email": "avery.stone@example.com", "channel": "sms",
       "destination": "{{smsNumber}}"}
OTHER = {**SUB, "channel": "email", "destination": "pm-{{runId}}-updates@example.com"}
folders.append({"name": "Order-update subscriptions", "item": [
    req("Subscribe", "POST", "/order-subscriptions", status(201, "Created") + '''
const b = pm.response.json();
pm.test("active subscription", () => {
  pm.expect(b.subscriptionId).to.be.a("string");
  pm.expect(b.orderNumber).to.eql("GG-11982");
  pm.expect(b.channel).to.eql("sms");
  pm.expect(b.status).to.eql("active");
});
pm.collectionVariables.set("subscriptionId", b.subscriptionId);''', body=SUB,
        # A number of this run's own: a rerun on the same server subscribes anew.
        prerequest='pm.collectionVariables.set("smsNumber", "+1" + String(Date.now()).slice(-10));'),
    req("Subscribe again (never the id)", "POST", "/order-subscriptions", status(200, "OK") + '''
pm.test("active, without the subscriptionId", () => {
  const b = pm.response.json();
  pm.expect(b.status).to.eql("active");
  pm.expect(b).to.not.have.property("subscriptionId");
});''', body=SUB),
    req("Another address confirms first", "POST", "/order-subscriptions", status(202, "Accepted") + '''
pm.test("pending_confirmation, without the subscriptionId", () => {
  const b = pm.response.json();
  pm.expect(b.status).to.eql("pending_confirmation");
  pm.expect(b).to.not.have.property("subscriptionId");
});''', body=OTHER),
    req("SMS needs an E.164 number", "POST", "/order-subscriptions", problem("validation_error", 422),
        body={**SUB, "destination": "555-0100"}),
    req("Cancel", "DELETE", "/order-subscriptions/{{subscriptionId}}", status(200, "OK") + '''
pm.test("cancelled", () => pm.expect(pm.response.json().status).to.eql("cancelled"));'''),
]})

folders.append({"name": "CSAT and analytics", "item": [
    req("Low rating notifies an agent", "POST", "/csat", status(201, "Created") + '''
pm.test("agentNotified", () => {
  const b = pm.response.json();
  pm.expect(b.csatId).to.be.a("string");
  pm.expect(b.rating).to.eql(2);
  pm.expect(b.agentNotified).to.eql(true);
});''', body={"rating": 2, "intent": "returns", "comment": "Postman run: slow answer"}),
    req("Rating must be an integer", "POST", "/csat", problem("validation_error", 422),
        body={"rating": "5"}),
    req("Send widget events", "POST", "/events", status(202, "Accepted") + '''
pm.test("one accepted, one rejected", () => {
  const b = pm.response.json();
  pm.expect(b.accepted).to.eql(1);
  pm.expect(b.rejected.map(r => r.index)).to.eql([1]);
});''', body={"events": [
        {"name": "aurora_widget_opened", "sessionId": "{{sessionId}}", "occurredAt": "{{nowIso}}", "props": {"source": "postman"}},
        {"name": "widget_opened", "sessionId": "{{sessionId}}", "occurredAt": "{{nowIso}}", "props": {}}]},
        prerequest='pm.collectionVariables.set("nowIso", new Date().toISOString());'),
]})

folders.append({"name": "Privacy (admin)", "item": [
    req("Export a shopper's data (admin)", "GET", "/admin/privacy/export", '''
if (pm.variables.get("adminToken")) {
  pm.test("status 200", () => pm.response.to.have.status(200));
  const b = pm.response.json();
  pm.test("the email, normalised", () => pm.expect(b.email).to.eql("pm-" + pm.variables.get("runId") + "@example.com"));
  pm.test("this run's hold and tickets", () => { pm.expect(b.collections.capsuleHolds.length).to.be.at.least(1); pm.expect(b.collections.stylistTickets.length).to.be.at.least(1); });
} else {
  pm.test("admin off without a configured token: 404", () => pm.response.to.have.status(404));
}''', query=[("email", "PM-{{runId}}@example.com")], headers={"Authorization": "Bearer {{adminToken}}"}),
    req("Erase an email nobody used (admin)", "POST", "/admin/privacy/erase", '''
if (pm.variables.get("adminToken")) {
  pm.test("status 200", () => pm.response.to.have.status(200));
  pm.test("nothing to erase: every count 0", () => pm.expect(Object.values(pm.response.json().erased).every(n => n === 0)).to.be.true);
} else {
  pm.test("admin off without a configured token: 404", () => pm.response.to.have.status(404));
}''', body={"email": "pm-{{runId}}-nobody@example.com"}, headers={"Authorization": "Bearer {{adminToken}}"}),
    req("Erase without token", "POST", "/admin/privacy/erase", '''
pm.test("401 (or 404 when admin is off)", () => pm.expect(pm.response.code).to.be.oneOf([401, 404]));''',
        body={"email": "pm-{{runId}}@example.com"}),
]})

folders.append({"name": "Widget and embedding", "item": [
    req("Widget page", "GET", "/widget", status(200, "OK") + '''
pm.test("HTML framable only by the storefronts", () => {
  pm.expect(pm.response.headers.get("Content-Type")).to.include("text/html");
  pm.expect(pm.response.headers.get("Content-Security-Policy")).to.include("frame-ancestors");
  pm.expect(pm.response.text()).to.include("Aurora Concierge");
});''', api=False),
    req("Embed loader", "GET", "/static/aurora-embed.js", status(200, "OK") + '''
pm.test("JavaScript exposing AuroraConcierge", () => {
  pm.expect(pm.response.headers.get("Content-Type")).to.include("javascript");
  pm.expect(pm.response.text()).to.include("AuroraConcierge");
});''', api=False),
    req("Demo storefront", "GET", "/demo", status(200, "OK") + '''
pm.test("embeds the loader", () => pm.expect(pm.response.text()).to.include("aurora-embed.js"));''', api=False),
]})



def merchant(name, method, path, success, body=None, prerequest=None):
    """Return a merchant request: its success tests with merchantKey set, else a 401."""
    return req(name, method, path, f'''
if (pm.variables.get("merchantKey")) {{
{success}
}} else {{
  pm.test("no merchant key configured: 401 with a Bearer challenge", () => {{
    pm.response.to.have.status(401);
    pm.expect(pm.response.headers.get("WWW-Authenticate")).to.include("Bearer");
  }});
}}''', body=body, headers={"Authorization": "Bearer {{merchantKey}}"},
               prerequest=prerequest)


PRODUCT = {"name": "Postman Linen Shirt", "description": "A linen shirt made by the Postman run.",
           "category": "tops", "price": {"amount": 5900, "currency": "USD"},
           "colors": ["sage"], "sizes": ["S", "M"], "stock": 3, "tags": ["linen"]}
ORDER = {"email": "postman@example.com", "postalCode": "02139", "status": "shipped",
         "placedAt": "2026-01-10T10:00:00Z", "carrier": "UPS",
         "items": [{"sku": "AUR-DR-0001", "name": "Midi Wrap Dress", "quantity": 1,
                    "price": {"amount": 12600, "currency": "USD"}}]}

folders.append({"name": "Merchant API (merchantKey)", "item": [
    merchant("Give a return its label", "PUT", "/merchant/returns/{{rmaNumber}}/label", '''
  pm.response.to.have.status(200);
  pm.test("label stored", () => pm.expect(pm.response.json().labelUrl).to.eql("https://labels.example.com/postman.pdf"));''',
             body={"labelUrl": "https://labels.example.com/postman.pdf"}),
    merchant("Put a product", "PUT", "/merchant/products/{{merchantSku}}", '''
  pm.test("201 created or 200 replaced", () => pm.expect(pm.response.code).to.be.oneOf([200, 201]));
  pm.test("derived fields computed", () => {
    const b = pm.response.json();
    pm.expect(b.sku).to.eql(pm.variables.get("merchantSku").toUpperCase());
    pm.expect(b.inStock).to.eql(true);
    pm.expect(b.archived).to.eql(false);
  });''', body=PRODUCT),
    merchant("Batch of products, one bad", "POST", "/merchant/products/batch", '''
  pm.test("status 200 with a result each", () => {
    pm.response.to.have.status(200);
    const r = pm.response.json().results;
    pm.expect(r[0].status).to.be.oneOf(["created", "updated", "unchanged"]);
    pm.expect(r[1].status).to.eql("rejected");
    pm.expect(r[1].errors).to.have.property("price.amount");
  });''', body={"products": [{**PRODUCT, "sku": "PM-{{runId}}-B"},
                              {**PRODUCT, "sku": "PM-{{runId}}-C", "price": {"amount": -1, "currency": "USD"}}]}),
    merchant("Put a product with variants", "PUT", "/merchant/products/{{variantProduct}}", '''
  pm.test("201 created or 200 replaced", () => pm.expect(pm.response.code).to.be.oneOf([200, 201]));
  pm.test("sizes, colours, stock and price derived from the variants", () => {
    const b = pm.response.json();
    pm.expect(b.sizes).to.eql(["S", "M"]);
    pm.expect(b.stock).to.eql(2);
    pm.expect(b.price.amount).to.eql(5400);
    pm.expect(b.variants).to.have.length(2);
  });''', body={k: v for k, v in PRODUCT.items() if k not in ("colors", "sizes", "stock")} | {
        "variants": [{"sku": "PM-{{runId}}-V-S", "size": "S", "color": "sage", "stock": 2},
                     {"sku": "PM-{{runId}}-V-M", "size": "M", "color": "sage", "stock": 0,
                      "price": {"amount": 5400, "currency": "USD"}}]}),
    merchant("Set one variant's stock", "PUT", "/merchant/inventory/{{variantSku}}", '''
  pm.test("status 200 with the stock before", () => {
    pm.response.to.have.status(200);
    const b = pm.response.json();
    pm.expect(b.sku).to.eql(pm.variables.get("variantSku").toUpperCase());
    pm.expect(b.stock).to.eql(5);
    pm.expect(b.previous).to.be.a("number");
  });''', body={"stock": 5}),
    merchant("Batch of stock levels, one unknown", "POST", "/merchant/inventory/batch", '''
  pm.test("status 200 with a result each", () => {
    pm.response.to.have.status(200);
    const r = pm.response.json().results;
    pm.expect(r[0].status).to.be.oneOf(["updated", "unchanged"]);
    pm.expect(r[1].status).to.eql("rejected");
    pm.expect(r[1].errors).to.have.property("sku");
  });''', body={"items": [{"sku": "PM-{{runId}}-V-S", "stock": 1},
                          {"sku": "PM-{{runId}}-NONE", "stock": 1}]}),
    merchant("Put a capsule", "PUT", "/merchant/capsules/{{merchantCapsule}}", '''
  pm.test("201 created or 200 replaced", () => pm.expect(pm.response.code).to.be.oneOf([200, 201]));
  pm.test("offered, with its holds counted", () => {
    const b = pm.response.json();
    pm.expect(b.retired).to.eql(false);
    pm.expect(b.activeHolds).to.eql(0);
    pm.expect(b.skus).to.eql(["AUR-DR-0001"]);
  });''', body={"name": "Postman Capsule", "description": "Made by the Postman run.",
                 "skus": ["aur-dr-0001"], "capacity": 2, "holdHours": 24}),
    merchant("List every capsule", "GET", "/merchant/capsules", '''
  pm.test("status 200 with this run's capsule", () => {
    pm.response.to.have.status(200);
    const ids = pm.response.json().items.map(c => c.capsuleId);
    pm.expect(ids).to.include(pm.variables.get("merchantCapsule"));
  });'''),
    merchant("Retire a capsule", "DELETE", "/merchant/capsules/{{merchantCapsule}}", '''
  pm.test("status 200 retired", () => {
    pm.response.to.have.status(200);
    pm.expect(pm.response.json().retired).to.eql(true);
  });'''),
    merchant("Read the store's search synonyms", "GET", "/merchant/search/synonyms", '''
  pm.test("status 200 with every set", () => {
    pm.response.to.have.status(200);
    pm.expect(pm.response.json().items).to.be.an("array");
  });'''),
    merchant("Put the Spanish search synonyms", "PUT", "/merchant/search/synonyms", '''
  pm.test("status 200 with this run's group", () => {
    pm.response.to.have.status(200);
    const b = pm.response.json();
    pm.expect(b.locale).to.eql("es");
    pm.expect(b.groups).to.deep.include(["pm" + pm.variables.get("runId"), "vestido"]);
  });''', body="{{synonymBody}}", prerequest='''
// Keep the store's own Spanish synonyms: the PUT replaces the whole set of a language.
const mine = ["pm" + pm.variables.get("runId"), "vestido"];
pm.variables.set("synonymBody", JSON.stringify({locale: "es", groups: [mine], oneWay: []}));
if (pm.variables.get("merchantKey")) pm.sendRequest({url: pm.variables.get("baseUrl") + "/api/concierge/merchant/search/synonyms", header: {Authorization: "Bearer " + pm.variables.get("merchantKey")}}, (err, res) => {
  if (err || res.code !== 200) return;
  const kept = res.json().items.find(s => s.locale === "es") || {groups: [], oneWay: []};
  const groups = kept.groups.filter(g => !/^pm[0-9]+$/.test(g[0])).concat([mine]);
  pm.variables.set("synonymBody", JSON.stringify({locale: "es", groups: groups, oneWay: kept.oneWay}));
});'''),
    merchant("Put a search rule", "PUT", "/merchant/search/rules/{{searchRule}}", '''
  pm.test("201 created or 200 replaced", () => pm.expect(pm.response.code).to.be.oneOf([200, 201]));
  pm.test("pins the product, in force now", () => {
    const b = pm.response.json();
    pm.expect(b.pin).to.eql(["AUR-DR-0001"]);
    pm.expect(b.active).to.eql(true);
  });''', body={"query": "postman {{runId}}", "pin": ["aur-dr-0001"], "hide": []}),
    merchant("List the search rules", "GET", "/merchant/search/rules", '''
  pm.test("status 200 with this run's rule", () => {
    pm.response.to.have.status(200);
    const ids = pm.response.json().items.map(r => r.ruleId);
    pm.expect(ids).to.include(pm.variables.get("searchRule"));
  });'''),
    merchant("Delete a search rule", "DELETE", "/merchant/search/rules/{{searchRule}}", '''
  pm.test("status 200 deleted", () => {
    pm.response.to.have.status(200);
    pm.expect(pm.response.json().deleted).to.eql(true);
  });'''),
    merchant("Archive a product", "DELETE", "/merchant/products/{{merchantSku}}", '''
  pm.test("status 200 archived", () => {
    pm.response.to.have.status(200);
    pm.expect(pm.response.json().archived).to.eql(true);
  });'''),
    merchant("Put an order", "PUT", "/merchant/orders/{{merchantOrder}}", '''
  pm.test("201 created or 200 replaced", () => pm.expect(pm.response.code).to.be.oneOf([200, 201]));
  pm.test("stored normalised", () => pm.expect(pm.response.json().email).to.eql("postman@example.com"));''',
             body=ORDER),
    merchant("Batch of orders", "POST", "/merchant/orders/batch", '''
  pm.test("status 200", () => pm.response.to.have.status(200));
  pm.test("a result each", () => pm.expect(pm.response.json().results).to.have.length(1));''',
             body={"orders": [{**ORDER, "orderNumber": "PM-{{runId}}-B"}]}),
    merchant("Add a tracking event", "POST", "/merchant/orders/{{merchantOrder}}/events", '''
  pm.test("201 added or 200 already received", () => pm.expect(pm.response.code).to.be.oneOf([200, 201]));
  pm.test("status follows the latest event", () => pm.expect(pm.response.json().orderStatus).to.eql("delivered"));''',
             body={"eventId": "pm-{{runId}}", "status": "delivered", "at": "2026-01-14T12:00:00Z",
                   "description": "Delivered", "location": "Cambridge, MA"}),
    req("Merchant call with a wrong key", "PUT", "/merchant/products/{{merchantSku}}",
        problem("unauthorized", 401), body=PRODUCT, headers={"Authorization": "Bearer wrong"}),
]})

def signed(platform, header, secret):
    """Return a pre-request script signing the raw body with the secret variable, if set."""
    return f'''
const cryptoJs = require("crypto-js");
const secret = pm.variables.get("{secret}");
if (secret) {{
  const signature = cryptoJs.HmacSHA256(pm.request.body.raw, secret).toString(cryptoJs.enc.Base64);
  pm.request.headers.upsert({{key: "{header}", value: signature}});
}}'''


def platform_answer(secret, success):
    """Return tests: with the secret, the success tests; without, a 401 or the 404 of an unset one."""
    return f'''
if (pm.variables.get("{secret}")) {{
{success}
}} else {{
  pm.test("no secret here: 401 invalid_signature, or 404 when the server has none", () => {{
    pm.expect(pm.response.code).to.be.oneOf([401, 404]);
    pm.expect(pm.response.json().code).to.be.oneOf(["invalid_signature", "not_found"]);
  }});
}}'''


SHOPIFY_PRODUCT = {"id": 990000000001, "title": "Postman Linen Scarf", "handle": "postman-linen-scarf",
                   "body_html": "<p>A linen scarf sent by the Postman run.</p>", "product_type": "Accessories",
                   "tags": "linen", "status": "active", "updated_at": "2026-11-26T10:00:00-05:00",
                   "options": [{"name": "Color", "position": 1, "values": ["Sand"]}],
                   "variants": [{"id": 990000000101, "sku": "PM-SCARF-SAND", "position": 1, "option1": "Sand",
                                 "price": "39.00", "inventory_quantity": 4, "inventory_item_id": 990000000201}],
                   "images": []}
folders.append({"name": "Store platforms (webhook secrets)", "item": [
    req("Shopify webhook, signed", "POST", "/integrations/shopify/webhooks",
        platform_answer("shopifyWebhookSecret", '''
  pm.test("status 200 applied", () => {
    pm.response.to.have.status(200);
    pm.expect(pm.response.json().status).to.be.oneOf(["applied", "duplicate"]);
  });'''), body=SHOPIFY_PRODUCT,
        headers={"X-Shopify-Topic": "products/create", "X-Shopify-Webhook-Id": "pm-{{runId}}",
                 "X-Shopify-Shop-Domain": "postman.myshopify.com"},
        prerequest=signed("shopify", "X-Shopify-Hmac-Sha256", "shopifyWebhookSecret"),
        description="Set shopifyWebhookSecret to the server's CONCIERGE_SHOPIFY_WEBHOOK_SECRET to sign it (docs/integrations.md)."),
    req("Shopify webhook, wrong signature", "POST", "/integrations/shopify/webhooks", '''
pm.test("status 401, or 404 when the server has no secret", () => pm.expect(pm.response.code).to.be.oneOf([401, 404]));
pm.test("nothing of the body in the answer", () => pm.expect(pm.response.text()).to.not.include("Scarf"));''',
        body=SHOPIFY_PRODUCT, headers={"X-Shopify-Topic": "products/create", "X-Shopify-Hmac-Sha256": "d3Jvbmc="}),
    req("WooCommerce ping (unsigned)", "POST", "/integrations/woocommerce/webhooks", '''
pm.test("status 200, or 404 when the server has no secret", () => pm.expect(pm.response.code).to.be.oneOf([200, 404]));
if (pm.response.code === 200) pm.test("ignored: a ping", () => pm.expect(pm.response.json().reason).to.eql("ping"));''',
        text="webhook_id=1"),
    req("WooCommerce webhook, signed", "POST", "/integrations/woocommerce/webhooks",
        platform_answer("woocommerceWebhookSecret", '''
  pm.test("status 200 applied", () => {
    pm.response.to.have.status(200);
    pm.expect(pm.response.json().status).to.be.oneOf(["applied", "duplicate"]);
  });'''), body={"id": 990001, "number": "PM-WC-1", "status": "processing", "currency": "USD",
                      "date_created_gmt": "2026-11-26T19:02:33", "date_modified_gmt": "2026-11-26T19:02:35",
                      "billing": {"email": "postman@example.com", "postcode": "02139"}, "shipping": {"postcode": "02139"},
                      "line_items": [{"id": 1, "name": "Midi Wrap Dress", "product_id": 1, "quantity": 1,
                                      "sku": "AUR-DR-0001", "price": 126}]},
        headers={"X-WC-Webhook-Topic": "order.created", "X-WC-Webhook-Delivery-ID": "pm-{{runId}}"},
        prerequest=signed("woocommerce", "X-WC-Webhook-Signature", "woocommerceWebhookSecret"),
        description="Set woocommerceWebhookSecret to the server's CONCIERGE_WOOCOMMERCE_WEBHOOK_SECRET to sign it."),
]})

collection = {
    "info": {"_postman_id": "6f1d7c1e-4f0a-4d59-9c1e-a0c0c1e7e006", "name": "Aurora Concierge",
             "description": "Every endpoint of the Aurora Concierge HTTP contract (API.md), with example bodies and tests for status codes and key fields. Set baseUrl (e.g. http://127.0.0.1:8000) and, for the moderation endpoints, adminToken; for the merchant endpoints, merchantKey; to sign the store-platform webhooks, shopifyWebhookSecret and woocommerceWebhookSecret (the server's secrets). Run it: npx --yes newman run docs/postman/aurora-concierge.postman_collection.json --working-dir docs/postman --env-var baseUrl=http://127.0.0.1:8000 (make verify does this for you).",
             "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
    "item": folders,
    "event": [
        {"listen": "prerequest", "script": {"type": "text/javascript", "exec": [
            "// One widget session and one run id per collection run.",
            "if (!pm.variables.get(\"sessionId\")) {",
            "  const chars = \"abcdefghijklmnopqrstuvwxyz0123456789\";",
            "  let id = \"pm\"; for (let i = 0; i < 30; i++) id += chars[Math.floor(Math.random() * chars.length)];",
            "  pm.collectionVariables.set(\"sessionId\", id);",
            "}",
            "if (!pm.variables.get(\"runId\")) pm.collectionVariables.set(\"runId\", String(Date.now()));",
            "pm.collectionVariables.set(\"merchantSku\", \"PM-\" + pm.variables.get(\"runId\"));",
            "pm.collectionVariables.set(\"merchantOrder\", \"PM-\" + pm.variables.get(\"runId\"));",
            "pm.collectionVariables.set(\"variantProduct\", \"PM-\" + pm.variables.get(\"runId\") + \"-V\");",
            "pm.collectionVariables.set(\"variantSku\", \"PM-\" + pm.variables.get(\"runId\") + \"-V-M\");",
            "pm.collectionVariables.set(\"merchantCapsule\", \"capsule-pm-\" + pm.variables.get(\"runId\"));",
            "pm.collectionVariables.set(\"searchRule\", \"pm-\" + pm.variables.get(\"runId\"));"]}},
        {"listen": "test", "script": {"type": "text/javascript", "exec": [
            "pm.test(\"X-Request-ID on every answer\", () => pm.expect(pm.response.headers.get(\"X-Request-ID\")).to.match(/^[A-Za-z0-9._-]{8,128}$/));",
            "if (pm.response.code >= 400) pm.test(\"errors are problem+json\", () => pm.expect(pm.response.headers.get(\"Content-Type\")).to.include(\"application/problem+json\"));"]}}],
    "variable": [{"key": "baseUrl", "value": "http://127.0.0.1:8000"},
                 {"key": "adminToken", "value": ""},
                 {"key": "merchantKey", "value": ""},
                 {"key": "shopifyWebhookSecret", "value": ""},
                 {"key": "woocommerceWebhookSecret", "value": ""},
                 {"key": "merchantSku", "value": ""},
                 {"key": "merchantOrder", "value": ""},
                 {"key": "variantProduct", "value": ""},
                 {"key": "variantSku", "value": ""},
                 {"key": "merchantCapsule", "value": ""},
                 {"key": "searchRule", "value": ""},
                 {"key": "runId", "value": ""},
                 {"key": "conversationId", "value": ""},
                 {"key": "conversationToken", "value": ""},
                 {"key": "sessionId", "value": ""}],
}
OUT.write_text(json.dumps(collection, indent=2, ensure_ascii=False) + "\n")
print(sum(len(f["item"]) for f in folders), "requests ->", OUT, file=sys.stderr)
