"""Who owns a file, by GitHub's CODEOWNERS rules.

GitHub reads the first of `.github/CODEOWNERS`, `CODEOWNERS` and `docs/CODEOWNERS` that exists
at the repository's top, and the last pattern that matches a path wins (a pattern with no
owners leaves the path unowned). The scan root's own file is used when it has one (a
repository checked out inside another); else the file at the top of the git repository that
holds the root. Patterns are matched by the `codeowners` package, imported only here.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codeowners import CodeOwners

LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")  # GitHub's order of precedence
_INLINE_COMMENT = re.compile(r"\s+#.*$")


class Owners:
    """Owners of paths relative to the scan root."""

    def __init__(self, rules: CodeOwners | None = None, source: str | None = None, prefix: str = "") -> None:
        self.rules = rules
        self.source = source  # the CODEOWNERS file, relative to the scan root
        self.prefix = prefix  # the scan root relative to the CODEOWNERS file's repository, "" or "dir/"
        self._of = lru_cache(maxsize=None)(self._lookup)

    def of(self, path: str) -> tuple[str, ...]:
        return self._of(path)

    def _lookup(self, path: str) -> tuple[str, ...]:
        if self.rules is None:
            return ()
        return tuple(owner for _, owner in self.rules.of(self.prefix + path))


def load_owners(root: Path) -> Owners:
    """The CODEOWNERS that applies to files under `root`, or no owners when there is none."""
    root = root.resolve()
    top = _repository_top(root)
    for base in dict.fromkeys((root, top)):
        for name in LOCATIONS:
            candidate = base / name
            if candidate.is_file():
                from codeowners import CodeOwners

                text = candidate.read_text(encoding="utf-8", errors="replace")
                prefix = root.relative_to(base).as_posix()
                return Owners(
                    CodeOwners(strip_inline_comments(text)),
                    Path(os.path.relpath(candidate, root)).as_posix(),
                    "" if prefix == "." else prefix + "/",
                )
    return Owners()


def strip_inline_comments(text: str) -> str:
    """`*.js @js-owner # the frontend` -> `*.js @js-owner`: GitHub ignores what follows ` #`."""
    return "\n".join(
        line if line.lstrip().startswith("#") else _INLINE_COMMENT.sub("", line) for line in text.splitlines()
    )


def _repository_top(root: Path) -> Path:
    """The nearest directory at or above `root` holding `.git`; `root` itself when none does."""
    for directory in (root, *root.parents):
        if (directory / ".git").exists():
            return directory
    return root
