"""No import circle among quiz's modules.

The import-linter layers contract (pyproject.toml) keeps the listed modules in
order; this test covers every module, listed or new, and counts imports made
inside functions too: a deferred import that closes a circle only works until
someone hoists it. Imports under `if TYPE_CHECKING:` count as well: they never
run, but a circle of types is a circle a reader has to untangle all the same.
"""

from __future__ import annotations

import grimp


def import_circles(graph: grimp.ImportGraph) -> set[frozenset[str]]:
    """Each group of modules that reach one another through imports."""
    circles: set[frozenset[str]] = set()
    seen: set[str] = set()
    for module in sorted(graph.modules):
        if module in seen or not module.startswith("quiz"):
            continue
        # Modules this one imports (at any depth) that also import it (at any depth).
        circle = graph.find_upstream_modules(module) & graph.find_downstream_modules(module)
        if circle:
            group = frozenset(circle | {module})
            circles.add(group)
            seen |= group
    return circles


def quiz_graph() -> grimp.ImportGraph:
    return grimp.build_graph("quiz", exclude_type_checking_imports=False, cache_dir=None)


def test_no_import_circle() -> None:
    circles = import_circles(quiz_graph())
    assert not circles, "import circles: " + "; ".join(
        " <-> ".join(sorted(circle)) for circle in sorted(circles, key=sorted)
    )


def test_a_new_circle_is_found() -> None:
    graph = quiz_graph()
    graph.add_import(importer="quiz.model", imported="quiz.game.play")
    circles = import_circles(graph)
    assert any({"quiz.model", "quiz.questions.question", "quiz.game.play"} <= c for c in circles)
