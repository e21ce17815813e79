"""Where a shopper's data lives: each collection, how her documents are found, what erasure does.

Export and erasure walk this list and nothing else. A collection that stores a
shopper's email, name, phone, photo or words gets one `Holding` here (tests/privacy
fail when a journey leaves an email in a collection this list does not know);
one that holds none of it is named in NO_SHOPPER_DATA with the reason.

Her documents are found from her email outwards: a document found gives the
identifiers in its `leads_to` fields (her widget session, her order numbers,
her ticket's shortlist...), which find more documents, until nothing new turns
up.  Holdings are listed so that a holding comes after every holding that leads
to it; erasure runs the list backwards, so an interrupted erasure run again
still finds everything it had not reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..outbox.service import SUBJECT_KINDS, subject

# Kinds of identifiers that lead from one of her documents to the next.
EMAIL, SESSION, ORDER, RMA, TICKET, SHORTLIST, UPLOAD, IMAGE, CSAT, CONVERSATION, ALERT = (
    "email", "session", "order", "rma", "ticket", "shortlist", "upload", "image", "csat",
    "conversation", "alert")
# A found_by kind meaning "any identifier of hers, tagged with its kind" (outbox subjects).
TAGGED = "tagged"


@dataclass(frozen=True)
class Holding:
    """One collection holding shoppers' data."""

    collection: str
    found_by: dict[str, str]  # field → kind of identifier that finds her documents there
    personal: tuple[str, ...]  # fields (dotted, arrays transparent) holding her data
    leads_to: dict[str, str] = field(default_factory=dict)  # field → kind it gives
    # Set when the record must stay for the store's accounts: erasure then removes
    # `personal` fields instead of the document, and this says why it stays.
    kept_because: str | None = None

    def query(self, known: dict[str, set]) -> dict | None:
        """Return the filter for her documents given the identifiers known so far, or None."""
        branches = []
        for name, kind in self.found_by.items():
            values = (_tagged(known) if kind == TAGGED else sorted(known.get(kind, ())))
            if values:
                branches.append({name: {"$in": values}})
        if not branches:
            return None
        return branches[0] if len(branches) == 1 else {"$or": branches}


def _tagged(known: dict[str, set]) -> list[str]:
    return sorted(subject(kind, value) for kind in SUBJECT_KINDS
                  for value in known.get(kind, ()))


RETURNS_KEPT = ("a return is the store's record of a refund, which its accounts must keep "
                "(returns are kept 2 years, docs/retention.md): the RMA number, order number, "
                "items, reasons, status and dates stay; who asked for it does not")

HOLDINGS: tuple[Holding, ...] = (
    Holding("orders", {"email": EMAIL}, ("email", "postalCode"),
            leads_to={"orderNumber": ORDER}),
    Holding("returns", {"email": EMAIL}, ("email", "sessionId", "requestId", "comment", "locale"),
            leads_to={"sessionId": SESSION, "rmaNumber": RMA}, kept_because=RETURNS_KEPT),
    Holding("capsuleHolds", {"email": EMAIL}, ("email", "sessionId", "locale"),
            leads_to={"sessionId": SESSION}),
    Holding("stylistTickets", {"email": EMAIL},
            ("name", "email", "phone", "message", "preferredTime", "sessionId", "locale"),
            leads_to={"sessionId": SESSION, "shortlistId": SHORTLIST,
                      "ticketNumber": TICKET}),
    # Her conversations with the store's team: her words and the store's answers to her.
    Holding("conversations", {"email": EMAIL},
            ("name", "email", "messages", "sessionId", "locale", "orderNumber", "orderKey"),
            leads_to={"sessionId": SESSION, "shortlistId": SHORTLIST, "ticketNumber": TICKET,
                      "conversationId": CONVERSATION}),
    # An order's subscriptions go with the order (whoever's address they send to).
    Holding("orderSubscriptions", {"destination": EMAIL, "orderNumber": ORDER},
            ("destination", "sessionId", "locale"), leads_to={"sessionId": SESSION}),
    Holding("orderEvents", {"orderNumber": ORDER}, ("description", "location")),
    # The store platform's id of her order (concierge/integrations), which finds the order.
    Holding("platformLinks", {"orderNumber": ORDER}, ("orderNumber", "platformId")),
    # Her back-in-stock alerts: her address and the variant she waits for.
    Holding("stockAlerts", {"email": EMAIL},
            ("email", "waitingKey", "sessionId", "requestId", "locale"),
            leads_to={"sessionId": SESSION, "alertId": ALERT}),
    # A replayable answer (24 hours) repeats what she wrote, a return's comment say.
    Holding("idempotencyKeys", {"body.rmaNumber": RMA, "body.ticketNumber": TICKET},
            ("body",)),
    # What her widget session stored without an email: her shortlists, photos, ratings.
    Holding("widgetShortlists", {"shortlistId": SHORTLIST, "sessionId": SESSION},
            ("skus", "sessionId")),
    Holding("widgetInspiration", {"sessionId": SESSION}, ("caption", "sessionId"),
            leads_to={"uploadId": UPLOAD, "imageFileId": IMAGE}),
    Holding("inspirationImages.files", {"_id": IMAGE}, ("filename", "metadata")),
    Holding("inspirationImages.chunks", {"files_id": IMAGE}, ("data",)),
    Holding("csatResponses", {"sessionId": SESSION}, ("comment", "reference", "sessionId"),
            leads_to={"csatId": CSAT}),
    Holding("analyticsEvents", {"sessionId": SESSION}, ("sessionId", "props")),
    # Deliveries addressed to her or about her records (outbox.service.subjects).
    Holding("outbox", {"subjects": TAGGED},
            ("subjects", "email.to", "email.context", "data.email", "data.name",
             "data.phone", "data.message", "data.caption", "data.comment", "data.sessionId",
             "data.smsSubscribers", "data.body")),
)

BY_COLLECTION = {holding.collection: holding for holding in HOLDINGS}

# Collections that hold no shopper's data, and why.
NO_SHOPPER_DATA: dict[str, str] = {
    "products": "the store's catalogue",
    "catalogChanges": "counters of catalogue and search-steering writes, for every worker",
    "searchRules": "the store's search rules (a query, the skus it pins and hides)",
    "searchSynonyms": "the store's search synonyms",
    "capsules": "the store's capsule collections",
    "featureFlags": "settings",
    "apiKeys": "merchant API keys (hashed)",
    "notificationCaps": "counters per client address hash and hour, kept one hour",
    "audit": "staff actions; privacy requests appear only as a hash of the email",
    "staffAccounts": "the store's own staff (name, email, role, password hash)",
    "platformWebhookIds": "the ids of store-platform webhooks received in the last 48 hours",
    "platformDeliveries": "each store-platform webhook's topic, time and outcome (never its "
                          "payload), for the console",
    "stockRestocks": "one job per restocked variant sku, while its alerts are emailed",
}
