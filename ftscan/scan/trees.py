"""tree-sitter, shared by every scanner that parses with it: the regions of a tree that do
not parse, and offsets between tree-sitter's UTF-8 bytes and ftscan's characters.

tree-sitter is error tolerant: a region that does not parse becomes an ERROR (or a MISSING)
node and the rest of the file keeps its structure.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from ftscan.frozen import replace
from ftscan.types import FileResult, Notification

Node = Any  # tree_sitter.Node: its module is imported only when a file is parsed
MAX_REGIONS = 3  # the places of regions that do not parse named in one notification
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def error_regions(root: Node) -> list[Node]:
    """The ERROR and MISSING nodes of a tree, outermost only, in order."""
    if not root.has_error:
        return []
    found: list[Node] = []
    pending = [root]
    while pending:
        node = pending.pop()
        if node.is_error or node.is_missing:
            found.append(node)
        elif node.has_error:
            pending.extend(reversed(node.children))
    return found


def analysed(path: str, result: FileResult, analyse: Callable[[], FileResult]) -> FileResult:
    """`analyse()`, or the text scan's `result` with a `parse-error` when the tree cannot be
    analysed: any input gives a result, never a crash."""
    try:
        return analyse()
    except RecursionError:
        message = "nested too deeply to analyse; scanned as plain text"
    except Exception as error:
        message = f"could not analyse the tree ({type(error).__name__}); scanned as plain text"
    return replace(result, notifications=(*result.notifications, Notification(path, "parse-error", message)))


def with_regions(result: FileResult, root: Node) -> FileResult:
    """`result` with a `parse-error` naming where the tree has regions that do not parse."""
    regions = error_regions(root)
    if not regions:
        return result
    message = f"does not parse at {describe_errors(regions)}; those regions were scanned as plain text"
    return replace(
        result, notifications=(*result.notifications, Notification(result.path, "parse-error", message))
    )


def describe_errors(regions: list[Node]) -> str:
    """`line 3` or `lines 3, 17 and 40 (5 regions)`: where a file does not parse."""
    lines = list(dict.fromkeys(node.start_point[0] + 1 for node in regions))
    shown = ", ".join(map(str, lines[:MAX_REGIONS]))
    if len(lines) == 1:
        return f"line {shown}"
    more = f" and {len(lines) - MAX_REGIONS} more" if len(lines) > MAX_REGIONS else ""
    return f"lines {shown}{more}"


class Offsets:
    """UTF-8 byte offsets (tree-sitter's) to character offsets (ftscan's) and back."""

    def __init__(self, text: str) -> None:
        self.ascii = text.isascii()
        self._bytes: list[int] = []  # byte offset just after each non-ASCII character
        self._chars: list[int] = []  # character offset just after it
        self._extra: list[int] = []  # extra bytes up to and including it
        if self.ascii:
            return
        extra = 0
        for found in _NON_ASCII.finditer(text):
            code = ord(found[0])
            extra += 1 if code < 0x800 else (2 if code < 0x10000 else 3)
            self._chars.append(found.end())
            self._bytes.append(found.end() + extra)
            self._extra.append(extra)

    def to_char(self, offset: int) -> int:
        if self.ascii:
            return offset
        index = bisect_right(self._bytes, offset)
        return offset - (self._extra[index - 1] if index else 0)

    def to_byte(self, offset: int) -> int:
        if self.ascii:
            return offset
        index = bisect_right(self._chars, offset)
        return offset + (self._extra[index - 1] if index else 0)
