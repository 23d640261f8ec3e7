"""The scan stage as a run drives it: every file the walk finds, scanned as it comes.

With `--shard K/N` a run reports on its own part of the tree. Configuration is scanned in
every shard (it is cheap), so that every shard can join a read in its code to the file that
defines the variable; code is scanned only in its own shard.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ftscan.frozen import Frozen
from ftscan.scan import CODE_KINDS
from ftscan.scan.pool import Unread, scan_targets
from ftscan.types import Evidence, Helper, IgnoreComment, Notification, ScanPatterns, Target

if TYPE_CHECKING:
    from ftscan.pipeline import ScanOptions
    from ftscan.walk import FileWalk

# Files scanned, files found to scan so far, evidence so far, and whether the scan has ended.
Progress = Callable[[int, int, int, bool], None]
NOT_SCANNED = frozenset({"too-large", "binary", "unreadable"})  # notifications of files not read


class Scanned(Frozen):
    """What the scan stage hands on: evidence and notes, and what the next stages need."""

    evidence: tuple[Evidence, ...]
    defined: tuple[Evidence, ...]  # found outside code: what configuration sets variables to
    notifications: tuple[Notification, ...]  # of this shard's files: the walk's, then the scan's
    ignores: tuple[IgnoreComment, ...]  # of this shard's files
    # Every code file (and extensionless script), for the reads of those variables: listed
    # when asked, as a walk that yielded only the files holding a needle lists them then.
    code: Callable[[], tuple[Target, ...]]
    helpers: tuple[Helper, ...]  # functions other files may call to fine-tune (`helper_calls`)
    shard: tuple[int, int] | None  # the part of the tree this run reports on (None: all)
    files: int  # this shard's files, read or not
    queued: int  # files handed to the scan (or read by the walk alone)
    skipped: int  # of this shard's files, those not read (too large, binary, unreadable)

    def is_mine(self, rel: str) -> bool:
        """Does this shard report on the file `rel` (one the walk found)?"""
        return in_shard(rel, self.shard)


def in_shard(rel: str, shard: tuple[int, int] | None) -> bool:
    """A stable split by path: the same file lands in the same shard on every machine."""
    if shard is None:
        return True
    import hashlib  # only sharded runs pay for loading it

    index, count = shard
    return int(hashlib.sha256(rel.encode()).hexdigest()[:12], 16) % count == index - 1


def scan_tree(
    walk: FileWalk,
    paths: Sequence[Path],
    patterns: ScanPatterns,
    options: ScanOptions,
    progress: Progress | None,
) -> Scanned:
    """Every file the walk of `paths` finds, scanned as it comes; the walk's notifications
    (complete once it has ended) join the scan's."""
    evidence: list[Evidence] = []
    defined: list[Evidence] = []
    notifications: list[Notification] = []
    ignores: list[IgnoreComment] = []
    mine = 0
    code: list[Target] = []
    code_paths: set[str] = set()
    helpers: list[Helper] = []
    queued = skipped = 0

    def stream() -> Iterator[Target]:
        """The walk, streamed into the scan: the pool starts while the walk goes on."""
        nonlocal queued, mine
        for target in walk.walk(paths):
            ours = in_shard(target.rel, options.shard)
            mine += ours
            if is_code(target):
                code.append(target)
                code_paths.add(target.rel)
                if not ours and target.kind in CODE_KINDS:
                    continue
            queued += 1
            yield target

    unread = Unread()

    def marked() -> bool:
        return walk.engine == "ripgrep"

    results = scan_targets(stream(), patterns, options.limits, options.jobs, options.cache, unread, marked)
    for read, result in enumerate(results, start=1):
        evidence.extend(result.evidence)
        helpers.extend(result.helpers)
        if result.evidence and result.path not in code_paths:
            defined.extend(result.evidence)
        if in_shard(result.path, options.shard):
            notifications.extend(result.notifications)
            ignores.extend(result.ignores)
            if any(n.kind in NOT_SCANNED for n in result.notifications):
                skipped += 1
        if progress:
            progress(read + unread.count, queued, len(evidence), False)
    walked = [n for n in walk.notifications if in_shard(n.path, options.shard)]

    @functools.cache  # listed once, however many later stages ask
    def every_code_file() -> tuple[Target, ...]:
        every = walk.every_target()
        return tuple(code if every is None else filter(is_code, every))

    return Scanned(
        tuple(evidence),
        tuple(defined),
        (*walked, *notifications),
        tuple(ignores),
        every_code_file,
        tuple(helpers),
        options.shard,
        mine + walk.unlisted,
        queued + walk.unlisted,  # those too were read, by ripgrep
        skipped,
    )


def is_code(target: Target) -> bool:
    """Code, or a file without an extension: it may be a Python script
    (`ftscan.scan.scripts`), whose reads of variables count."""
    return target.kind in CODE_KINDS or (target.kind == "text" and "." not in target.rel.rpartition("/")[2])
