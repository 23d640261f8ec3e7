"""Gitignore matching (pathspec's semantics) with one regular expression in front.

pathspec tries a path against each pattern in turn: with fifty patterns and a hundred
thousand paths, that is five million calls. Almost every path matches none of them, and
one alternation of all the patterns, run by `re` in a single call, says so. Only a path
that some pattern matches is asked of pathspec, which decides which pattern wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_GROUP = "(?P<ps_d>"  # pathspec's named group: repeated in an alternation, `re` refuses it


class IgnoreSpec:
    """`pathspec.GitIgnoreSpec` for lines of gitignore patterns, with a fast miss."""

    def __init__(self, lines: Iterable[str]) -> None:
        import pathspec  # imported by the first spec: a pre-commit run often needs none

        self.spec = pathspec.GitIgnoreSpec.from_lines(lines)
        regexes = [
            p.regex.pattern.replace(_GROUP, "(?:")
            for p in self.spec.patterns
            if p.include is not None and p.regex is not None
        ]
        self.any: re.Pattern[str] | None = None  # None: no pattern at all
        if regexes:
            try:
                self.any = re.compile("|".join(f"(?:{r})" for r in regexes))
            except re.error:  # patterns `re` cannot join: ask pathspec every time
                self.any = re.compile("")

    def check(self, path: str) -> bool | None:
        """True: ignored; False: re-included (`!pattern`); None: no pattern matches."""
        if self.any is None or self.any.match(path) is None:
            return None
        return self.spec.check_file(path).include

    def match(self, path: str) -> bool:
        return bool(self.check(path))
