"""The walk stage: from the paths given to the files to scan, each with its kind.

`FileWalk` is its one entry. A scan of the root directory runs on ripgrep (`native.py`):
the file list and the files holding a needle come from one pass of native code, and
ftscan's own rules (`reference.py`: default excludes, `--exclude`/`--include`, kinds, links)
judge the list. Everything else, and every case ripgrep cannot decide exactly as the
reference walk does, is walked by the reference walk, with the same result.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ftscan.types import Notification, Target
from ftscan.walk.kinds import file_kind
from ftscan.walk.reference import DEFAULT_EXCLUDED_DIRS, DEFAULT_MAX_BYTES, Walker

if TYPE_CHECKING:
    from ftscan.walk.native import Listing

ENGINE_ENV = "FTSCAN_WALK"  # "python": the reference walk, whatever is installed

__all__ = ["DEFAULT_MAX_BYTES", "MISSING_ENGINE", "FileWalk", "Target", "Walker", "file_kind"]

MISSING_ENGINE = "ftscan: ripgrep (rg) not found; walking the tree in Python, which is slower"
_told = False  # the missing engine is said once per process


def say_engine_missing() -> None:
    global _told
    if not _told:
        _told = True
        print(MISSING_ENGINE, file=sys.stderr)


class FileWalk:
    """The targets under the paths given, and what the walk passed over and why."""

    def __init__(
        self,
        root: Path,
        *,
        excludes: Sequence[str] = (),
        includes: Sequence[str] = (),
        use_gitignore: bool = True,
        skip: frozenset[str] = frozenset(),
        needles: Sequence[str] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        """`needles`: the literals of the prefilter (None: no prefilter in the walk); files
        over `max_bytes` are left to the scan, which reports them."""
        self.reference = Walker(
            root, excludes=excludes, includes=includes, use_gitignore=use_gitignore, skip=skip
        )
        self.needles = needles
        self.max_bytes = max_bytes
        self.engine = "python"
        self.rg: str | None = None  # set when the root was walked by ripgrep

    @property
    def notifications(self) -> list[Notification]:
        return self.reference.notifications

    def walk(self, paths: Iterable[Path]) -> Iterator[Target]:
        paths = list(paths)
        listing = self._native(paths)
        if listing is None:
            yield from self.reference.walk(paths)
            return
        self.engine = "ripgrep"
        yield from self._judge(listing)

    def _native(self, paths: list[Path]) -> Listing | None:
        """ripgrep's listing when the walk is of the root directory itself, else None."""
        root = self.reference.root
        if self.needles is None or len(paths) != 1:
            return None
        try:
            if paths[0].is_symlink() or not paths[0].is_dir() or paths[0].resolve() != root:
                return None
        except OSError:
            return None
        if os.environ.get(ENGINE_ENV, "").lower() == "python":
            return None
        from ftscan.walk.native import find_rg, list_files  # a run of named files never needs it

        rg = find_rg()
        if rg is None:
            say_engine_missing()
            return None
        self.rg = rg
        return list_files(
            rg,
            root,
            self.needles,
            use_gitignore=self.reference.use_gitignore,
            excluded_dirs=sorted(DEFAULT_EXCLUDED_DIRS),
            max_bytes=self.max_bytes,
        )

    def holding(self, targets: Sequence[Target], needles: Sequence[str]) -> list[Target]:
        """`targets` marked by whether they hold one of `needles` (a second, cheap pass);
        all marked as holding one when the walk did not run on ripgrep."""
        found = None
        if self.rg is not None and targets:
            from ftscan.walk.native import files_holding

            found = files_holding(self.rg, self.reference.root, [t.rel for t in targets], needles)
        if found is None:
            return [t if t.holds_needle else Target(t.path, t.rel, t.kind) for t in targets]
        return [Target(t.path, t.rel, t.kind, t.rel in found) for t in targets]

    def _judge(self, listing: Listing) -> Iterator[Target]:
        """The listed files the reference walk's own rules keep, in its order."""
        walker, root = self.reference, self.reference.root
        base = str(root)
        sep = "" if base.endswith(os.sep) else os.sep
        to_read = listing.candidates | listing.large
        kept: dict[str, bool] = {"": True}

        def dir_kept(rel_dir: str) -> bool:
            if rel_dir not in kept:
                parent = rel_dir.rpartition("/")[0]
                kept[rel_dir] = dir_kept(parent) and not walker.excluded(rel_dir, True)
            return kept[rel_dir]

        for rel in listing.specials:
            if walker.reaches(rel):
                path = root / rel
                if path.is_symlink():
                    walker.note_link(path, rel)
                else:
                    walker.notify(rel, "not-a-file", "not a regular file (FIFO, socket or device)")
        # Each directory in name order, as the reference walk goes: "\0" sorts below any
        # character of a name, so these keys compare as the lists of path components do.
        for rel in sorted(listing.files, key=_component_order):
            parent, _, name = rel.rpartition("/")
            if dir_kept(parent) and not walker.file_excluded(rel):
                target = walker.target(base + sep + rel, name, rel, rel in to_read)
                if target:
                    yield target


def _component_order(rel: str) -> str:
    return rel.replace("/", "\0")
