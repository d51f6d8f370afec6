"""The dashboard in a real headless browser, against ``feedback-core serve --seed-data``.

Debian's ``chromium`` (``/usr/bin/chromium``, installed by ``.ci/run``) is driven by Playwright;
no browser is downloaded. The server runs as a separate process on a free port, as a user
starts it. Each page state is saved as a screenshot under ``build/screenshots/`` for review.
Waits are for a condition (up to Playwright's timeout), never a measured duration.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow  # a server with seed data and a browser: about a minute

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
WAIT_MS = 30_000  # generous: a loaded CI machine; a wait ends as soon as its condition holds


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``feedback-core serve --seed-data --port 0``; its URL, read from its banner."""
    command = ["-m", "feedback_core.cli.main", "serve", "--seed-data", "--port", "0", "--quiet"]
    process = subprocess.Popen(  # noqa: S603  # our own interpreter and command
        [sys.executable, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    url, banner = None, []
    for line in process.stdout:
        banner.append(line)
        if url is None and " at http://" in line:
            url = line.rsplit(" at ", 1)[1].strip()
        if "Ctrl-C stops." in line:
            break
    assert url is not None, "".join(banner)
    try:
        yield url
    finally:
        process.terminate()  # SIGTERM: serve stops gracefully
        process.communicate(timeout=60)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_dashboard(browser: Browser, url: str, **context: object) -> Page:
    """A new page on the dashboard, once its first refresh has drawn every section.

    The page loads without a script error and asks nothing of another origin (no CDN, no font:
    it works offline).
    """
    page = browser.new_page(**context)  # type: ignore[arg-type]  # Playwright's keyword options
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    elsewhere: list[str] = []
    origin = url.rstrip("/") + "/"
    page.on(
        "request",
        lambda r: None if r.url.startswith((origin, "data:")) else elsewhere.append(r.url),
    )
    page.goto(url)
    page.wait_for_selector("#updated[data-refreshes]", timeout=WAIT_MS)
    assert [] == errors
    assert [] == elsewhere
    return page


def shoot(page: Page, name: str) -> None:
    """Save the whole page as ``build/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def bar(page: Page, chart: str, label: str) -> int:
    """The value of the bar labelled ``label`` in chart ``chart`` (an element id)."""
    value = page.get_attribute(f'#{chart} rect[data-label="{label}"]', "data-value")
    assert value is not None
    return int(value)


def test_the_seeded_dashboard_draws_every_section(browser: Browser, server: str) -> None:
    """The seed data shows as the three charts, the recent list, polls and survey summaries."""
    page = open_dashboard(browser, server + "/", viewport={"width": 1280, "height": 900})
    assert 5 == page.locator("#histogram rect.bar").count()
    assert int(page.get_attribute("#analytics-summary", "data-count") or 0) > 0
    ratings = sum(bar(page, "histogram", f"{r}★") for r in range(1, 6))
    assert int(page.get_attribute("#analytics-summary", "data-count") or 0) == ratings
    assert 4 == page.locator("#sentiment rect").count()
    assert page.locator("#daily rect.bar").count() >= 1
    assert page.locator("#recent li").count() >= 1
    assert 3 == page.locator("#polls .poll .rows").count()
    assert 3 == page.locator("#surveys .survey").count()
    assert "NPS" in (page.text_content("#surveys") or "")
    shoot(page, "dashboard-desktop")
    page.close()


def test_an_invalid_form_shows_each_fields_error(browser: Browser, server: str) -> None:
    """The API's problem errors appear beside their fields, in an alert, with the focus on it."""
    page = open_dashboard(browser, server + "/", viewport={"width": 1280, "height": 900})
    page.fill("#name", "Ann")
    page.fill("#email", "not-an-address")
    page.fill("#message", "Hello")
    page.click("button.primary")
    page.wait_for_selector("#form-errors:not([hidden])", timeout=WAIT_MS)
    assert "true" == page.get_attribute("#email", "aria-invalid")
    assert "true" == page.get_attribute("#rating", "aria-invalid")
    assert None is page.get_attribute("#name", "aria-invalid")
    assert page.is_visible("#email-error")
    assert "expected format" in (page.text_content("#email-error") or "")
    assert "required" in (page.text_content("#rating-error") or "")
    assert not page.is_visible("#name-error")
    assert "alert" == page.get_attribute("#form-errors", "role")
    assert "form-errors" == page.evaluate("document.activeElement.id")
    assert 2 == page.locator("#error-list li").count()
    shoot(page, "dashboard-invalid-form")
    page.close()


def test_a_valid_form_sent_by_keyboard_updates_the_charts(browser: Browser, server: str) -> None:
    """Typed and sent with the keyboard only, the feedback shows in the list and the charts."""
    page = open_dashboard(browser, server + "/", viewport={"width": 1280, "height": 900})
    count = int(page.get_attribute("#analytics-summary", "data-count") or 0)
    fives = bar(page, "histogram", "5★")
    page.focus("#name")
    page.keyboard.type("Browser Test")
    page.keyboard.press("Tab")
    page.keyboard.type("browser@example.com")
    page.keyboard.press("Tab")
    page.keyboard.press("5")  # picks "5 - excellent" in the focused select
    page.keyboard.press("Tab")
    page.keyboard.type("Superb service, the dashboard is wonderful.")
    page.keyboard.press("Tab")  # the optional customer id
    page.keyboard.press("Tab")  # the submit button
    page.keyboard.press("Enter")
    page.wait_for_selector("#form-status:has-text('feedback stored')", timeout=WAIT_MS)
    page.wait_for_function(
        f"Number(document.querySelector('#analytics-summary').dataset.count) === {count + 1}",
        timeout=WAIT_MS,
    )
    assert fives + 1 == bar(page, "histogram", "5★")
    # Drawn by the same refresh as the count, the list may land a moment after it.
    page.wait_for_selector("#recent li:has-text('Superb service')", timeout=WAIT_MS)
    assert page.is_hidden("#form-errors")
    shoot(page, "dashboard-after-submit")
    page.close()


def test_the_dashboard_fits_a_phone(browser: Browser, server: str) -> None:
    """At a phone's width the sections stack in one column, with no horizontal scrolling."""
    page = open_dashboard(
        browser, server + "/", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    boxes = [page.locator(s).bounding_box() for s in ("#form-title", "#analytics-title")]
    assert boxes[0] is not None
    assert boxes[1] is not None
    assert boxes[0]["y"] < boxes[1]["y"]  # stacked, not side by side
    shoot(page, "dashboard-phone")
    page.close()
