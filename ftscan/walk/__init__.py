"""The walk stage: from the paths given to the files to scan, each with its kind.

`FileWalk` is its one entry. A scan of directories (the root, or any below it named on
the command line, files beside them) runs on ripgrep (`native.py`): the files holding a
needle come from native code, and ftscan's own rules (`reference.py`: default excludes,
`--exclude`/`--include`, kinds, links) judge them. A walk that need not name every file
(`every_file=False`) yields only those and counts the others (`unlisted`), so that its
work grows with what can match, not with the tree; `every_target` lists them all when a
later stage asks. A long list of files named one by one (`--changed-since`) is walked by
the reference walk and marked by one ripgrep pass. Every case ripgrep cannot decide
exactly as the reference walk does is walked by the reference walk, with the same result.
"""

from __future__ import annotations

import os
import stat
import sys
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ftscan.types import Notification, Target
from ftscan.walk.kinds import BINARY_SUFFIXES, file_kind, name_globs
from ftscan.walk.reference import DEFAULT_EXCLUDED_DIRS, DEFAULT_MAX_BYTES, Walker

if TYPE_CHECKING:
    from ftscan.walk.native import Listing

ENGINE_ENV = "FTSCAN_WALK"  # "python": the reference walk, whatever is installed
FILE_LIST_MIN = 200  # files named one by one: from this many, ripgrep reads them first

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
        every_file: bool = True,
        read_always: frozenset[str] = frozenset(),
    ) -> None:
        """`needles`: the literals of the prefilter (None: no prefilter in the walk); files
        over `max_bytes` are left to the scan, which reports them. Unless `every_file`, a
        walk of directories may leave out the files that hold no needle (and are not of a
        kind in `read_always`), counting them in `unlisted`."""
        self.reference = Walker(
            root, excludes=excludes, includes=includes, use_gitignore=use_gitignore, skip=skip
        )
        self.needles = needles
        self.max_bytes = max_bytes
        self.every_file = every_file
        self.read_always = read_always
        self.engine = "python"
        self.rg: str | None = None  # set when the root was walked by ripgrep
        self.unlisted = 0  # files the walk kept but did not yield: they hold nothing to scan
        # The paths of a walk that left files out, and the directories among them.
        self._left_out: tuple[list[Path], list[str]] | None = None

    @property
    def notifications(self) -> list[Notification]:
        return self.reference.notifications

    def walk(self, paths: Iterable[Path]) -> Iterator[Target]:
        paths = list(paths)
        named = self._named(paths)
        directories = [rel for rel in named or () if rel is not None]
        listing = self._native(directories, self._lists_all(named)) if named else None
        if listing is None or named is None:
            if named is None and len(paths) >= FILE_LIST_MIN:  # `--changed-since`, a long hook run
                yield from self._marked(list(self.reference.walk(paths)))
            else:
                yield from self.reference.walk(paths)
            return
        self.engine = "ripgrep"
        seen: set[str] = set()
        judged = self._judge(listing)
        for path, rel in zip(paths, named, strict=True):
            found = self.reference.walk([path]) if rel is None else judged.under(rel)
            for target in found:
                if target.rel not in seen:
                    seen.add(target.rel)
                    yield target
        if listing.files is None:  # every path a directory: ripgrep read each kept file once
            self.unlisted = listing.searched - len(seen) - self._own_files_read(directories)
            self._left_out = paths, directories

    def _lists_all(self, named: list[str | None] | None) -> bool:
        """Must ripgrep name every file? Yes unless the walk may leave files out and every
        path is a directory judged by rules ripgrep applies itself (none of the user's)."""
        walker = self.reference
        partial = not self.every_file and named is not None and None not in named
        return not (partial and walker.excludes is None and walker.includes is None)

    def _own_files_read(self, directories: list[str]) -> int:
        """How many of ftscan's own files (a report, a baseline), which the walk never
        yields, ripgrep read under `directories`: those the walk would keep but for that."""
        if not self.reference.skip:
            return 0
        walker = self.reference
        plain = Walker(walker.root, use_gitignore=walker.use_gitignore)
        count = 0
        for rel in walker.skip:
            if not any(not d or rel.startswith(d + "/") for d in directories):
                continue
            try:
                regular = stat.S_ISREG(os.lstat(walker.root / rel).st_mode)
            except OSError:
                continue
            suffix = os.path.splitext(rel.rpartition("/")[2])[1].lower()
            count += regular and suffix not in BINARY_SUFFIXES and plain.reaches(rel)
        return count

    def every_target(self) -> list[Target] | None:
        """Every file of a walk that yielded only those holding something (marked as holding
        nothing: `holding` says which hold what); None when the walk yielded them all."""
        left_out, self._left_out = self._left_out, None
        if left_out is None or self.rg is None:
            return None
        from ftscan.walk.native import list_every_file

        paths, directories = left_out
        walker = self.reference
        files = list_every_file(
            self.rg,
            walker.root,
            use_gitignore=walker.use_gitignore,
            excluded_dirs=sorted(DEFAULT_EXCLUDED_DIRS),
            directories=directories,
        )
        if files is None:
            return list(walker.walk(paths))
        judged = _Judged(walker, files, frozenset())
        seen: dict[str, Target] = {}
        for rel in directories:
            for target in judged.under(rel):
                seen.setdefault(target.rel, target)
        return list(seen.values())

    def _named(self, paths: list[Path]) -> list[str | None] | None:
        """Per path, its directory relative to the root ("" for the root itself) or None for
        a regular file (the reference walk takes those); None when the native walk cannot
        answer for a path exactly as the reference walk would: a link, a path outside the
        root or not there, a directory the walk's rules leave out, or none a directory."""
        named: list[str | None] = []
        walker = self.reference
        for path in paths:
            try:
                if path.is_symlink():
                    return None
                if path.is_file():
                    named.append(None)
                    continue
                rel = walker.relative(path) if path.is_dir() else None
            except OSError:
                return None
            if rel is None or (rel != "." and not walker.reaches_dir(rel)):
                return None
            named.append("" if rel == "." else rel)
        return named if any(rel is not None for rel in named) else None

    def _native(self, directories: list[str], every_file: bool) -> Listing | None:
        """ripgrep's listing of these directories (relative to the root), else None."""
        root = self.reference.root
        if not self._may_use_rg():
            return None
        below = any(directories) and "" not in directories
        if below and self.reference.use_gitignore and not _parents_readable(root, directories):
            return None  # ripgrep would read what the walk does not, or read what no walk should
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
            directories=sorted(set(directories)) if below else ("",),
            every_file=every_file,
            read_always=name_globs(self.read_always),
        )

    def _may_use_rg(self) -> bool:
        """A prefilter to run, and no `FTSCAN_WALK=python` asking for the reference walk."""
        return self.needles is not None and os.environ.get(ENGINE_ENV, "").lower() != "python"

    def _marked(self, targets: list[Target]) -> list[Target]:
        """Files named one by one, marked by one ripgrep pass over them as the tree's walk
        marks its files: holding a needle (or a raw pattern), or over the size limit (the
        scan reports those); unmarked when ripgrep cannot tell for every file."""
        if not targets or not self._may_use_rg():
            return targets
        from ftscan.walk.native import files_holding, find_rg

        rg = find_rg()
        found = files_holding(rg, self.reference.root, [t.rel for t in targets], self.needles) if rg else None
        if found is None:
            return targets
        self.engine, self.rg = "ripgrep", rg
        return [Target(t.path, t.rel, t.kind, t.rel in found or self._large(t.path)) for t in targets]

    def _large(self, path: Path | str) -> bool:
        try:
            return 0 <= self.max_bytes < os.stat(path).st_size
        except OSError:
            return True  # the scan says why it cannot be read

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

    def _judge(self, listing: Listing) -> _Judged:
        """The listed files the reference walk's own rules keep, in its order."""
        walker, root = self.reference, self.reference.root
        for rel in listing.specials:
            if walker.reaches(rel):
                path = root / rel
                if path.is_symlink():
                    walker.note_link(path, rel)
                else:
                    walker.notify(rel, "not-a-file", "not a regular file (FIFO, socket or device)")
        to_read = listing.candidates | listing.large
        if listing.files is not None:
            return _Judged(walker, listing.files, to_read)
        # Only the files ripgrep found a needle in, and those `find` found by size or name
        # that the ignore rules leave (ripgrep read them too).
        found = [rel for rel in listing.large | listing.named if rel not in listing.candidates]
        return _Judged(walker, [*listing.candidates, *filter(walker.reaches, found)], to_read)


