"""Reading deck files: a size cap, parsing, folder decks, the cache, building a deck.

A deck is TOML. Everything a contributor can get wrong is reported as a
`Problem` with the file, the line of the offending key and, where there is
one, the fact id: never as a pydantic dump or a traceback. The schema itself
lives in quiz.deckfile.schema (its errors in quiz.deckfile.screen), the checks
across keys in quiz.deckfile.references, finding decks in quiz.deckfile.catalog;
the objects the game uses live in quiz.model.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz import __version__
from quiz.deckfile.limits import MAX_FILE_BYTES
from quiz.deckfile.references import reference_problems
from quiz.model import Deck, deck_from_dict

if TYPE_CHECKING:
    from quiz.deckfile.problems import DeckSource, Problem

# quiz.deckfile.problems is imported where a problem can arise, not at the top:
# a deck read from the parse cache (play, preview) never needs it.

# --- reading ------------------------------------------------------------------


def read_capped(path: Path, cap: int | None = None) -> bytes:
    """Read at most ``cap`` + 1 bytes, so an endless file costs nothing."""
    cap = MAX_FILE_BYTES if cap is None else cap
    # Non-blocking, so a FIFO in a deck's place never hangs; then only a
    # regular file is read (no FIFO, device, socket or folder).
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise ValueError("is a folder, not a file")
        raise ValueError("is not a regular file (a FIFO, a device or a socket)")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise ValueError(
            f"is larger than {max(cap, 1) / (1024 * 1024):.3g} MiB, the limit for a deck "
            "(a folder deck's files share 32 MiB)"
        )
    return data


def decode(data: bytes) -> str:
    """Decode a deck's bytes as UTF-8, or say clearly why not."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise ValueError("starts with a byte-order mark (BOM); save it as UTF-8 without a BOM")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) >= 2 and b"\x00" in data[:2]):
        raise ValueError("looks like UTF-16; save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _LineError(
            line, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8"
        ) from None


class _LineError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def parse_toml(path: Path, display: str, cap: int | None = None) -> tuple[dict[str, Any], str]:
    """Read and parse a TOML file with a size cap; raise DeckError if it cannot be."""
    from quiz.deckfile.problems import DeckError, Problem

    try:
        if path.is_dir():
            raise ValueError("is a folder, not a deck file")
        text = decode(read_capped(path, cap))
    except FileNotFoundError:
        raise DeckError([Problem(display, 1, "no such file")]) from None
    except _LineError as exc:
        raise DeckError([Problem(display, exc.line, f"this file {exc}")]) from None
    except ValueError as exc:
        raise DeckError([Problem(display, 1, f"this file {exc}")]) from None
    except OSError as exc:
        raise DeckError([Problem(display, 1, f"cannot be read: {exc.strerror or exc}")]) from None
    import tomllib  # not at the top: a cached deck starts without it

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_position(str(exc))
        hint = ""
        if "Illegal character '\\n'" in str(exc) or "Unterminated string" in str(exc):
            # What a newcomer did: a quote opened and not closed before the line's end.
            hint = "; is a string's closing quote missing on this line?"
        raise DeckError(
            [Problem(display, line, f"this is not valid TOML: {exc}{hint}", column=column)]
        ) from None
    except RecursionError:
        raise DeckError(
            [Problem(display, 1, "this file is nested too deeply to be a deck")]
        ) from None
    except ValueError:
        # tomllib turns a number of more than 4,300 digits into a ValueError.
        raise DeckError(
            [Problem(display, 1, "this file holds a number too long to read (over 4,300 digits)")]
        ) from None
    return data, text


def _toml_position(message: str) -> tuple[int, int | None]:
    match = re.search(r"line (\d+), column (\d+)", message)
    if match:
        return int(match.group(1)), int(match.group(2))
    match = re.search(r"line (\d+)", message)
    return (int(match.group(1)), None) if match else (1, None)


MAX_FACT_FILES = 5_000


def deck_folder(path: Path) -> Path | None:
    """The folder of a folder deck, if ``path`` is one (the folder or its deck.toml)."""
    if path.is_dir() and (path / "deck.toml").is_file():
        return path
    if path.name == "deck.toml" and path.is_file():
        return path.parent
    return None


