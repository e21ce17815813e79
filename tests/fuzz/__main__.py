"""Run schemathesis with every check against a gunicorn server it starts; exit 1 on a failure.

    python -m tests.fuzz [--max-examples N] [--seed S] [extra schemathesis run options]
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.live import ROOT, gunicorn

CONFIG = Path(__file__).with_name("schemathesis.toml")


def main(argv: list[str] | None = None) -> int:
    """Start the server on the embedded default, fuzz it, stop it; return schemathesis's code."""
    parser = argparse.ArgumentParser(prog="make fuzz", description=__doc__)
    parser.add_argument("--max-examples", type=int,
                        default=int(os.environ.get("FUZZ_MAX_EXAMPLES", "100")),
                        help="examples per operation and phase (env FUZZ_MAX_EXAMPLES)")
    parser.add_argument("--seed", type=int, default=None, help="replay a run's seed")
    args, extra = parser.parse_known_args(argv)
    # Every protected endpoint on, with a credential only this run knows.
    keys = {"FUZZ_ADMIN_TOKEN": secrets.token_urlsafe(32),
            "FUZZ_MERCHANT_KEY": secrets.token_urlsafe(32)}
    # The platform webhooks on too: fuzzed bodies are unsigned, so they reach the signature
    # check (401) and the WooCommerce ping, past the 404 of an unset secret.
    platforms = {"CONCIERGE_SHOPIFY_WEBHOOK_SECRET": secrets.token_urlsafe(32),
                 "CONCIERGE_WOOCOMMERCE_WEBHOOK_SECRET": secrets.token_urlsafe(32)}
    schemathesis = Path(sys.executable).with_name("schemathesis")
    with tempfile.TemporaryDirectory() as tmp, \
            gunicorn(Path(tmp), CONCIERGE_ADMIN_TOKEN=keys["FUZZ_ADMIN_TOKEN"],
                     CONCIERGE_MERCHANT_KEY=keys["FUZZ_MERCHANT_KEY"],
                     LOG_LEVEL="WARNING", **platforms) as server:
        command = [str(schemathesis), "--config-file", str(CONFIG), "run",
                   server.api("/openapi.json"), "--max-examples", str(args.max_examples),
                   *extra]
        if args.seed is not None:
            command += ["--seed", str(args.seed)]
        env = {**os.environ, **keys, "PYTHONPATH": str(ROOT)}
        return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
