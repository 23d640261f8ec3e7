"""Per-file results kept between runs (`--cache`): a re-scan reads only files that changed.

Keyed by the file's path, size and modification time, and, for the whole cache, by
ftscan's version and everything the rules ask scanners to look for: a new rule, a new
environment variable or a new ftscan starts a fresh cache.

An entry also holds the file's device, inode and change time (ctime). A scanned tree sets
its files' modification times (an archive carries them), but not their change time, which
the kernel sets when the file is written: an entry left by a scan of one tree, even at the
same path with the same size and modification time, never matches a file of another tree or
a later checkout, so it cannot make a later scan skip a file.

The cache is JSON read by `ftscan.stored` (data only, never a pickle: whoever can write the
cache directory must not run code in the next scan), rebuilding only a file result's value
classes; a file over `MAX_CACHE_BYTES`, of another format or not as written is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ftscan import __version__
from ftscan.stored import Unreadable, Unstorable, dumps, loads, write_whole
from ftscan.types import (
    Evidence,
    FileResult,
    Helper,
    IgnoreComment,
    ModelId,
    Notification,
    ScanPatterns,
    Span,
)
from ftscan.untrusted.bounded_read import TooLarge, read_bounded

Stamp = tuple[int, int, int, int, int]  # size, mtime and ctime in nanoseconds, device, inode
# About 250,000 files' results. Decoding JSON holds each list a while before it becomes a
# tuple: a hostile 32 MiB file of `[],[],...` peaks near 600 MiB, and a larger cache is not
# written (the scan runs, uncached).
MAX_CACHE_BYTES = 32 * 1024 * 1024
_CLASSES = (FileResult, Evidence, Span, ModelId, Notification, IgnoreComment, Helper)
_MAKERS: dict[str, Callable[..., Any]] = {cls.__name__: cls for cls in _CLASSES}


def patterns_key(patterns: ScanPatterns) -> str:
    """A stable digest of what the scanners look for."""
    facts = {
        "version": __version__,
        "needles": sorted(patterns.needles),
        "calls": list(patterns.calls),
        "model_ids": patterns.model_ids,
        "training_data": patterns.training_data,
        "model_args": sorted(patterns.model_args),
        "model_keywords": sorted(patterns.model_keywords),
        "rest_paths": list(patterns.rest_paths),
        "cli": list(patterns.cli),
        "text": [(rule, regex.pattern) for rule, regex in patterns.text],
        "env_vars": sorted(patterns.env_vars),
        "deciding_keywords": sorted(patterns.deciding_keywords),
        "helpers": [repr(helper) for helper in patterns.helpers],
        "line_hashes": patterns.line_hashes,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:24]


class ResultCache:
    def __init__(self, directory: Path, patterns: ScanPatterns) -> None:
        self.key = patterns_key(patterns)
        self.path = directory / f"results-{self.key}.json"
        self.entries: dict[str, tuple[Stamp, FileResult]] = {}
        try:
            data = read_bounded(self.path, MAX_CACHE_BYTES, "result cache")
            self.entries = _entries(loads(data, self.key, _MAKERS))
        except (OSError, TooLarge, Unreadable):  # missing, cut short, not as written: start empty
            pass
        self.changed = False

    @staticmethod
    def stamp(path: Path | str) -> Stamp | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_dev, stat.st_ino

    def get(self, rel: str, stamp: Stamp | None) -> FileResult | None:
        entry = self.entries.get(rel)
        return entry[1] if entry and stamp is not None and entry[0] == stamp else None

    def put(self, rel: str, stamp: Stamp | None, result: FileResult) -> None:
        if stamp is not None:
            self.entries[rel] = (stamp, result)
            self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        stored = tuple((rel, stamp, result) for rel, (stamp, result) in self.entries.items())
        try:
            data = dumps(self.key, stored, _MAKERS)
            if len(data) <= MAX_CACHE_BYTES:
                write_whole(self.path, data)
        except (OSError, Unstorable):
            pass  # a read-only directory, a value with no stored form: no cache, nothing lost


def _entries(stored: Any) -> dict[str, tuple[Stamp, FileResult]]:
    """The entries of a stored cache, each checked for its shape."""
    entries = {}
    for entry in stored if isinstance(stored, tuple) else ():
        rel, stamp, result = entry if isinstance(entry, tuple) and len(entry) == 3 else (None, None, None)
        if not (isinstance(rel, str) and isinstance(result, FileResult) and _is_stamp(stamp)):
            raise Unreadable("an entry not as written")
        entries[rel] = (stamp, result)
    return entries


def _is_stamp(stamp: Any) -> bool:
    return isinstance(stamp, tuple) and len(stamp) == 5 and all(type(part) is int for part in stamp)
