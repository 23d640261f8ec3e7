"""A position-keeping walk over JSON text: every string token, whether it is a key, and
the containers around it. Tolerant of invalid JSON (the path is then a best guess); used
where the standard parser cannot say where a value sits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]')

Frame = list[Any]  # [is an object, key token span or list index, expecting a key]
PathPart = str | int


def step(stack: list[Frame], char: str) -> None:
    """Move the stack of containers past one structural character: `{ [ , : ] }`."""
    if char == "{":
        stack.append([True, None, True])
    elif char == "[":
        stack.append([False, 0, False])
    elif not stack:
        return
    elif char == ",":
        if stack[-1][0]:
            stack[-1][2] = True
        else:
            stack[-1][1] += 1
    elif char == ":":
        stack[-1][2] = False
    else:
        stack.pop()


def json_strings(
    text: str, pos: int = 0, endpos: int | None = None
) -> Iterator[tuple[re.Match[str], bool, list[Frame]]]:
    """Each string token, whether it is a key, and the live stack of containers around it.

    The stack changes as the walk goes on: read it (`json_path`) before taking the next token.
    """
    stack: list[Frame] = []
    for token in _JSON_TOKEN.finditer(text, pos, len(text) if endpos is None else endpos):
        char = text[token.start()]
        if char == '"':
            top = stack[-1] if stack else None
            is_key = top is not None and top[0] and top[2]
            if is_key:
                top[1] = token.span()
            yield token, is_key, stack
        else:
            step(stack, char)


def json_path(text: str, stack: list[Frame]) -> tuple[PathPart, ...]:
    """The keys and indexes of the value the walk stands in (`?` for an unnamed one)."""
    parts: list[PathPart] = []
    for is_object, where, _ in stack:
        if not is_object:
            parts.append(where)
        elif where is None:
            parts.append("?")
        else:
            raw = text[where[0] : where[1]]
            try:
                parts.append(json.loads(raw))
            except ValueError:
                parts.append(raw[1:-1])
    return tuple(parts)
