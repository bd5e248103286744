"""`quiz report --format html` in real headless chromium: drawn at laptop size, printed on A4,
and nothing it asks for ever leaves the page.

Runs with `make test-browser`. Skips, saying why, where chromium or Playwright is missing.
Set REPORT_SHOTS=DIR to keep the screenshot and the PDF there, to look at them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from quiz.saves.folder import SaveFolder
from tests.browser.test_live import CHROMIUM, FLAGS, playwright_api
from tests.conftest import Cli
from tests.unit.test_html_report import class_folder

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}


def test_the_report_draws_prints_on_a4_and_loads_nothing(cli: Cli, tmp_path: Path) -> None:
    sync_api = playwright_api()
    class_folder(tmp_path / "saves")
    result = cli("report", "--saves", str(tmp_path / "saves"), "--format", "html")
    assert result.code == 0, result.err
    shots = Path(os.environ.get("REPORT_SHOTS") or tmp_path)
    requests: list[str] = []

    def refuse(route: Any) -> None:
        requests.append(route.request.url)
        route.abort()

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_context(viewport=LAPTOP, java_script_enabled=True).new_page()
            page.route("**/*", refuse)
            errors: list[str] = []
            page.on("console", lambda msg: errors.append(msg.text))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.set_content(result.out, wait_until="load")
            # What a teacher sees: the hardest question first, its share, the bars, the grid.
            first = page.locator(".question").first
            assert "33% right" in first.inner_text()
            assert page.locator(".question svg").count() == 4  # right and one wrong answer, twice
            assert page.locator("table.grid tbody tr").count() == 3
            # A hostile player name is text on the page, never an element.
            assert page.locator("script").count() == 0
            assert "<script>alert(1)</script>[b]Cal" in page.locator("table.grid").inner_text()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= LAPTOP["width"]  # nothing runs off the side at laptop size
            page.screenshot(path=str(shots / "report-1366x768.png"), full_page=True)
            pdf = page.pdf(format="A4", print_background=True)
            (shots / "report-a4.pdf").write_bytes(pdf)
        finally:
            browser.close()
    assert requests == [] and errors == []
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pdf.startswith(b"%PDF") and pages == 2  # the questions, then the players on their own


def test_a_long_game_prints_its_players_names_on_one_line(cli: Cli, tmp_path: Path) -> None:
    """19 question columns on A4: the name column keeps "Player" and a name whole (it
    was squeezed to one letter a line), and the grid stays within the page."""
    from tests.saves_helpers import write_record
    from tests.unit.test_html_report import answer

    sync_api = playwright_api()
    saves = SaveFolder(tmp_path / "saves")
    folder = SaveFolder.games_in(saves.player_dir("Zed", create=True))
    folder.mkdir(parents=True, exist_ok=True)
    answers = [
        answer(
            {"question": f"q{k}/multiple-1", "fact": f"q{k}", "prompt": f"Q {k}?"}, "A", "A", 100
        )
        for k in range(19)
    ]
    write_record(
        folder, "20261101T100000Z-aaaaaaa0.toml", player="Zed", deck_title="D", score=1900,
        correct=19, answered=19, count=19, status="finished", answers=answers,
    )  # fmt: skip
    result = cli("report", "--saves", str(saves.root), "--format", "html")
    assert result.code == 0, result.err
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            # A4 less its margins, at 96 px an inch: 186 mm is 703 px.
            page = browser.new_context(viewport={"width": 703, "height": 1000}).new_page()
            page.emulate_media(media="print")
            page.set_content(result.out, wait_until="load")
            line = page.locator("table.grid td").nth(1).bounding_box()  # the score: one line
            for cell in ("table.grid th.name", "table.grid td.name"):
                box = page.locator(cell).bounding_box()
                assert box and line and box["height"] < 1.5 * line["height"], cell
            grid = page.locator("table.grid").bounding_box()
            assert grid and grid["x"] + grid["width"] <= 703
        finally:
            browser.close()