def read_deck(path: Path, display: str | None = None) -> tuple[dict[str, Any], DeckSource]:
    """Parse a deck file, or a folder deck's deck.toml and fact files, into one data dict."""
    from quiz.deckfile.problems import DeckError

    data, source, problems = read_deck_parts(path, display)
    if problems:
        raise DeckError(problems)
    return data, source


def read_deck_parts(
    path: Path, display: str | None = None
) -> tuple[dict[str, Any], DeckSource, list[Problem]]:
    """Like `read_deck`, but a folder deck's fact file that cannot be read is a problem
    beside the rest: the facts of every other file are read, and checked in the same run.

    Raise DeckError only when the deck's own file cannot be read.
    """
    from quiz.deckfile.problems import DeckError, DeckSource, Part, Problem

    folder = deck_folder(path)
    if folder is None:
        display = display or str(path)
        data, text = parse_toml(path, display)
        return data, DeckSource.single(text, display), []
    main = folder / "deck.toml"
    if main.is_symlink():
        raise DeckError(
            [
                Problem(
                    str(main),
                    1,
                    "this deck.toml is a symbolic link; folder decks hold only real files",
                )
            ]
        )
    data, text = parse_toml(main, str(main))
    facts = data.get("facts", [])
    if not isinstance(facts, list):
        return data, DeckSource.single(text, str(main)), []
    facts = list(facts)
    parts = [Part(str(main), text, 0, len(facts))]
    used = len(text.encode("utf-8", "surrogatepass"))
    problems: list[Problem] = []
    files = sorted(p for p in folder.glob("*.toml") if p.name != "deck.toml")
    if len(files) > MAX_FACT_FILES:
        raise DeckError(
            [Problem(str(folder), 1, f"this folder deck has more than {MAX_FACT_FILES} fact files")]
        )
    for file in files:
        if file.is_symlink():
            # Decks come by pull request and are checked in contributors'
            # repositories: a link could read any file on their machine.
            problems.append(
                Problem(
                    str(file),
                    1,
                    "this fact file is a symbolic link; folder decks hold only real files, "
                    "so copy the facts in",
                )
            )
            continue
        try:
            # The whole folder deck shares one size budget, not 32 MiB per file.
            budget = MAX_FILE_BYTES - used
            if budget <= 0:
                raise DeckError(
                    [Problem(str(folder), 1, "this folder deck is larger than 32 MiB in all")]
                )
            fdata, ftext = parse_toml(file, str(file), budget)
        except DeckError as exc:
            problems.extend(exc.problems)
            continue
        part = DeckSource.single(ftext, str(file))
        for key in fdata:
            if key != "facts":
                problems.append(
                    part.problem(
                        (key,),
                        f"a fact file holds only [[facts]] tables; move '{key[:60]}' to {main.name}",
                    )
                )
        ffacts = fdata.get("facts", [])
        if not isinstance(ffacts, list):
            problems.append(part.problem(("facts",), "'facts' must be [[facts]] tables"))
            continue
        used += len(ftext.encode("utf-8", "surrogatepass"))
        parts.append(Part(str(file), ftext, len(facts), len(ffacts)))
        facts.extend(ffacts)
    if len(parts) > 1:
        data = {**data, "facts": facts}
    return data, DeckSource(parts, display=str(folder)), problems


# Bump when the schema or the lint rules change, so cached verdicts expire.
SCHEMA_VERSION = "4"


def _validated_marker(text: str) -> Path | None:
    """Where we note that this exact deck text passed the schema before."""
    if os.environ.get("QUIZ_NO_CACHE"):
        return None
    from platformdirs import user_cache_path  # ~5 ms: only for play and preview

    digest = hashlib.sha256(
        f"{SCHEMA_VERSION}\0{__version__}\0{text}".encode("utf-8", "surrogatepass")
    ).hexdigest()
    return user_cache_path("quiz", appauthor=False) / "validated" / digest


