"""IPython's own lines in a code cell: `!` shell lines and `%` magics, masked for the parser.

A magic starts a line that is not inside a string (a line `!wow` inside a triple-quoted
tweet is text, not a shell line) and runs on over the next lines while each ends in a
backslash (`!pip install a \\` then `    b`), as IPython reads it. Masking keeps every
offset: a magic line becomes blanks, or `0` at its indentation when it is all of a block's
body (`except ImportError:` then `    !pip install openai`), so the rest of the cell parses
as Python.
"""

from __future__ import annotations

import re

# Where the search for magics stops: a line that starts with `!` or `%`, or a string or a
# comment, skipped whole (no line in them starts a magic). Strings: triple-quoted ones span
# lines. No repeated group inside a repeated group: the search stays linear.
_MAGIC_START = re.compile(r"^[ \t]*[!%]", re.MULTILINE)  # a line that may start a magic
_NEXT = re.compile(
    r"""(?P<magic>^[ \t]*[!%])"""
    r"""|#[^\r\n]*"""
    r"""|[rRbBuUfFtT]{0,2}(?:'{3}(?:\\[\s\S]|[^\\])*?'{3}|"{3}(?:\\[\s\S]|[^\\])*?"{3}"""
    r"""|'(?:\\.|[^'\\\r\n])*'|"(?:\\.|[^"\\\r\n])*")""",
    re.MULTILINE,
)
# Cell magics whose body is not Python: scanned as text, as a `%%bash` cell is.
NOT_PYTHON_CELLS = (
    "%%bash", "%%sh", "%%script", "%%system", "%%html", "%%HTML", "%%javascript", "%%js",
    "%%markdown", "%%latex", "%%svg", "%%perl", "%%ruby",
)  # fmt: skip


def is_text_cell(source: str) -> bool:
    """A cell whose magic says its body is shell, markup or another language."""
    return source.lstrip().startswith(NOT_PYTHON_CELLS)


def magic_lines(source: str) -> list[tuple[int, int, bool]]:
    """Each line of a magic as (start, end, is a continuation line), in order."""
    found: list[tuple[int, int, bool]] = []
    last = max((m.start() for m in _MAGIC_START.finditer(source)), default=-1)  # no magic after it
    size = len(source)
    position = 0
    while position <= last:
        token = _NEXT.search(source, position)
        if token is None or token.start() > last:
            break
        if token.lastgroup != "magic":
            position = token.end()
            continue
        position, continued = token.start(), False
        while True:
            end = source.find("\n", position)
            end = size if end < 0 else end
            found.append((position, end, continued))
            position, continued = end + 1, True
            if position >= size or not source[found[-1][0] : end].rstrip("\r").endswith("\\"):
                break
    return found


def mask_magics(source: str, lines: list[tuple[int, int, bool]]) -> str:
    """`source` with its magic lines blanked (offsets kept); see the module's docstring."""
    if not lines:
        return source
    parts: list[str] = []
    done = 0
    for start, end, continued in lines:
        parts.append(source[done:start])
        line = source[start:end]
        text = line.rstrip("\r")
        body = text.lstrip(" \t")
        indent = text[: len(text) - len(body)]
        if indent and not continued and _opens_block(source, start):
            parts.append(indent + "0" + " " * (len(body) - 1) + line[len(text) :])
        else:
            parts.append(" " * len(text) + line[len(text) :])
        done = end
    parts.append(source[done:])
    return "".join(parts)


def _opens_block(source: str, start: int) -> bool:
    """Does the code before `start` (blank lines skipped) end with a colon?"""
    at = start - 1
    while at >= 0 and source[at] in " \t\r\n":
        at -= 1
    return at >= 0 and source[at] == ":"
