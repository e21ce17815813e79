"""Drive the widget on /demo in headless Chromium: open it, track GG-11982, see the timeline."""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor

from .common import TRACKED
from .context import Context
from .rows import Row

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 10_000
SCREENSHOT = "verify-demo-tracking.png"


def browser_pass(ctx: Context, row: Row) -> None:
    """Open /demo, open the widget, track an order by keyboard-reachable controls."""
    # Playwright's sync API refuses a thread with a running asyncio loop (e.g. a
    # caller that already drives a browser); a thread of our own has none.
    with ThreadPoolExecutor(1, thread_name_prefix="verify-browser") as pool:
        pool.submit(_browser_pass, ctx, row).result()


def _browser_pass(ctx: Context, row: Row) -> None:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        row.skip("playwright not installed (pip install -e '.[test]')")
        return
    if not os.path.exists(CHROMIUM):
        row.skip(f"no Chromium at {CHROMIUM} (make browser installs Debian's)")
        return
    ctx.report_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(TIMEOUT_MS)
            try:
                _track(ctx, row, page)
            except Error as error:
                row.check(False, "the widget journey completed in Chromium",
                          str(error).splitlines()[0])
            finally:
                path = ctx.report_dir / SCREENSHOT
                page.screenshot(path=str(path), full_page=False)
                row.figures["screenshot"] = str(path)
                row.note(f"screenshot: {path}")
        finally:
            browser.close()


def _track(ctx: Context, row: Row, page) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script("window.dataLayer = [];")
    response = page.goto(f"{ctx.client.base_url}/demo")
    row.require(response is not None and response.ok, "GET /demo → 200",
                response and response.status)
    launcher = page.get_by_role("button", name=re.compile("aurora|concierge", re.I)).first
    launcher.click()
    frame = page.frame_locator("iframe[title]").first
    frame.locator("html[data-ready]").wait_for(state="attached")  # the script has run
    intent = frame.locator('[data-intent="order_tracking"]')
    intent.click()
    journey = frame.locator("#j-order_tracking")
    journey.get_by_label("Order number").fill(TRACKED["orderNumber"])
    journey.get_by_label(re.compile("email", re.I)).fill(TRACKED["email"])
    journey.get_by_role("button", name=re.compile("track", re.I)).click()
    timeline = journey.locator("[data-timeline] li")
    timeline.nth(3).wait_for()
    shown = timeline.count()
    expected = ctx.state.get("timeline") or []
    text = journey.inner_text()
    row.check(shown == len(expected) and shown >= 4,
              f"launcher opened the iframe; tracked GG-11982; timeline shows {shown} events",
              shown)
    timeline.nth(shown - 1).scroll_into_view_if_needed()  # the screenshot shows the timeline
    seen = [e.get("description") for e in expected if e.get("description") in text]
    row.check(len(seen) == len(expected),
              "each timeline description from the API is on screen", len(seen))
    names = page.evaluate("(window.dataLayer || []).map(e => e && (e.event || e.name))")
    aurora = sorted({n for n in names if isinstance(n, str) and n.startswith("aurora_")})
    row.check("aurora_widget_opened" in aurora and "aurora_intent_selected" in aurora,
              f"host page's dataLayer received {', '.join(aurora) or 'nothing'}", aurora)
    row.check(not errors, "no JavaScript errors on the page", errors[:3])
