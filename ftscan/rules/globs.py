"""fnmatch globs matched by string operations where they need no regex.

Python's `re` compiles a pattern in Python code: the rules' 32 call globs joined into one
regex took ~5 ms to compile, more than a small file takes to scan, and every rule's value
globs as much again. A glob made of literals and `*` (every shipped one) is matched here
with `startswith`, `find` and `endswith`; one with `?` or `[...]` (a user's pack may have
them) goes through `fnmatch`'s own regex. Either way a name matches exactly when
`fnmatch.fnmatchcase(name, glob)` says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache


class GlobSet:
    """Does a name match, whole and case-sensitively, one of these globs?"""

    __slots__ = ("_exact", "_regex", "_stars")

    def __init__(self, globs: Iterable[str]) -> None:
        exact: set[str] = set()
        stars: list[tuple[str, ...]] = []
        others: list[str] = []
        for glob in globs:
            if "?" in glob or "[" in glob:
                others.append(glob)
            elif "*" in glob:
                stars.append(tuple(glob.split("*")))
            else:
                exact.add(glob)
        self._exact = frozenset(exact)
        self._stars = tuple(stars)
        self._regex = None
        if others:
            import fnmatch
            import re

            self._regex = re.compile("|".join(fnmatch.translate(glob) for glob in others))

    def fullmatch(self, name: str) -> bool:
        if name in self._exact:
            return True
        if any(_star_match(parts, name) for parts in self._stars):
            return True
        return self._regex is not None and self._regex.match(name) is not None


def _star_match(parts: tuple[str, ...], name: str) -> bool:
    """`name` against a glob split on its `*`s: the first part leads, the last ends it, and
    the others follow in order between them (leftmost first, which finds a match if any)."""
    first, last = parts[0], parts[-1]
    if len(name) < len(first) + len(last) or not name.startswith(first) or not name.endswith(last):
        return False
    at, end = len(first), len(name) - len(last)
    for part in parts[1:-1]:
        found = name.find(part, at, end)
        if found < 0:
            return False
        at = found + len(part)
    return True


@cache
def glob_set(globs: tuple[str, ...]) -> GlobSet:
    """The matcher of these globs, built once."""
    return GlobSet(globs)
