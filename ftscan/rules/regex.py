"""Regular expressions from rule packs, run by RE2: time linear in the text, whatever the pattern.

A pack's `pattern` is data from the scanned tree. Python's `re` backtracks: `x(a+)+$` on `x`
and 32 `a` runs for hours, inside C code that the per-file time limit (a signal, handled
between Python steps) cannot interrupt. RE2 matches in time linear in the text with memory
bounded by `MAX_PROGRAM_BYTES`, so the plain-text scan stays linear and a scan cannot hang.
It refuses what needs backtracking (backreferences, lookaround); a refused pattern is a rule
error naming the rule and the field. The shipped packs' patterns take the same path.

`re2` is imported when a pattern is first compiled, not with ftscan: a run whose packs come
from the pack cache compiles a pattern only when a file holds its needle.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MAX_PATTERN_LENGTH = 1000
MAX_PROGRAM_BYTES = 8 * 1024 * 1024


class PatternRefused(ValueError):
    """RE2 cannot run this pattern; the message says why, without the pattern."""


def _compile(pattern: str) -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2's log line would quote the pattern on stderr
    options.max_mem = MAX_PROGRAM_BYTES
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        problem = error.args[0] if error.args else str(error)
        if isinstance(problem, bytes):
            problem = problem.decode("utf-8", "replace")
        raise PatternRefused(str(problem).partition(":")[0] or "refused") from None


class PackRegex:
    """A pack's pattern, checked when the pack loads and compiled again where it runs.

    Pickles as its text (the pack cache, worker processes); `pattern` is that text.
    """

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str, *, check: bool = True) -> None:
        self.pattern = pattern
        self._compiled: Any = None
        if check:
            if len(pattern) > MAX_PATTERN_LENGTH:
                raise PatternRefused(f"longer than {MAX_PATTERN_LENGTH} characters")
            self._compiled = _compile(pattern)

    def __reduce__(self) -> tuple[Any, ...]:
        return (unchecked, (self.pattern,))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PackRegex) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"PackRegex({self.pattern!r})"

    def finditer(self, text: str) -> Iterator[Any]:
        """Every match, leftmost first, as objects with `start()`, `end()` and `group()`."""
        if self._compiled is None:
            self._compiled = _compile(self.pattern)
        return self._compiled.finditer(text)  # type: ignore[no-any-return]


def unchecked(pattern: str) -> PackRegex:
    """A pattern checked when its pack was loaded: compiled on first use only."""
    return PackRegex(pattern, check=False)
