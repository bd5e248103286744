"""Find the line of every key, table and array item in a TOML text.

tomllib gives values but no positions. Errors must point at the offending
line (`PATH:LINE: [fact-id] message`), so this small scanner walks a text that
tomllib has already accepted and records the first line of each path, such as
``("facts", 3, "answer", "kind")``. It only runs when there is something to
report, never on the fast path.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\\n]|\\.)*"' + r"|'[^'\n]*'"
_PART = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_PART}(?:[ \t]*\.[ \t]*{_PART})*"
_KEY_RE = re.compile(rf"({_DOTTED})[ \t]*=[ \t]*")
_HEADER_RE = re.compile(rf"(\[\[?)[ \t]*({_DOTTED})[ \t]*\]\]?")
_PART_RE = re.compile(_PART)
_SCALAR_RE = re.compile(r"[^,\]\}\n#]*")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _split(dotted: str) -> tuple[str, ...]:
    parts = []
    for match in _PART_RE.finditer(dotted):
        part = match.group()
        if part[0] == '"':
            part = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), part[1:-1])
        elif part[0] == "'":
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1
        self.found: dict[Path, int] = {}

    def mark(self, path: Path) -> None:
        self.found.setdefault(path, self.line)

    def skip_blank(self, newlines: bool) -> None:
        text, n = self.text, len(self.text)
        while self.i < n:
            c = text[self.i]
            if c in " \t\r":
                self.i += 1
            elif c == "\n" and newlines:
                self.line += 1
                self.i += 1
            elif c == "#":
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end
                if not newlines:
                    return
            else:
                return

    def skip_string(self) -> None:
        text = self.text
        quote = text[self.i]
        triple = text.startswith(quote * 3, self.i)
        if triple:
            start = self.i + 3
            while True:
                end = text.find(quote * 3, start)
                if end < 0:
                    end = len(text) - 3
                    break
                if quote == '"' and _escaped(text, end):
                    start = end + 1
                    continue
                break
            # A closing run may be up to five quotes long.
            stop = end + 3
            while stop < len(text) and text[stop] == quote and stop - end < 5:
                stop += 1
        else:
            pos = self.i + 1
            while pos < len(text) and text[pos] not in (quote, "\n"):
                pos += 2 if (quote == '"' and text[pos] == "\\") else 1
            stop = pos + 1
        self.line += text.count("\n", self.i, stop)
        self.i = stop

    def value(self, path: Path) -> None:
        text = self.text
        if self.i >= len(text):
            return
        c = text[self.i]
        if c == "[":
            self.i += 1
            index = 0
            while True:
                self.skip_blank(newlines=True)
                if self.i >= len(text) or text[self.i] == "]":
                    self.i += 1
                    return
                if text[self.i] == ",":
                    self.i += 1
                    continue
                self.mark(path + (index,))
                self.value(path + (index,))
                index += 1
        elif c == "{":
            self.i += 1
            while True:
                self.skip_blank(newlines=False)
                if self.i >= len(text) or text[self.i] == "}":
                    self.i += 1
                    return
                if text[self.i] == ",":
                    self.i += 1
                    continue
                self.key_value(path)
        elif c in "\"'":
            self.skip_string()
        else:
            match = _SCALAR_RE.match(text, self.i)
            self.i = match.end() if match and match.end() > self.i else self.i + 1

    def key_value(self, table: Path) -> bool:
        match = _KEY_RE.match(self.text, self.i)
        if not match:
            return False
        parts = _split(match.group(1))
        for k in range(1, len(parts) + 1):
            self.mark(table + parts[:k])
        self.i = match.end()
        self.value(table + parts)
        return True

    def run(self) -> dict[Path, int]:
        text = self.text
        table: Path = ()
        counts: dict[tuple[str, ...], int] = {}
        while True:
            self.skip_blank(newlines=True)
            if self.i >= len(text):
                return self.found
            header = _HEADER_RE.match(text, self.i) if text[self.i] == "[" else None
            if header:
                names = _split(header.group(2))
                is_array = header.group(1) == "[["
                if is_array:
                    counts[names] = counts.get(names, 0) + 1
                path: list[str | int] = []
                for k in range(1, len(names) + 1):
                    path.append(names[k - 1])
                    if names[:k] in counts and (k < len(names) or is_array):
                        path.append(counts[names[:k]] - 1)
                table = tuple(path)
                self.mark(table)
                if is_array:
                    self.mark(table[:-1])
                self.i = header.end()
            elif not self.key_value(table):
                end = text.find("\n", self.i)
                self.i = len(text) if end < 0 else end


def _escaped(text: str, pos: int) -> bool:
    slashes = 0
    while pos - slashes - 1 >= 0 and text[pos - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def locate(text: str) -> dict[Path, int]:
    """Map each key path in a parsed TOML text to its first line (1-based)."""
    scanner = _Scanner(text)
    try:
        return scanner.run()
    except RecursionError:
        return scanner.found


def line_of(found: dict[Path, int], path: Path) -> int:
    """The line of ``path``, or of its nearest located ancestor (else 1)."""
    for k in range(len(path), 0, -1):
        line = found.get(path[:k])
        if line is not None:
            return line
    return 1
