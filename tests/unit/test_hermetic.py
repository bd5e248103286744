"""The suite never touches the user's own saves, config or cache (issue 23.1).

Quitting a game as "Ann" during `make play` left an unfinished game in the
checkout's saves/, and a test that ran `quiz play` without --saves then failed
on it. Every test now gets its own folders through the environment, and a run
during which the checkout's saves/ changed fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import CHECKOUT_SAVES, MINI, ROOT, _entries, run_quiz


def test_a_game_quit_without_saves_is_kept_in_the_tests_own_folder(hermetic: Path) -> None:
    before = _entries(CHECKOUT_SAVES)
    # A subprocess, as a user runs it: it must inherit the test's folders.
    result = run_quiz(
        "play", "--plain", "--deck", str(MINI), "--player", "Ann", "--count", "2", stdin="1\n"
    )
    assert result.code == 0 and "The game is saved" in result.out
    kept = list(Path(os.environ["QUIZ_SAVES"]).glob("ann-*/current.toml"))
    assert len(kept) == 1 and kept[0].is_relative_to(hermetic)
    assert _entries(CHECKOUT_SAVES) == before
    # The same player starts afresh in the next test: nothing of this game is
    # left where another test, or `quiz play` in the checkout, would find it.


def _project(tmp_path: Path, test: str) -> Path:
    """A copy of the suite's conftest in a checkout of its own, with one test module."""
    project = tmp_path / "checkout"
    (project / "tests").mkdir(parents=True)
    (project / "saves").mkdir()
    (project / "saves" / ".gitkeep").write_text("")
    for name in ("__init__.py", "conftest.py", "pilot_idle.py"):
        shutil.copy(ROOT / "tests" / name, project / "tests" / name)
    (project / "tests" / "test_one.py").write_text(test, encoding="utf-8")
    return project


def _pytest(
    project: Path, *workers: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run that checkout's suite; only the plugins it needs load (a third of the start-up)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")} | (env or {})
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    args = [*workers, "-q", "-p", "no:cacheprovider", "tests"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_run_that_writes_into_the_checkouts_saves_fails(tmp_path: Path) -> None:
    leaky = _project(
        tmp_path,
        "from pathlib import Path\n\n"
        "def test_leaks():\n"
        "    (Path(__file__).parent.parent / 'saves' / 'ann.toml').write_text('x')\n\n"
        "def test_fine():\n"
        "    pass\n",
    )
    # An xdist worker writes, as under `make test`: the controller checks once all end.
    result = _pytest(leaky, "-p", "xdist", "-n", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert "saves changed while the tests ran" in result.stdout
    assert "  ann.toml" in result.stdout


def test_a_run_that_leaves_the_checkouts_saves_alone_passes_whatever_the_user_set(
    tmp_path: Path,
) -> None:
    careful = _project(
        tmp_path,
        "import os\nfrom pathlib import Path\n\n"
        "def test_saves_where_it_is_told():\n"
        "    Path(os.environ['QUIZ_SAVES']).mkdir()\n"
        "    (Path(os.environ['QUIZ_SAVES']) / 'ann.toml').write_text('x')\n\n"
        "def test_sees_none_of_the_users_settings():\n"
        "    home = Path(os.environ['HOME'])\n"
        "    assert home != Path('/home/ann') and Path(os.environ['QUIZ_SAVES']).is_relative_to(home)\n"
        "    assert Path(os.environ['XDG_CONFIG_HOME']).is_relative_to(home)\n"
        "    assert os.environ['TERM'] == 'xterm-256color'\n"
        "    for name in ('NO_COLOR', 'COLUMNS', 'QUIZ_SERVED', 'QUIZ_NO_CACHE', 'TEXTUAL_DRIVER'):\n"
        "        assert name not in os.environ, name\n",
    )
    mine = {
        "HOME": "/home/ann",
        "XDG_CONFIG_HOME": "/home/ann/.config",
        "QUIZ_SAVES": str(careful / "saves"),
        "NO_COLOR": "1",
        "COLUMNS": "40",
        "TERM": "dumb",
        "QUIZ_SERVED": "1",
        "QUIZ_NO_CACHE": "1",
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    }
    result = _pytest(careful, env=mine)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "changed while the tests ran" not in result.stdout
