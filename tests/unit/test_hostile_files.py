"""Every hostile file ends in a located error, exit code 1 and no traceback:
in `quiz validate`, `quiz preview` and `quiz play` alike."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quiz.saves.folder import SaveError, SaveFolder, player_slug
from tests.conftest import FIXED, Cli

CASES = {
    "not-utf8": b'id = "x"\ntitle = "caf\xe9"\n',
    "utf16": "id = 'x'\n".encode("utf-16"),
    "bom": b"\xef\xbb\xbfid = 'x'\n",
    "deep": b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "deep-tables": b"a = " + b"{ b = " * 2000 + b"1" + b" }" * 2000 + b"\n",
    "not-toml": b"<html>nope</html>",
    # The deck's title (its first `title = "` line), with an escape sequence in it.
    "escape": FIXED.read_bytes().replace(b'\ntitle = "', b'\ntitle = "\\u001b]0;pwned\\u0007', 1),
    "bidi": FIXED.read_bytes().replace(b'subject = "Motorsport"', b'subject = "Motor\\u202esport"'),
    "too-many-facts": b'id = "x"\ntitle = "T"\nsubject = "S"\ndescription = "D"\n[[sources]]\nid = "s"\ntitle = "t"\n'
    + b'[[facts]]\nid = "f"\n' * 20_001,
}


@pytest.fixture(params=sorted(CASES))
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"{request.param}.toml"
    path.write_bytes(CASES[request.param])
    return path


@pytest.mark.parametrize("command", ["validate", "preview", "play"])
def test_every_command_refuses_cleanly(
    cli: Cli, hostile: Path, command: str, tmp_path: Path
) -> None:
    args = {
        "validate": ["validate", str(hostile)],
        "preview": ["preview", "--deck", str(hostile)],
        "play": [
            "play",
            "--plain",
            "--player",
            "A",
            "--deck",
            str(hostile),
            "--saves",
            str(tmp_path / "s"),
        ],
    }[command]
    result = cli(*args, stdin="")
    text = result.out + result.err
    assert result.code == 1, text
    assert "Traceback" not in text
    assert f"{hostile}:" in text  # located, by name and line
    assert "\x1b" not in text and "\u202e" not in text  # an error never replays the escape


@pytest.mark.parametrize("path", ["/dev/zero", "/proc/self/status"])
def test_special_files_are_refused(cli: Cli, path: str) -> None:
    if not Path(path).exists():
        pytest.skip(f"{path} does not exist here")
    result = cli("validate", path)
    assert result.code == 1 and "Traceback" not in result.err


def test_a_symlinked_lock_is_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "victim"
    target.write_text("keep")
    saves = SaveFolder(tmp_path / "saves")
    folder = saves.player_dir("Ann", create=True)
    (folder / ".lock").symlink_to(target)
    from quiz.deckfile.read import load_deck
    from quiz.session import start_game

    game = start_game(load_deck(FIXED), saves, "Ann", count=1, seed=1)
    game.answer(0, 1)
    with pytest.raises(SaveError, match="symbolic link"):
        saves.save_finished(game)
    assert target.read_text() == "keep"


def test_a_read_only_save_folder_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import tempfile

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    result_error = None
    try:
        from quiz.deckfile.read import load_deck
        from quiz.session import start_game

        saves = SaveFolder(tmp_path)
        game = start_game(load_deck(FIXED), saves, "Ann", count=1, seed=1)
        game.answer(0, 1)
        saves.save_finished(game)
    except SaveError as exc:
        result_error = str(exc)
    assert result_error is not None and "Read-only file system" in result_error
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_served_players_choose_names_and_bundled_decks_never_paths(tmp_path: Path) -> None:
    from quiz.serve import play_command

    command = play_command(tmp_path, None)
    assert (
        "--player" not in command and "--deck" not in command
    )  # the start screen asks for a name only
    for name in ("../../etc/passwd", "/tmp/x", "..", "C:\\Windows"):
        slug = player_slug(name)
        assert (tmp_path / slug).resolve().parent == tmp_path.resolve()
    assert os.sep not in player_slug("../x")


def test_a_raw_escape_byte_is_refused_without_replaying_it(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "raw.toml"
    deck.write_bytes(
        FIXED.read_bytes().replace(b'subject = "Motorsport"', b'subject = "Motor\x1b[2Jsport"')
    )
    result = cli("validate", str(deck))
    assert result.code == 1
    assert "this is not valid TOML" in result.out and "line" in result.out
    assert "\x1b" not in result.out + result.err
