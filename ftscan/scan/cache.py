"""Per-file results kept between runs (`--cache`): a re-scan reads only files that changed.

Keyed by the file's path, size and modification time, and, for the whole cache, by
ftscan's version and everything the rules ask scanners to look for: a new rule, a new
environment variable or a new ftscan starts a fresh cache.

An entry also holds the file's device, inode and change time (ctime). A scanned tree sets
its files' modification times (an archive carries them), but not their change time, which
the kernel sets when the file is written: an entry left by a scan of one tree, even at the
same path with the same size and modification time, never matches a file of another tree or
a later checkout, so it cannot make a later scan skip a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

from ftscan import __version__
from ftscan.types import FileResult, ScanPatterns

Stamp = tuple[int, int, int, int, int]  # size, mtime and ctime in nanoseconds, device, inode


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
        self.path = directory / f"results-{patterns_key(patterns)}.pickle"
        self.entries: dict[str, tuple[Stamp, FileResult]] = {}
        try:
            loaded = pickle.loads(self.path.read_bytes())
            if isinstance(loaded, dict):
                self.entries = loaded
        except Exception:  # missing or unreadable: start empty
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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(pickle.dumps(self.entries, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, self.path)
        except OSError:
            pass
