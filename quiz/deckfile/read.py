"""Reading deck files: a size cap, parsing, folder decks, the cache, finding decks.

A deck is TOML. Everything a contributor can get wrong is reported as a
`Problem` with the file, the line of the offending key and, where there is
one, the fact id: never as a pydantic dump or a traceback. The schema itself
lives in quiz.deckfile.schema; the objects the game uses live in quiz.model.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz import __version__
from quiz.deckfile.limits import ANSWER_SLOT, CLAIM_RULE, MAX_FILE_BYTES, claim_fits
from quiz.model import Deck, IntegerAnswer, OrdinalAnswer, PoolAnswer, YearAnswer, deck_from_dict

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

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
        raise DeckError(
            [Problem(display, line, f"this is not valid TOML: {exc}", column=column)]
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
SCHEMA_VERSION = "3"


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
    from quiz.deckfile import schema  # pydantic: a cached deck starts without it

    schema.validate(data, source)
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


def reference_problems(
    deck: Deck,
    source: DeckSource | None = None,
    index: Sequence[int] | None = None,
    *,
    left_out: int = 0,
    unchecked: Mapping[str, int] | None = None,
    sources_known: bool = True,
) -> list[tuple[tuple[str | int, ...], str, str | None]]:
    """Checks the models cannot express alone: ids that must exist or be unique.

    ``index`` gives each of the deck's facts its place in the deck file's data,
    when the deck holds only the facts that passed the schema (`quiz validate`
    checks those while it reports the others' errors); ``left_out`` counts the
    others, and ``unchecked`` maps their ids to their places: 'follows' may name
    them, and a fact may share one's id. Without
    ``sources_known`` (the [[sources]] themselves have errors) no source is
    called unknown. ``source`` finds the line of the first of two facts with
    one id.
    """
    at = list(range(len(deck.facts))) if index is None else list(index)
    unchecked = unchecked or {}

    def fact_at(place: int) -> str:
        """Fact #N of the deck's data, and the line of its id."""
        text = f"fact #{place + 1}"
        if source is None:
            return text
        display, line = source.where(("facts", place, "id"))
        return (
            f"{text}, line {line}" if len(source.parts) == 1 else f"{text}, {display} line {line}"
        )

    def first(i: int) -> str:
        return fact_at(at[i])

    out: list[tuple[tuple[str | int, ...], str, str | None]] = []
    for path, message, fact_id in _references(deck, first, left_out, unchecked, sources_known):
        if len(path) >= 2 and path[0] == "facts" and isinstance(path[1], int):
            path = ("facts", at[path[1]], *path[2:])
        out.append((path, message, fact_id))
    # An id shared with a fact left out: the later of the two is the one to rename.
    for i, fact in enumerate(deck.facts):
        other = unchecked.get(fact.id)
        if other is not None:
            later, earlier = (at[i], other) if other < at[i] else (other, at[i])
            out.append(
                (
                    ("facts", later, "id"),
                    f"the fact id '{fact.id}' is used twice (also {fact_at(earlier)}); "
                    "give each fact its own id",
                    fact.id,
                )
            )
    return out


def _references(
    deck: Deck,
    first: Callable[[int], str],
    left_out: int,
    unchecked: Mapping[str, int],
    sources_known: bool,
) -> list[tuple[tuple[str | int, ...], str, str | None]]:
    out: list[tuple[tuple[str | int, ...], str, str | None]] = []
    if not deck.facts and not left_out:
        out.append(
            (
                ("facts",),
                "the deck has no facts yet: add a [[facts]] table (in a folder deck, a fact file beside deck.toml)",
                None,
            )
        )
    sources = {s.id for s in deck.sources}
    seen: dict[str, int] = {}
    for i, fact in enumerate(deck.facts):
        where: tuple[str | int, ...] = ("facts", i)
        if fact.id in seen:
            out.append(
                (
                    where + ("id",),
                    f"the fact id '{fact.id}' is used twice (also {first(seen[fact.id])}); give each fact its own id",
                    fact.id,
                )
            )
        seen.setdefault(fact.id, i)
        if sources_known and fact.source not in sources:
            out.append((where + ("source",), _unknown("source", fact.source, sources), fact.id))
        if fact.claim is None and fact.answer.kind != "boolean":
            pass  # No claim: the fact simply gives no true/false question.
        elif (
            fact.claim is not None and fact.answer.kind != "boolean" and not claim_fits(fact.claim)
        ):
            out.append(
                (
                    where + ("claim",),
                    f'{CLAIM_RULE}, e.g. "She finished {ANSWER_SLOT} at Kansas."',
                    fact.id,
                )
            )
        answers = [(where + ("answer",), fact.answer)]
        if fact.reverse is not None:
            answers.append((where + ("reverse", "answer"), fact.reverse.answer))
        for apath, answer in answers:
            if isinstance(answer, PoolAnswer):
                if answer.pool not in deck.pools:
                    out.append(
                        (apath + ("pool",), _unknown("pool", answer.pool, deck.pools), fact.id)
                    )
                elif answer.value not in deck.pools[answer.pool]:
                    out.append(
                        (
                            apath + ("value",),
                            f"'{answer.value}' is not in the pool '{answer.pool}'; add it to [pools] {answer.pool}",
                            fact.id,
                        )
                    )
            elif isinstance(answer, (IntegerAnswer, YearAnswer)):
                low = answer.min if answer.min is not None else answer.value
                high = answer.max if answer.max is not None else answer.value
                if not low <= answer.value <= high:
                    out.append(
                        (
                            apath + ("value",),
                            f"the answer {answer.value} is outside min..max ({low}..{high})",
                            fact.id,
                        )
                    )
            elif (
                isinstance(answer, OrdinalAnswer)
                and answer.max is not None
                and answer.value > answer.max
            ):
                out.append(
                    (
                        apath + ("value",),
                        f"the answer {answer.value} is larger than max ({answer.max})",
                        fact.id,
                    )
                )
    timed = {fact.id: fact.timeline.step for fact in deck.facts if fact.timeline is not None}
    for i, fact in enumerate(deck.facts):
        if fact.timeline is None:
            continue
        for k, earlier in enumerate(fact.timeline.follows):
            where = ("facts", i, "timeline", "follows", k)
            if earlier in unchecked and earlier not in seen:
                continue  # its errors come first; whether it has a timeline is checked after
            if earlier not in timed:
                message = (
                    _unknown("fact", earlier, seen)
                    if earlier not in seen
                    else f"'{earlier}' has no timeline; 'follows' names facts with a timeline"
                )
                out.append((where, message, fact.id))
            elif timed[earlier] >= fact.timeline.step:
                out.append(
                    (
                        where,
                        f"this event follows '{earlier}' but its step ({fact.timeline.step}) "
                        f"is not after that fact's step ({timed[earlier]})",
                        fact.id,
                    )
                )
    return out


def _unknown(what: str, name: str, known: Any) -> str:
    message = f"unknown {what} '{name}'"
    close = difflib.get_close_matches(name, list(known), n=1)
    if close:
        return f"{message}; did you mean '{close[0]}'?"
    if known:
        return f"{message}; the deck has: {', '.join(sorted(known))}"
    return f"{message}; the deck defines no {what}s"


# --- finding decks -------------------------------------------------------------


def bundled_dir() -> Path:
    """The folder of bundled decks: inside the wheel, or questions/ in a checkout."""
    here = Path(__file__).resolve().parent.parent  # the quiz package
    packaged = here / "_decks"
    if packaged.is_dir():
        return packaged
    return here.parent / "questions"


MAX_WALK = 20_000


def deck_files(folder: Path) -> list[Path]:
    """The decks below a folder, in a stable order: *.toml files, and folder decks.

    A folder holding deck.toml is one deck (its fact files are not decks of
    their own). Hidden folders and symlinked folders are skipped, and the walk
    stops with ValueError past MAX_WALK entries, so `quiz validate /` ends at
    once instead of walking the whole disk.
    """
    if deck_folder(folder) is not None:
        return [folder]
    found: list[Path] = []
    seen = 0
    for root, dirs, files in os.walk(folder, followlinks=False):
        seen += len(dirs) + len(files)
        if seen > MAX_WALK:
            raise ValueError(f"holds more than {MAX_WALK} files and folders; name a smaller folder")
        if "deck.toml" in files and Path(root) != folder:
            found.append(Path(root))
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / f for f in files if f.endswith(".toml"))
    return sorted(p for p in found if p.is_file() or p.is_dir())


