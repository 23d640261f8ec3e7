"""From the paths given to the files to scan, each with its kind.

Honours `.gitignore` at every level and `.git/info/exclude` (gitignore semantics via
pathspec), default excludes, the user's excludes and includes (which apply to files
named explicitly too, as pre-commit passes them). Never follows a symlink. What it passes
over for a reason a user may not expect is reported as a notification.

The walk reads no file but the `.gitignore` files and the first line of a file without an
extension (its shebang gives its kind): the size cap and binary detection are applied
where each file is read once, by the scan.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ftscan.types import Notification, Target
from ftscan.untrusted.files import read_regular
from ftscan.walk.ignore_rules import IgnoreSpec
from ftscan.walk.kinds import BINARY_SUFFIXES, file_kind

# Directories never scanned, at any depth (gitignore's `name/`).
DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "site-packages",
        "__pycache__",
        "dist",
        "build",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_SHEBANG_BYTES = 256


class _Ignores:
    """The gitignore files in force for one directory, deepest last."""

    def __init__(self, specs: tuple[tuple[str, IgnoreSpec], ...] = ()) -> None:
        self.specs = specs

    def with_dir(self, rel_dir: str, directory: Path) -> _Ignores:
        lines: list[str] = []
        for name in (".gitignore",) if rel_dir else (".gitignore", ".git/info/exclude"):
            try:  # never through a link, never from a FIFO or a device: it could block or never end
                data, _ = read_regular(directory / name, DEFAULT_MAX_BYTES)
            except OSError:
                continue
            lines += data.decode("utf-8", errors="replace").splitlines()
        if not lines:
            return self
        return _Ignores((*self.specs, (rel_dir, IgnoreSpec(lines))))

    def ignored(self, rel: str, is_dir: bool) -> bool:
        for base, spec in reversed(self.specs):
            inner = rel[len(base) + 1 :] if base else rel
            result = spec.check(inner + "/" if is_dir else inner)
            if result is not None:
                return result
        return False


class Walker:
    """Finds the files to scan under a root."""

    def __init__(
        self,
        root: Path,
        *,
        excludes: Sequence[str] = (),
        includes: Sequence[str] = (),
        use_gitignore: bool = True,
        skip: frozenset[str] = frozenset(),
    ) -> None:
        self.root = root.resolve()
        self.skip = skip  # paths never scanned, without a word (ftscan's own output)
        self.excludes = IgnoreSpec(excludes) if excludes else None
        self.includes = IgnoreSpec(includes) if includes else None
        self.use_gitignore = use_gitignore
        self.notifications: list[Notification] = []
        self._told: set[Notification] = set()
        self._chains: dict[str, _Ignores] = {}  # `reaches`: the gitignore files per directory

    def relative(self, path: Path) -> str | None:
        """`path` relative to the root; a link is named as itself, not as its target."""
        try:
            where = path.parent.resolve() / path.name if path.is_symlink() else path.resolve()
            return where.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def walk(self, paths: Iterable[Path]) -> Iterator[Target]:
        """Targets under `paths`, each directory in name order, each file once."""
        seen: set[str] = set()
        for path in paths:
            for target in self._walk_one(path):
                if target.rel not in seen:
                    seen.add(target.rel)
                    yield target

    def _walk_one(self, path: Path) -> Iterator[Target]:
        try:  # a name too long, a directory not searchable: the path itself cannot be read
            rel = self.relative(path)
            link, directory, regular = path.is_symlink(), path.is_dir(), path.is_file()
        except OSError as error:
            self.notify(str(path), "unreadable", f"cannot read: {error.strerror or error}")
            return
        if rel is None:
            self.notify(str(path), "outside-root", f"{path} is outside the scan root {self.root}")
            return
        if link:
            self.notify(rel, "symlink", "symbolic link, not followed")
            return
        if directory:
            ignores = _Ignores()
            if self.use_gitignore:
                ignores = ignores.with_dir("", self.root)
                parts = rel.split("/") if rel != "." else []
                for i in range(len(parts)):
                    sub = "/".join(parts[: i + 1])
                    ignores = ignores.with_dir(sub, self.root / sub)
            yield from self._walk_dir(path, "" if rel == "." else rel, ignores)
        elif regular:
            if not self.excluded(rel, is_dir=False):
                target = self.target(path, path.name, rel)
                if target:
                    yield target
        else:
            self.notify(rel, "unreadable", "no such file, or not a regular file")

    def _walk_dir(self, directory: Path, rel_dir: str, ignores: _Ignores) -> Iterator[Target]:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as error:
            self.notify(rel_dir or ".", "unreadable", f"cannot list directory: {error.strerror}")
            return
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = not is_link and entry.is_dir()
                is_file = not is_link and entry.is_file()
            except OSError:
                continue
            if self.excluded(rel, is_dir) or (self.use_gitignore and ignores.ignored(rel, is_dir)):
                continue
            if is_link:
                self.note_link(Path(entry.path), rel)
            elif is_dir:
                inner = ignores.with_dir(rel, Path(entry.path)) if self.use_gitignore else ignores
                yield from self._walk_dir(Path(entry.path), rel, inner)
            elif is_file:
                target = self.target(Path(entry.path), entry.name, rel)
                if target:
                    yield target
            else:
                self.notify(rel, "not-a-file", "not a regular file (FIFO, socket or device)")

    def reaches(self, rel: str) -> bool:
        """Whether the walk from the root would come to the entry `rel` (not a directory)."""
        parts = rel.split("/")
        ignores = self._ignores_of("") if self.use_gitignore else _Ignores()
        for i in range(1, len(parts)):
            sub = "/".join(parts[:i])
            if self.excluded(sub, True) or (self.use_gitignore and ignores.ignored(sub, True)):
                return False
            if self.use_gitignore:
                ignores = self._ignores_of(sub)
        return not (self.excluded(rel, False) or (self.use_gitignore and ignores.ignored(rel, False)))

    def reaches_dir(self, rel_dir: str) -> bool:
        """Whether the walk from the root would come into the directory `rel_dir`: none of
        its directories (itself included) left out by the walk's rules or a `.gitignore`."""
        parts = rel_dir.split("/")
        ignores = self._ignores_of("") if self.use_gitignore else _Ignores()
        for i in range(1, len(parts) + 1):
            sub = "/".join(parts[:i])
            if self.excluded(sub, True) or (self.use_gitignore and ignores.ignored(sub, True)):
                return False
            if self.use_gitignore:
                ignores = self._ignores_of(sub)
        return True

    def _ignores_of(self, rel_dir: str) -> _Ignores:
        if rel_dir not in self._chains:
            parent = rel_dir.rpartition("/")[0] if rel_dir else None
            base = _Ignores() if parent is None else self._ignores_of(parent)
            self._chains[rel_dir] = base.with_dir(rel_dir, self.root / rel_dir if rel_dir else self.root)
        return self._chains[rel_dir]

    def note_link(self, path: Path, rel: str) -> None:
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            self.notify(rel, "symlink", "broken or looping symbolic link, not followed")
            return
        if not target.is_relative_to(self.root):
            self.notify(rel, "symlink", "symbolic link out of the scanned tree, not followed")
        # A link inside the tree: its target is scanned where it lives.

    def excluded(self, rel: str, is_dir: bool) -> bool:
        """Left out by ftscan's own rules (default excludes, the user's, its own output)."""
        parts = rel.split("/")
        if not DEFAULT_EXCLUDED_DIRS.isdisjoint(parts if is_dir else parts[:-1]):
            return True
        if is_dir:
            return rel in self.skip or bool(self.excludes and self.excludes.match(rel + "/"))
        return self.file_excluded(rel)

    def file_excluded(self, rel: str) -> bool:
        """`excluded` for a file whose directories are known to be kept."""
        if rel in self.skip or (self.excludes and self.excludes.match(rel)):
            return True
        return bool(self.includes and not self.includes.match(rel))

    def target(self, path: Path | str, name: str, rel: str, holds_needle: bool = True) -> Target | None:
        """The file as a target with its kind; None for a binary suffix."""
        suffix = os.path.splitext(name)[1].lower()
        if suffix in BINARY_SUFFIXES:
            return None
        kind = file_kind(name, suffix=suffix)
        if kind == "text" and not suffix:  # a script without an extension: its shebang tells
            try:  # the entry may have changed since it was listed: a link or a FIFO is not read
                head, _ = read_regular(path, _SHEBANG_BYTES)
            except OSError as error:
                self.notify(rel, "unreadable", f"cannot read: {error.strerror}")
                return None
            kind = file_kind(name, head)
        return Target(path, rel, kind, holds_needle)

    def notify(self, rel: str, kind: str, message: str, level: str = "warning") -> None:
        """Say it once, however many of the paths given reach it."""
        notification = Notification(rel, kind, message, level)  # type: ignore[arg-type]
        if notification not in self._told:
            self._told.add(notification)
            self.notifications.append(notification)