def load_deck(path: Path | str, display: str | None = None, *, use_cache: bool = False) -> Deck:
    """Load a deck (a file or a folder deck) and check its structure and cross-references.

    With ``use_cache`` (play and preview), a deck whose exact text passed the
    schema before is built without importing pydantic again: start-up is what
    a player waits for. `quiz validate` always checks everything.
    """
    if use_cache:
        cached = _parsed_from_cache(Path(path))
        if cached is not None:
            return cached
    data, source = read_deck(Path(path), display)
    marker = _validated_marker(source.text) if use_cache else None
    if marker is not None and _unsealed(marker) is not None:
        try:
            deck = deck_from_dict(data)
            if len(source.parts) == 1:  # the cached parse was missing or damaged: renew it
                _note_parsed(marker, data)
            return deck
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # Whatever happened, a full check below says what is wrong.
    deck = build_deck(data, source)
    if marker is not None:
        _note_parsed(marker, data if len(source.parts) == 1 else None)
    return deck


def _parsed_from_cache(path: Path) -> Deck | None:
    """A deck file whose exact text passed before, from its parsed data kept as JSON.

    The verdict marker holds the parsed deck (JSON reads ~40x faster than TOML),
    keyed by the hash of the text, so an edited deck is never read from it.
    Anything amiss (a folder deck, an old empty marker, a damaged file): None.
    """
    try:
        if deck_folder(path) is not None:
            return None
        marker = _validated_marker(decode(read_capped(path)))
        if marker is None:
            return None
        payload = _unsealed(marker)
        return deck_from_dict(json.loads(payload)) if payload else None
    except Exception:  # noqa: BLE001 - only a cache: the full path below says what is wrong
        return None


def _note_parsed(marker: Path, data: dict[str, Any] | None) -> None:
    """Keep the parsed deck in its verdict marker (an empty marker for a folder deck or non-JSON data)."""
    try:
        text = json.dumps(data, ensure_ascii=False) if data is not None else ""
        if text and json.loads(text) != data:
            text = ""
    except (TypeError, ValueError):
        text = ""
    from quiz.disk import seal
    from quiz.disk.files import SaveError, atomic_write

    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        payload = text.encode("utf-8")
        # atomic_write refuses a symlink at the marker's place: never write through one.
        atomic_write(marker, seal.seal(f"deck-cache {marker.name}", payload) + "\n" + text)
    except (OSError, SaveError):
        pass  # Only a cache.


def _unsealed(marker: Path) -> bytes | None:
    """A cache entry's JSON (b"" for a verdict alone), only if this account sealed it for this text.

    Read like a save (a regular file, no symlink, no FIFO, capped), so a planted
    or edited entry costs a full check of the deck, never a lie or a hang.
    """
    from quiz.disk import seal
    from quiz.disk.files import read_nofollow

    try:
        data = read_nofollow(marker, cap=MAX_FILE_BYTES * 4)
    except OSError:
        return None
    given, _, payload = data.partition(b"\n")
    try:
        ok = seal.sound(f"deck-cache {marker.name}", payload, given.decode("ascii"))
    except UnicodeDecodeError:
        return None
    return payload if ok else None


def build_deck(data: dict[str, Any], source: DeckSource | str, display: str | None = None) -> Deck:
    """Validate parsed TOML as a deck; raise DeckError with located problems.

    ``source`` is a DeckSource, or the text of a single file (then ``display``
    names it).
    """
    from quiz.deckfile.problems import DeckError, DeckSource

    if isinstance(source, str):
        source = DeckSource.single(source, display or "<deck>")
    unlike = not_a_deck(data, source)
    if unlike is not None:
        raise DeckError([unlike])
    from quiz.deckfile import screen  # pydantic: a cached deck starts without it

    screen.validate(data, source)
    deck = deck_from_dict(data)
    problems = reference_problems(deck, source)
    if problems:
        raise DeckError([source.problem(p, msg, fact) for p, msg, fact in problems])
    return deck


def not_a_deck(data: dict[str, Any], source: DeckSource) -> Problem | None:
    """The problem of a TOML file that is no deck at all (nothing else is worth checking)."""
    from quiz.deckfile.problems import Problem

    if any(key in data for key in ("id", "title", "facts")):
        return None
    return Problem(
        source.display if len(source.parts) == 1 else source.parts[0].display,
        1,
        "this is not a quiz deck: it has none of the keys 'id', 'title' "
        "or 'facts' (see questions/README.md for the format)",
    )
