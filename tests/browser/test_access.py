"""Accommodations on a phone (issue 26 item 4), in real headless chromium at 390x844: a room
that keeps the question's text on its projector (`--show-question-on-devices off`), with a
player who has twice the time.

Runs with `make test-browser`. Skips, saying why, where chromium or Playwright is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_live import CHOICES, CHROMIUM, FLAGS, Host, join_on_phone, playwright_api
from tests.serve_helpers import free_port

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_question_without_its_text_shows_the_answers_and_the_player_s_own_time(
    tmp_path: Path,
) -> None:
    sync_api = playwright_api()
    port = free_port()
    host = Host(
        tmp_path / "saves",
        port,
        *("--seed", "7", "--count", "1", "--timer", "5", *CHOICES),
        *("--show-question-on-devices", "off", "--extra-time", "Ann=2"),
    )
    try:
        code = host.wait_for(r"^code (\d{6})$").group(1)
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=FLAGS, headless=True
            )
            try:
                url = f"http://127.0.0.1:{port}/?code={code}"
                page = join_on_phone(browser, url, "Ann", viewport=PHONE)
                host.wait_for(r"Joined: Ann \u00b7 2x time \(1 player\)")
                host.enter()
                page.wait_for_selector("#question:not([hidden])")
                assert page.inner_text("#q-prompt") == "The question is on the host's screen."
                buttons = page.locator("#choices button.choice")
                assert buttons.count() >= 2
                for k in range(buttons.count()):
                    assert buttons.nth(k).is_visible()
                # Ann's own 10 seconds, not the room's 5.
                left = int(page.inner_text("#q-time").removesuffix(" s"))
                assert 7 <= left <= 10, f"{left} s left: not Ann's own 10"
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], "the page scrolls sideways on a 390-px phone"
                page.screenshot(path=str(tmp_path / "no-prompt.png"), full_page=True)
                buttons.nth(0).click()
                page.wait_for_selector("#reveal:not([hidden])", timeout=15_000)
                assert page.locator("#r-prompt").is_hidden()  # no empty quote of the question
            finally:
                browser.close()
    finally:
        host.stop()