DEFAULT_DECK = "amber-balcaen"


def resolve_deck(ref: str | None) -> Path:
    """Turn ``--deck PATH|ID`` into a path: an existing path, else a bundled deck id."""
    ref = ref or DEFAULT_DECK
    candidate = Path(ref)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in ref:
        return candidate
    for path in deck_files(bundled_dir()):
        if path.stem == ref or path.name == ref:
            return path
    return bundled_dir() / f"{ref}.toml"


def bundled(deck_id: str) -> tuple[Path, Deck]:
    """The bundled deck with this id, and its file: how a save's `deck` field becomes a deck.

    Looked up by the deck's id, not its file name (the file named like the id
    is tried first). Never a path: a save is a file anyone with the folder can
    edit, and its `deck` must not make quiz open /dev/zero, a FIFO or someone's file.
    """
    from quiz.deckfile.problems import DeckError, Problem

    if len(deck_id) <= 64 and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", deck_id):
        for path in sorted(deck_files(bundled_dir()), key=lambda p: p.stem != deck_id):
            try:
                deck = load_deck(path, path.name, use_cache=True)
            except DeckError:
                continue
            if deck.id == deck_id:
                return path, deck
    raise DeckError(
        [
            Problem(
                "the saved game",
                1,
                f"was played on the deck '{deck_id[:64]}', which is not a bundled deck; "
                "resume it with --deck PATH of that deck",
            )
        ]
    )


def bundled_deck(deck_id: str) -> Path:
    """The file of the bundled deck with this id (see `bundled`)."""
    return bundled(deck_id)[0]
