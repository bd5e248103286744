"""Self-paced homework (issue 26) in real headless chromium at 390x844: a phone's question
comes without the host pressing anything, Next after each reveal, the result before the
homework closes, and the results when the host ends it.

Runs with `make test-browser`. Skips, saying why, where chromium or Playwright is missing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.browser.test_live import CHOICES, CHROMIUM, FLAGS, Host, playwright_api
from tests.conftest import ROOT
from tests.serve_helpers import free_port

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_two_phones_do_their_homework_at_their_own_pace(tmp_path: Path) -> None:
    sync_api = playwright_api()
    preview = subprocess.run(
        [sys.executable, "-m", "quiz", "preview", "--seed", "7", "--count", "2", *CHOICES]
        + ["--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    right = [q["answer"] for q in json.loads(preview.stdout)]
    port = free_port()
    tomorrow = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    args = ("--seed", "7", "--count", "2", "--timer", "off", *CHOICES)
    host = Host(tmp_path / "saves", port, *args, "--self-paced", "--until", tomorrow)
    shots = tmp_path / "shots"
    try:
        code = host.wait_for(r"^code (\d{6})$").group(1)
        host.wait_for(r"^Self-paced homework until " + tomorrow)
        url = f"http://127.0.0.1:{port}/?code={code}"
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=FLAGS, headless=True
            )
            try:
                ann = browser.new_context(viewport=PHONE).new_page()
                ann.goto(url)
                ann.fill("#name", "Ann")
                ann.click("#join-button")
                # Her first question, with nobody pressing Enter on the host.
                ann.wait_for_selector("#question:not([hidden])")
                assert ann.inner_text("#q-number") == "Question 1 of 2"
                ann.locator("#choices button.choice").nth(right[0]).click()
                ann.wait_for_selector("#reveal:not([hidden])")
                assert ann.inner_text("#r-verdict") == "\u2713 Right!"
                next_button = ann.locator("#r-next")
                sync_api.expect(next_button).to_be_visible()
                sync_api.expect(next_button).to_have_text("Next question")
                box = next_button.bounding_box()
                assert box and box["y"] + box["height"] <= PHONE["height"], "Next is below the fold"
                assert ann.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
                ann.screenshot(path=str(shots / "reveal.png"))
                host.wait_for(r"^Ann: answered 1 of 2, 1,?000 points, 1 right")
                next_button.click()
                ann.wait_for_selector("#question:not([hidden])")
                assert ann.inner_text("#q-number") == "Question 2 of 2"

                # Ben starts later, on his own first question, while Ann is on her second.
                ben = browser.new_context(viewport=PHONE).new_page()
                ben.goto(url)
                ben.fill("#name", "<b>Ben</b>")
                ben.click("#join-button")
                ben.wait_for_selector("#question:not([hidden])")
                assert ben.inner_text("#q-number") == "Question 1 of 2"
                ben.locator("#choices button.choice").nth((right[0] + 1) % 4).click()
                ben.wait_for_selector("#reveal:not([hidden])")
                assert ben.inner_text("#r-verdict") == "\u2717 Wrong"

                ann.locator("#choices button.choice").nth(right[1]).click()
                ann.wait_for_selector("#reveal:not([hidden])")
                sync_api.expect(next_button).to_have_text("See my result")
                next_button.click()
                ann.wait_for_selector("#end:not([hidden])")
                assert ann.inner_text("#e-title") == "All done!"
                assert ann.inner_text("#e-place") == "Place so far: 1"
                assert "when the homework closes" in ann.inner_text("#e-note")
                ann.screenshot(path=str(shots / "done.png"))

                # Ben does not tap Next: his second question comes by itself a few seconds on.
                ben.wait_for_selector("#question:not([hidden])", timeout=15_000)
                assert ben.inner_text("#q-number") == "Question 2 of 2"
                host.enter()  # the grid
                host.wait_for(r"^Where everyone is \(1 of 2 players done\):")
                host.wait_for(r"^  <b>Ben</b>: question 2 of 2, 0 points, 0 of 1 right")

                # The host ends it: both phones get the results.
                assert host.proc.stdin is not None
                host.proc.stdin.write("end\n")
                host.proc.stdin.flush()
                host.wait_for(r"^The homework is closed\.")
                for page in (ann, ben):
                    sync_api.expect(page.locator("#e-title")).to_have_text("Game over")
                assert ben.inner_text("#e-score") == "Score 0 \u00b7 0 of 2 right"
                sync_api.expect(ann.locator("#e-place")).to_have_text("Place 1")
                ann.screenshot(path=str(shots / "end.png"))
            finally:
                browser.close()
        host.wait_for(r"^Saved 2 player games and the room's record\.")
    finally:
        host.stop()
