"""The deck commands: validate, audit, preview, schema, import, export, add-fact, and the one way a command opens the deck --deck names."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.cli import argtypes
from quiz.cli.output import fail, show, usage, write_data, write_json
from quiz.errors import QuizError

if TYPE_CHECKING:
    from quiz.model import Deck
    from quiz.questions.question import Question


def preview_arguments(preview: argparse.ArgumentParser) -> None:
    preview.add_argument("--deck", metavar="PATH|ID", help="a deck file or a bundled deck id")
    preview.add_argument(
        "--count",
        type=argtypes.count,
        default=10,
        metavar="N",
        help=argtypes.count_help(),
    )
    preview_seed = preview.add_mutually_exclusive_group()
    preview_seed.add_argument(
        "--seed",
        type=argtypes.seed,
        metavar="N",
        help="the quiz seed (default: a random one, printed)",
    )
    preview.add_argument("--format", choices=("text", "json"), default="text")
    preview.add_argument(
        "--kinds",
        type=argtypes.kinds_arg,
        metavar="LIST",
        help="the question forms to ask, a comma list of: "
        "multiple,boolean,timeline,typed,estimate,order (default: the game's)",
    )
    preview.add_argument(
        "--fact",
        metavar="ID",
        help="show every question one fact generates, with its wrong answers",
    )
    preview.add_argument(
        "--answer-key",
        action="store_true",
        help="numbered questions with their right answers, for the host",
    )
    preview_seed.add_argument(
        "--daily", action="store_true", help="today's quiz: the same for everybody on this UTC date"
    )


def import_arguments(imp: argparse.ArgumentParser) -> None:
    imp.add_argument(
        "kind",
        choices=("opentdb", "gift", "csv", "kahoot", "moodle-xml", "aiken"),
        help="what the file is (kahoot: Kahoot's .xlsx template)",
    )
    imp.add_argument("file", metavar="FILE", help="the file to read")
    imp.add_argument(
        "--out",
        metavar="DECK.toml",
        required=True,
        help="the deck file to write (a new file; see --force)",
    )
    imp.add_argument("--title", help="the deck's title (default: from the file name)")
    argtypes.force_option(imp)


def export_arguments(exp: argparse.ArgumentParser) -> None:
    exp.add_argument("deck", metavar="DECK", help="a deck file, folder or bundled deck id")
    exp.add_argument(
        "--format",
        choices=("gift", "csv", "opentdb", "kahoot", "moodle-xml", "aiken", "anki"),
        required=True,
        help="kahoot (an .xlsx workbook) and anki (an .apkg) need --out",
    )
    exp.add_argument(
        "--kinds",
        type=argtypes.kinds_arg,
        metavar="LIST",
        help="the forms to export, each fact in the first it gives (default: the game's; "
        "a form the format has not is left out with a note)",
    )
    exp.add_argument(
        "--out",
        metavar="FILE",
        help="write here instead of to standard output (a new file; see --force)",
    )
    argtypes.force_option(exp)


def validate_arguments(validate: argparse.ArgumentParser) -> None:
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="deck files or folders (default: the bundled decks)",
    )
    validate.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    validate.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github: workflow annotations for pull requests",
    )


def schema_arguments(schema: argparse.ArgumentParser) -> None:
    schema.add_argument(
        "--facts", action="store_true", help="the schema of a folder deck's fact files instead"
    )


def audit_arguments(audit: argparse.ArgumentParser) -> None:
    audit.add_argument(
        "deck", nargs="?", metavar="DECK", help="a deck file, folder or bundled name"
    )
    audit.add_argument("--games", type=argtypes.count, default=500, metavar="N", help="games (500)")
    audit.add_argument(
        "--count", type=argtypes.count, default=10, metavar="N", help="questions (10)"
    )
    audit.add_argument("--format", choices=("text", "json"), default="text")
    audit.add_argument(
        "--kinds",
        type=argtypes.kinds_arg,
        metavar="LIST",
        help="the forms the games ask, a comma list (default: the game's)",
    )


def add_fact_arguments(add: argparse.ArgumentParser) -> None:
    add.add_argument(
        "deck", metavar="DECK", help="the deck file or folder to add to, or a bundled deck id"
    )


class DeckProblem(QuizError):
    """A deck could not be used; the problems are already formatted."""

    prefixed = False


def open_deck(ref: str | None) -> Deck:
    """Load the deck ``--deck`` names; raise DeckProblem with located errors.

    Play and preview check structure and references; the fairness rules of
    `quiz validate` run in CI, and the generator guards against what they catch.
    """
    from quiz.deckfile.catalog import resolve_deck, unknown_deck
    from quiz.deckfile.read import load_deck

    path = resolve_deck(ref)
    if (unknown := unknown_deck(ref)) is not None:
        raise DeckProblem(f"quiz: {unknown}")
    try:
        return load_deck(path, str(path) if ref else path.name, use_cache=True)
    except QuizError as exc:
        # load_deck's DeckError, caught as its base: a deck that loads never imports
        # quiz.deckfile.problems. One type for play's own handler.
        raise DeckProblem(str(exc)) from None


def cmd_validate(args: argparse.Namespace) -> int:
    from quiz.authoring.validate import check_all, strict_problems
    from quiz.deckfile.catalog import bundled_dir

    paths = [Path(p) for p in args.paths] or [bundled_dir()]
    results = check_all(paths)
    if args.strict:
        strict_problems(results)
    errors = warnings = 0
    for result in results:
        for problem in result.problems:
            print(problem.github() if args.format == "github" else problem)
            if problem.severity == "error":
                errors += 1
            elif problem.severity == "warning":  # a note says what waits for the next run
                warnings += 1
    decks = sum(1 for r in results if r.deck is not None and not r.errors)
    facts = sum(len(r.deck.facts) for r in results if r.deck is not None)
    from quiz.text import plural

    summary = (
        f"{plural(len(results), 'file')}, {plural(decks, 'valid deck')}, {plural(facts, 'fact')}: "
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    )
    print(summary, file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def cmd_audit(args: argparse.Namespace) -> int:
    from quiz.authoring.audit import audit, passes, render_text
    from quiz.authoring.faults import fact_faults
    from quiz.authoring.validate import check_file
    from quiz.deckfile.catalog import resolve_deck
    from quiz.text import plural

    deck = open_deck(args.deck)
    report = audit(deck, games=args.games, count=args.count, kinds=args.kinds)
    # The fact rules, located to the fact's line as `quiz validate` locates them.
    path = resolve_deck(args.deck)
    checked = check_file(path, str(path) if args.deck else path.name)
    faults = {(f.fact, f.message) for f in fact_faults(deck)}
    located = [str(p) for p in checked.problems if (p.fact, p.message) in faults]
    report["fact_faults"] = located
    if args.format == "json":
        write_json(report)
    else:
        print(render_text(report))
    if located:
        return fail(
            f"audit: {plural(len({f for f, _ in faults}), 'fact')} give their answer away by "
            "shape or meaning (listed above with their lines)"
        )
    if not passes(report):
        return fail(
            f"audit: the cue player scores {report['cue_score']}% and the test-wise player "
            f"{report['wise_score']}% against {report['chance']}% chance, with giveaways on "
            f"{report['giveaway_rate']}% of questions: above the limits"
        )
    return 0


def cmd_add_fact(args: argparse.Namespace) -> int:
    from quiz.deckfile.catalog import resolve_deck, unknown_deck
    from quiz.deckfile.problems import DeckError
    from quiz.plain.addfact import add_fact

    path = resolve_deck(args.deck)  # a file, a folder deck, or a bundled deck id
    if (unknown := unknown_deck(args.deck)) is not None:
        return fail(unknown)
    try:
        return add_fact(path, sys.stdin, sys.stdout)
    except DeckError as exc:
        print("quiz: fix the deck before adding to it:", file=sys.stderr)
        show(exc)
        return 1


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr while long work runs, when stderr is a terminal; else None.

    The callback takes (done, total); the bar goes away when the work ends, so
    only the command's own lines stay on the screen.
    """
    if not (sys.stderr is not None and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield tick


def cmd_import(args: argparse.Namespace) -> int:
    from quiz.authoring.importing import import_deck
    from quiz.text import plural

    # Its one line of output says where the deck went: with stdout closed,
    # refuse before writing rather than write a deck and fail (issue 22).
    sys.stdout.write("")  # OutputClosed, said once on stderr: cli.main, exit 1
    out = Path(args.out)
    problem = writable_target(out, args.force)  # the same rule as export's --out
    if problem is not None:
        return fail(problem)
    with progress("Importing") as tick:
        written, skipped = import_deck(
            Path(args.file),
            out,
            args.kind,
            args.title,
            lambda note: show(f"quiz: {note}"),
            replace=args.force,
            tick=tick,
        )  # a QuizError says why nothing was written: cli.main
    import shlex

    from quiz.session.commands import quiz_command

    try_it = shlex.join([quiz_command(), "preview", "--deck", str(out)])  # runs as printed
    show(
        f"Wrote {out}: {plural(written, 'question')}, {skipped} skipped. Try it: {try_it}",
        sys.stdout,
    )
    return 0


def writable_target(path: Path, force: bool) -> str | None:
    """Why ``path`` may not be written, or None: only a new file, or a regular one with --force.

    A FIFO, a device, a folder or a symlink is never replaced, and an
    existing file is never overwritten unless asked.
    """
    import stat

    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
        return f"{path} is {kind}; choose another --out (it is never replaced)"
    if not force:
        return f"{path} already exists; add --force to replace it, or choose another --out"
    return None


def cmd_export(args: argparse.Namespace) -> int:
    from quiz.authoring import exporting, importing
    from quiz.disk.files import atomic_write, atomic_write_bytes

    deck = open_deck(args.deck)
    if args.format == "anki":  # a binary file, written by its own module (quiz/cli/anki.py)
        from quiz.cli.anki import export_deck

        return export_deck(deck, args, writable_target)
    if args.format == "kahoot" and args.out is None:
        return fail(
            "a Kahoot sheet is an .xlsx workbook, not text for standard output; add --out FILE.xlsx"
        )
    target = None if args.out is None else Path(args.out)
    problem = None if target is None else writable_target(target, args.force)
    if problem:
        return fail(problem)
    with progress("Exporting") as tick:
        export = exporting.export_for(deck, args.kinds, args.format, tick)
        data = importing.written(deck, export, args.format)
    if target is None:
        assert isinstance(data, str)  # only Kahoot's is bytes, and it needs --out
        write_data(data, out_flag=True)
    elif isinstance(data, bytes):
        atomic_write_bytes(target, data)  # SaveError: cli.main
    else:
        atomic_write(target, data)
    for detail in export.details:
        show(f"quiz: {detail}")
    show(f"quiz: {export.summary(args.format)}")  # what was written, and all it lost
    if target is not None:
        show(f"Wrote {args.out} ({args.format}).")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from quiz.deckfile.schema import json_schema

    write_json(json_schema(facts_only=args.facts))
    return 0


def _deck_flag(ref: str | None) -> str:
    import shlex

    return f" --deck {shlex.quote(ref)}" if ref else ""


def _key_lines(question: Question) -> list[str]:
    """The right answer as a host reads it out, by form: the right choice with its number;
    the typed answer and what else is accepted; the number, how far off still scores, and
    the range; the items in order with their numbers."""
    from quiz.text import clean

    if question.kind == "typed":
        lines = [clean(question.right)]
        if len(question.accept) > 1:
            lines.append("Also accepted: " + "; ".join(clean(a) for a in question.accept[1:]))
        return lines
    if question.kind == "estimate":
        from quiz.game.judge import close_line, range_line

        said = " ".join(filter(None, (close_line(question), range_line(question))))
        return [clean(question.right), *([said] if said else [])]
    if question.kind == "order":
        numbers = ", ".join(str(k + 1) for k in question.order)
        return [f"{clean(question.right)} ({numbers})"]
    return [f"{question.answer + 1}) {clean(question.right)}"]


def cmd_preview(args: argparse.Namespace) -> int:
    from quiz.questions.plan import make_quiz
    from quiz.questions.question import kind_group
    from quiz.session import daily_seed, new_seed
    from quiz.text import clean

    if args.answer_key and args.format == "json":
        return usage(
            "--answer-key prints a text key for the host; the JSON already has each "
            "question's answer (leave out --format json or --answer-key)"
        )
    deck = open_deck(args.deck)
    seed = daily_seed(deck.id) if args.daily else args.seed if args.seed is not None else new_seed()
    if args.fact is not None:
        from quiz.questions.generate import Generator

        fact = next((f for f in deck.facts if f.id == args.fact), None)
        if fact is None:
            return fail(f"no fact '{args.fact}' in the deck '{deck.id}'")
        generator = Generator(deck, seed)
        questions = [
            q
            for q in (generator.build(fact, qid) for qid in generator.forms(fact))
            if q is not None and (args.kinds is None or kind_group(q.kind) in args.kinds)
        ]
    else:
        from quiz.questions.generate import Generator

        # Cap the count at what the deck can give before any question is built.
        generator = Generator(deck, seed)
        available = sum(len(generator.forms(fact)) for fact in deck.facts)
        questions = make_quiz(deck, seed, min(args.count, available), kinds=args.kinds)
        if len(questions) < args.count:
            from quiz.session import short_deck_notice

            show(f"quiz: {short_deck_notice(len(questions), args.count)}")
    if args.format == "json":
        write_json([q.as_dict() for q in questions])
        return 0
    if args.answer_key:
        from quiz.text import plural

        if args.fact is not None:
            # A fact's questions are not a game: there is no `quiz play` that asks them.
            print(
                f"Answer key: {clean(deck.title)}, every question of the fact '{clean(args.fact)}'"
            )
        else:
            print(
                f"Answer key: {clean(deck.title)}, quiz code {seed}, {plural(len(questions), 'question')}"
            )
            play = f"quiz play{_deck_flag(args.deck)} --seed {seed} --count {len(questions)}"
            if args.kinds is not None:
                play += f" --kinds {','.join(args.kinds)}"
            show(f"Players get the same quiz with: {play}", sys.stdout)
        for number, question in enumerate(questions, 1):
            print()
            print(f"{number:>3}. {clean(question.prompt)}")
            for line in _key_lines(question):
                print(f"     {line}")
        return 0
    from quiz.text import plural

    print(f"{clean(deck.title)}: {plural(len(questions), 'question')}, seed {seed}")
    for number, question in enumerate(questions, 1):
        print()
        print(f"{number}. [{question.kind}] {clean(question.prompt)}")
        for index, choice in enumerate(question.choices):
            mark = "*" if index == question.answer else " "
            print(f"  {mark} {index + 1}) {clean(choice)}")
        lines = _key_lines(question) if question.unchosen else [clean(question.right)]
        print(f"    Answer: {lines[0]}")
        for line in lines[1:]:
            print(f"    {line}")
        print(f"    Why: {clean(question.explanation, allow_newlines=True)}")
        print(f"    Source: {clean(question.source)}")
    return 0
