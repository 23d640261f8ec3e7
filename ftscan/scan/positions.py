"""Turn character offsets in a text into 1-based lines and columns."""

from __future__ import annotations

from bisect import bisect_right

from ftscan.types import Span


class LineIndex:
    """Offsets of line starts in a text; `\\n`, `\\r\\n` and a lone `\\r` all end a line."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        index = 0
        find = text.find
        while True:
            nl = find("\n", index)
            cr = find("\r", index, nl if nl >= 0 else len(text))
            if cr >= 0:
                index = cr + 2 if text.startswith("\r\n", cr) else cr + 1
            elif nl >= 0:
                index = nl + 1
            else:
                break
            starts.append(index)
        self.starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of the character at `offset`."""
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(line, column, end_line, end_column)

    def line_text(self, text: str, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(text)
        return text[start:end].rstrip("\r\n")


class LazyLineIndex(LineIndex):
    """A `LineIndex` that finds the line starts on first use: for a large text in which
    nothing may be found (a notebook of megabytes), the pass is then never paid."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:  # `starts` comes from `__getattr__`
        self._text = text

    def __getattr__(self, name: str) -> list[int]:
        if name != "starts":
            raise AttributeError(name)
        LineIndex.__init__(self, self._text)
        return self.starts
