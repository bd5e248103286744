"""`quiz report --format html`: the figures of a save folder known by hand, on one safe page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from quiz.saves.folder import SaveFolder
from tests.conftest import Cli
from tests.saves_helpers import DECK, write_record

HOSTILE = "<script>alert(1)</script>[b]Cal\x1b[2J"
Q1 = {"question": "q-one/multiple-1", "fact": "q-one", "prompt": "Which <i>one</i>?"}
Q2 = {"question": "q-two/multiple-1", "fact": "q-two", "prompt": "Two?"}


def answer(q: dict[str, str], right: str, given: str, points: int) -> dict[str, Any]:
    return q | {
        "correct": given == right,
        "seconds": 2.0,
        "points": points,
        "right": right,
        "choice": 0,
        "chosen": given,
    }


def class_folder(root: Path) -> SaveFolder:
    """Three players, two questions. Q1 (right: Alpha): Ann right, Ben and Cal 'Beta'.
    Q2 (right: Yes): Ann and Ben right, Cal 'No'. Scores 200, 100, 0. Dee quit: not counted."""
    saves = SaveFolder(root)
    games = {
        "Ann": [answer(Q1, "Alpha", "Alpha", 100), answer(Q2, "Yes", "Yes", 100)],
        "Ben": [answer(Q1, "Alpha", "Beta", 0), answer(Q2, "Yes", "Yes", 100)],
        HOSTILE: [answer(Q1, "Alpha", "Beta", 0), answer(Q2, "Yes", "No <b>", 0)],
        "Dee": [answer(Q1, "Alpha", "Gamma", 0)],
    }
    for k, (player, answers) in enumerate(games.items()):
        folder = SaveFolder.games_in(saves.player_dir(player, create=True))
        folder.mkdir(parents=True, exist_ok=True)
        write_record(
            folder,
            f"20261101T10000{k}Z-aaaaaaa{k}.toml",
            player=player,
            deck_title=HOSTILE,
            score=sum(a["points"] for a in answers),
            correct=sum(a["correct"] for a in answers),
            answered=len(answers),
            count=len(answers),
            status="quit" if player == "Dee" else "finished",
            answers=answers,
        )
    return saves


def text_of(html: str) -> str:
    """What a reader sees: tags gone, spaces as one."""
    spaced = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return re.sub(r" ([,:;])", r"\1", spaced)


def test_the_page_shows_the_figures_known_by_hand(cli: Cli, tmp_path: Path) -> None:
    class_folder(tmp_path / "saves")
    out = tmp_path / "report.html"
    args = ("report", "--saves", str(tmp_path / "saves"), "--format", "html")
    result = cli(*args, "--out", str(out))
    assert result.code == 0, result.err
    page = out.read_text(encoding="utf-8")
    words = text_of(page)
    assert "3 games, 3 players, 2 questions" in words and "Played 2026-11-01" in words
    # Hardest first: Q1 (1 of 3 right) before Q2 (2 of 3).
    first, second = page.index('id="q1"'), page.index('id="q2"')
    q1, q2 = text_of(page[first:second]), text_of(page[second : page.index("Players</h2>")])
    # The report numbers questions hardest first; where the games asked it is said too.
    assert "Which &lt;i&gt;one&lt;/i&gt;?" in q1 and "33% right, 3 answers" in q1
    assert "question 1 in the game" in text_of(q1) and "question 2 in the game" in text_of(q2)
    assert "✓ Alpha 1 of 3 (33%)" in q1 and "✗ Beta 2 (67%)" in q1 and "Gamma" not in page
    assert "Two?" in q2 and "67% right" in q2 and "✗ No &lt;b&gt; 1 (33%)" in q2
    # The bars are drawn to scale: 1/3 and 2/3 of 220 pixels.
    assert '<rect x="0" y="0" width="73" height="14" fill="var(--right)"/>' in page[first:second]
    assert '<rect x="0" y="0" width="147" height="14" fill="var(--wrong)"/>' in page[first:second]
    # Per player: score, right, games, then a mark per question in the hardest-first order.
    rows = re.findall(r"<tr><td class=\"name\">(.*?)</tr>", page)
    grid = [text_of(r).split() for r in rows]
    assert grid[0] == ["Ann", "200", "2/2", "1", "✓", "✓"]
    assert grid[1] == ["Ben", "100", "1/2", "1", "✗", "✓"]
    assert grid[2][1:] == ["0", "0/2", "1", "✗", "✗"]
    # Player and deck text is data: escaped, escapes stripped, never a tag.
    assert "<script>" not in page and "\x1b" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;[b]Cal" in page
    assert "Deck: &lt;script&gt;alert(1)&lt;/script&gt;[b]Cal[2J" in words
    # The CSV of the same folder agrees.
    rows_json = json.loads(cli(*args[:-1], "json").out)
    assert sum(r["correct"] == "yes" for r in rows_json) == 3 and len(rows_json) == 6


def test_the_page_is_self_contained_and_prints_on_a4(cli: Cli, tmp_path: Path) -> None:
    class_folder(tmp_path / "saves")
    result = cli("report", "--saves", str(tmp_path / "saves"), "--format", "html")
    assert result.code == 0, result.err
    page = result.out
    assert "<script" not in page.lower() and "http://" not in page and "https://" not in page
    assert "src=" not in page and "<link" not in page and "@import" not in page
    assert "default-src 'none'" in page
    assert "@page { size: A4" in page and "@media print" in page and "break-inside: avoid" in page


def test_since_deck_and_room_choose_the_games(cli: Cli, tmp_path: Path) -> None:
    saves = class_folder(tmp_path / "saves")
    base = ("report", "--saves", str(tmp_path / "saves"), "--format", "html")
    later = text_of(cli(*base, "--since", "2026-11-02").out)
    assert "0 games" in later and "No games to report" in later
    other = text_of(cli(*base, "--deck", "another-deck").out)
    assert "deck another-deck: 0 games" in other
    assert DECK.id in text_of(cli(*base, "--deck", DECK.id).out)
    # A live room's record names its players' games: only those are reported.
    saves.rooms_dir.mkdir(parents=True, exist_ok=True)
    missing = cli(*base, "--room", "123456")
    assert missing.code == 1 and "no live room 123456" in missing.err
    bad = cli(*base, "--room", "12ab")
    assert bad.code == 2 and "room code" in bad.err
    (saves.rooms_dir / "20261101T100000Z-123456.json").write_text("{", encoding="utf-8")
    broken = cli(*base, "--room", "123456")
    assert broken.code == 1 and "Traceback" not in broken.err
    players = [
        {"name": name, "token_sha256": "0" * 64, "first": 1, "game": f"aaaaaaa{k}"}
        for k, name in ((0, "Ann"), (1, "Ben"))
    ]
    record = {"format": 1, "code": "123456", "seed": 1, "deck": DECK.id, "count": 2}
    record |= {"phase": "end", "question": 2, "questions": [Q1["question"], Q2["question"]]}
    (saves.rooms_dir / "20261101T110000Z-123456.json").write_text(
        json.dumps(record | {"players": players}), encoding="utf-8"
    )
    room = cli(*base, "--room", "123456")
    assert room.code == 0, room.err
    words = text_of(room.out)
    assert "room 123456: 2 games, 2 players" in words and "Ann 200" in words and "0/2" not in words
    assert "✓ Alpha 1 of 2 (50%)" in words


def test_out_is_never_written_through_a_link_nor_over_a_file_unasked(
    cli: Cli, tmp_path: Path
) -> None:
    class_folder(tmp_path / "saves")
    target = tmp_path / "kept.txt"
    target.write_text("mine", encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    base = ("report", "--saves", str(tmp_path / "saves"), "--format", "html", "--out")
    assert cli(*base, str(target)).code == 1
    assert cli(*base, str(link), "--force").code == 1
    assert target.read_text(encoding="utf-8") == "mine"
    assert cli(*base, str(target), "--force").code == 0
    assert "Quiz report" in target.read_text(encoding="utf-8")


def test_a_close_answer_is_marked_close_not_wrong(cli: Cli, tmp_path: Path) -> None:
    # A close estimate (part of the points) is what the phones and the projector called
    # "≈ Close": the printed grid says it too, beside a plain right and a plain wrong.
    saves = SaveFolder(tmp_path / "saves")
    folder = SaveFolder.games_in(saves.player_dir("Bo", create=True))
    folder.mkdir(parents=True, exist_ok=True)
    near = answer(Q1, "Alpha", "Beta", 500) | {"credit": 0.5}
    answers = [near, answer(Q2, "Yes", "Yes", 1000)]
    write_record(
        folder, "20261101T100000Z-bbbbbbb1.toml", player="Bo", score=1500, correct=1,
        answered=2, count=2, status="finished", answers=answers,
    )  # fmt: skip
    out = tmp_path / "r.html"
    result = cli(
        "report", "--saves", str(tmp_path / "saves"), "--format", "html", "--out", str(out)
    )
    assert result.code == 0, result.err
    (row,) = [r for r in re.findall(r"<tr>.*?</tr>", out.read_text("utf-8")) if ">Bo<" in r]
    assert row.count('class="mark-near"') == 1 and row.count('class="mark-right"') == 1
    assert "mark-wrong" not in row
