"""The search for magic lines against a line-by-line reading of the cell, as IPython reads
it: a magic starts a line that no string or comment hides, and goes on while a line ends in
a backslash."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ftscan.scan.notebook.magics import magic_lines

# Strings, comments and each line break, met one after another from the start.
TOKEN = re.compile(
    r"""#[^\r\n]*"""
    r"""|[rRbBuUfFtT]{0,2}(?:'{3}(?:\\[\s\S]|[^\\])*?'{3}|"{3}(?:\\[\s\S]|[^\\])*?"{3}"""
    r"""|'(?:\\.|[^'\\\r\n])*'|"(?:\\.|[^"\\\r\n])*")"""
    r"""|\n"""
)
PIECES = ("!", "%", "%%", " ", "\t", "\n", "\r\n", "\r", "\\", "'", '"', "'''", '"""', "#", "x", "r", "f")


def reference(source: str) -> list[tuple[int, int, bool]]:
    found: list[tuple[int, int, bool]] = []
    position, at_line_start = 0, True
    while position < len(source):
        if at_line_start and re.match(r"[ \t]*[!%]", source[position:]):
            continued = False
            while True:
                end = source.find("\n", position)
                end = len(source) if end < 0 else end
                found.append((position, end, continued))
                position, continued = end + 1, True
                if position >= len(source) or not source[found[-1][0] : end].rstrip("\r").endswith("\\"):
                    break
            continue
        token = TOKEN.search(source, position)
        if token is None:
            break
        position, at_line_start = token.end(), token.group() == "\n"
    return found


@settings(max_examples=2000, deadline=None, database=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_magic_lines_are_those_a_line_by_line_reading_finds(source):
    assert magic_lines(source) == reference(source)
