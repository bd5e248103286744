"""The game in a real headless browser: load the page, play a question, see the save.

Runs with `make test-browser` (Debian's chromium driven by Playwright). Skips,
saying why, where chromium or Playwright is missing.
"""

from __future__ import annotations

import shutil
import time
import tomllib
from pathlib import Path

import pytest

from tests.serve_helpers import serving

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def wait_for(check, seconds: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    return None


def test_play_a_question_in_the_browser_and_the_save_is_written(tmp_path: Path) -> None:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed: run `make test-browser`"
    )
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Debian's chromium is not installed: run `make test-browser`, which installs it"
        )
    saves = tmp_path / "saves"
    with serving(saves) as url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700})
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.mouse.click(550, 350)  # textual-serve starts the app on the first click
            time.sleep(5)  # the terminal is a canvas: there is no DOM text to wait on
            page.mouse.click(300, 62)  # the name field, top left of the start screen
            time.sleep(0.5)
            page.keyboard.type("Browser Player")
            page.keyboard.press("Enter")
            time.sleep(2)
            # "1" picks a choice; on a typed or number question it is the text, and
            # Enter answers (on an order, Enter answers with the order shown).
            page.keyboard.press("1")
            page.keyboard.press("Enter")
            current = wait_for(lambda: next(iter(saves.glob("*/current.toml")), None))
            page.screenshot(path=str(tmp_path / "browser.png"))
        finally:
            browser.close()
    assert current is not None, "no save was written after answering in the browser"
    record = tomllib.loads(current.read_text(encoding="utf-8"))
    assert (
        record["player"] == "Browser Player" and record["answered"] == 1 and record["mode"] == "tui"
    )
    assert (tmp_path / "browser.png").stat().st_size > 10_000


@pytest.mark.browser
def test_on_a_390_px_phone_the_terminal_is_at_least_60x20(tmp_path: Path) -> None:
    """A real headless browser at an iPhone's size: the page asks for the game's smallest size."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed: run `make test-browser`, which installs it")
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    sizes: list[str] = []
    with serving(tmp_path / "saves") as url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=flags, headless=True)
        try:
            for width, height in ((390, 844), (844, 390)):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.on("websocket", lambda ws: sizes.append(ws.url))
                page.goto(url)
                page.wait_for_function("document.body.classList.contains('-first-byte')")
                assert page.evaluate("document.documentElement.clientWidth") == width
                page.close()
        finally:
            browser.close()
    for asked in sizes:
        query = dict(part.split("=") for part in asked.split("?", 1)[1].split("&"))
        assert int(query["width"]) >= 60 and int(query["height"]) >= 20, asked
    assert len(sizes) == 2
