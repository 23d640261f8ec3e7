"""Paths named by a configuration file stay inside the repository that holds it.

A configuration file is part of the scanned tree, and a pull request from a fork controls
every file of the tree: `rules = ["/home/runner/.git-credentials"]` must not make ftscan read
that file. A path from configuration must be relative, and must still lie inside the
repository once `..` and every symbolic link on the way are followed; the check is made
before the file is opened. Paths given on the command line are the user's own choice and are
not checked here.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath


def repository_top(start: Path) -> Path:
    """The directory holding `.git` at or above `start` (resolved); `start` itself if none."""
    start = start.resolve()
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return start


def escape_reason(value: str, base: Path, top: Path) -> str | None:
    """What `value`, relative to `base`, is when it leads outside `top` ("an absolute path");
    None when it stays inside.

    `top` must be resolved. The `..` test is lexical (the clearer message); the test after
    following links is the one that decides. Nothing is read: only the path and the links on it are looked at.
    """
    if (
        PurePosixPath(value).is_absolute()
        or PureWindowsPath(value).is_absolute()
        or PureWindowsPath(value).drive
    ):
        return "an absolute path"
    candidate = base.resolve() / value
    if not _within(Path(os.path.normpath(candidate)), top):
        return "a path whose '..' leads outside the repository"
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return "a path through a loop of symbolic links"
    if not _within(resolved, top):
        return "a path through a symbolic link that leads outside the repository"
    return None


def links_out(path: Path, top: Path) -> bool:
    """Whether `path` (a file found inside `top`) is, or passes through, a link out of `top`."""
    try:
        return not _within(path.resolve(), top)
    except (OSError, RuntimeError):
        return True


def _within(path: Path, top: Path) -> bool:
    return path == top or path.is_relative_to(top)
