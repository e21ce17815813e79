"""POST /returns."""

from flask import Blueprint

from .. import api, events, idempotency, limits
from ..flags import require_enabled
from . import service
from .schemas import (
    ExchangeUnavailableProblemSchema,
    QuantityExceededProblemSchema,
    ReturnRequestSchema,
    ReturnSchema,
)

bp = Blueprint("returns", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)


def _create(data: dict) -> tuple[dict, int]:
    rma = service.create_return(data)
    events.record("aurora_return_created", rmaNumber=rma["rmaNumber"],
                  orderNumber=rma["orderNumber"],
                  quantity=sum(item["quantity"] for item in rma["items"]),
                  resolutions=sorted({item["resolution"] for item in rma["items"]}))
    return ReturnSchema().dump(rma), 201


@bp.post("/returns")
@limits.writes
@limits.order_lookups
@limits.order_guesses
@api.documents((400, "idempotency_key_required"), (404, "order_not_found"),
               (409, "idempotency_request_in_progress"),
               (409, "exchange_unavailable", ExchangeUnavailableProblemSchema),
               (422, "return_not_eligible"),
               (422, "return_quantity_exceeded", QuantityExceededProblemSchema),
               (422, "idempotency_key_reused"),
               (503, "concierge_disabled"), tags=("returns",),
               summary="Request a return (RMA); Idempotency-Key required",
               headers={idempotency.HEADER: {**idempotency.HEADER_DOC[idempotency.HEADER],
                                             "required": True}})
@api.responds(201, ReturnSchema, "Return requested, or the original answer replayed "
              "(header Idempotent-Replayed: true) for the same key and body. "
              "A sku not on the order answers 422 return_quantity_exceeded with "
              "returnable 0; lines of one sku are merged. An exchange reserves its "
              "variant's stock (given back when staff reject or cancel it); an "
              "exchangeSku that is the same variant or another product's answers 422 "
              "validation_error.")
@api.body(ReturnRequestSchema)
def create_return(data):
    """Authorise a return once per Idempotency-Key."""
    return idempotency.respond("returns", data, lambda: _create(data), required=True)