class _Judged:
    """The listed files the reference walk's rules keep, a directory at a time."""

    def __init__(self, walker: Walker, files: Iterable[str], to_read: frozenset[str]) -> None:
        self.walker = walker
        base = str(walker.root)
        self.base = base + ("" if base.endswith(os.sep) else os.sep)
        self.to_read = to_read
        # Each directory in name order, as the reference walk goes: "\0" sorts below any
        # character of a name, so these keys compare as the lists of path components do.
        self.files = sorted(set(files), key=_component_order)
        self.kept: dict[str, bool] = {"": True}

    def under(self, directory: str) -> Iterator[Target]:
        """The kept files below `directory` ("" for the root), in the walk's order."""
        files = self.files
        if directory:
            start = bisect_left(files, _component_order(directory) + "\0", key=_component_order)
            end = bisect_left(files, _component_order(directory) + "\1", key=_component_order)
            files = files[start:end]
        walker, base = self.walker, self.base
        for rel in files:
            parent, _, name = rel.rpartition("/")
            if self._dir_kept(parent) and not walker.file_excluded(rel):
                target = walker.target(base + rel, name, rel, rel in self.to_read)
                if target:
                    yield target

    def _dir_kept(self, rel_dir: str) -> bool:
        kept = self.kept
        if rel_dir not in kept:
            parent = rel_dir.rpartition("/")[0]
            kept[rel_dir] = self._dir_kept(parent) and not self.walker.excluded(rel_dir, True)
        return kept[rel_dir]


def _parents_readable(root: Path, directories: list[str]) -> bool:
    """Can ripgrep read the `.gitignore` files above each named directory as the walk does?
    Not if one lies above the root (the walk reads none there), nor if one at the root or
    between it and a named directory is a link, a FIFO or a device (the walk never reads
    those; ripgrep would follow a link to `/dev/zero`, or wait on a FIFO). The named
    directories' own files are judged from `find`'s list, as the root's are."""
    if any(os.path.lexists(os.path.join(parent, ".gitignore")) for parent in root.parents):
        return False
    between = {""}
    for directory in directories:
        parts = directory.split("/")
        between.update("/".join(parts[:i]) for i in range(1, len(parts)))
    for rel in between:
        try:
            mode = os.lstat(root / rel / ".gitignore").st_mode
        except FileNotFoundError:
            continue
        except OSError:
            return False
        if not stat.S_ISREG(mode):
            return False
    return True


def _component_order(rel: str) -> str:
    return rel.replace("/", "\0")
