"""Gunicorn settings of the bare route: the app's own, without its worker start-up hook."""

from concierge.gunicorn_conf import *  # noqa: F403 - the very same limits and checks


def post_worker_init(worker) -> None:
    """Do nothing: the app's hook builds its search index, which the bare route has not."""
