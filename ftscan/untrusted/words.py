"""Text from untrusted files made safe to print, and words for what such a file holds.

Text taken from a scanned file (a path, a matched value) reaches a terminal or a job log with
its control characters replaced (`clean`): a line break in a path could forge a finding's
line, an escape sequence could rewrite the screen.

An error about a rule pack, a baseline or a configuration file may be about a file that is
none of these: a credentials file named by a hostile configuration, `/proc/self/environ`
given by mistake. Such an error describes the value's shape ("a string, not a mapping") and
quotes at most a short excerpt, control characters replaced, so a job log never carries the
file's content.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

EXCERPT = 20  # enough to recognise a typo, too little to carry a token
MAX_MESSAGE = 200  # a library's whole message, quotes cut, in case it quotes without quotes
# C0 controls but the tab (a line break in a path could forge a finding's line), DEL, C1
# controls (8-bit CSI, OSC, DCS), Unicode line separators and bidirectional overrides.
_CONTROL = r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
_QUOTED = r"'([^'\n]*)'|\"([^\"\n]*)\""


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """Compiled on first use: most runs print no text taken from a file."""
    return re.compile(pattern)


def clean(text: str) -> str:
    """Replace each terminal control character in untrusted text with `?`."""
    return _compiled(_CONTROL).sub("?", text)


def excerpt(value: Any, limit: int = EXCERPT, *, quoted: bool = True) -> str:
    """A value cut to `limit` characters, control characters replaced by `?`, in quotes
    unless `quoted` is false.

    Anything but a string or a number is described by its shape instead.
    """
    if isinstance(value, bool) or value is None:
        return shape(value)
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return shape(value)
    text = clean(value.replace("\t", " "))
    if len(text) > limit:
        text = text[:limit] + "..."
    return f"'{text}'" if quoted else text


def shape(value: Any) -> str:
    """What kind of value this is, in words: never the value itself."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "an empty string" if not value else "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "an empty list" if not value else "a list"
    return f"a {type(value).__name__} value"


def short_quotes(message: str, limit: int = EXCERPT) -> str:
    """A library's message with every quoted part cut to an excerpt (PyYAML quotes tags,
    aliases and characters from the text it parses)."""

    def cut(match: re.Match[str]) -> str:
        return excerpt(match.group(1) if match.group(1) is not None else match.group(2), limit)

    text = clean(_compiled(_QUOTED).sub(cut, message.replace("\t", " ")))
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + "..."
