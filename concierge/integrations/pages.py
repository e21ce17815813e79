"""/console/integrations: the latest webhooks from each platform and what became of them."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from ..console import auth, hooks
from . import repository, service

bp = Blueprint("console_integrations", __name__, url_prefix="/console/integrations")
hooks.install(bp)


@bp.get("")
@auth.staff_only
def page():
    """List each platform's latest deliveries: topic, time, outcome and why."""
    platforms = [{"name": platform.name, "label": label,
                  "configured": bool(current_app.config[platform.secret_setting]),
                  "setting": platform.secret_setting,
                  "deliveries": repository.latest(platform.name)}
                 for platform, label in ((service.SHOPIFY, "Shopify"),
                                         (service.WOOCOMMERCE, "WooCommerce"))]
    return render_template("console/integrations.html", platforms=platforms,
                           shown=repository.LOG_SHOWN)
