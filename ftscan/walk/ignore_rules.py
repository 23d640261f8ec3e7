"""Gitignore matching (pathspec's semantics) with one regular expression in front.

pathspec tries a path against each pattern in turn: with fifty patterns and a hundred
thousand paths, that is five million calls. Almost every path matches none of them, and
one alternation of all the patterns, run by `re` in a single call, says so (two: the
anchored patterns matched at the start, the few unanchored ones like `*/` searched). Only
a path that some pattern matches is asked of pathspec, which decides which pattern wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

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
        # pathspec searches: most patterns are anchored (`^...`), a few (`*/`) are not.
        anchored = [r for r in regexes if r.startswith("^")]
        loose = [r for r in regexes if not r.startswith("^")]
        self.tests: list[Callable[[str], object]] = []
        try:
            if anchored:  # one `match` at the start, instead of a search at every position
                self.tests.append(re.compile("|".join(f"(?:{r})" for r in anchored)).match)
            if loose:
                self.tests.append(re.compile("|".join(f"(?:{r})" for r in loose)).search)
        except re.error:  # patterns `re` cannot join: ask pathspec every time
            self.tests = [lambda path: True]

    def check(self, path: str) -> bool | None:
        """True: ignored; False: re-included (`!pattern`); None: no pattern matches."""
        if not any(test(path) for test in self.tests):
            return None
        return self.spec.check_file(path).include

    def match(self, path: str) -> bool:
        return bool(self.check(path))
