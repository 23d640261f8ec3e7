"""Many files scanned: in order, in a process pool for long lists, with the result cache.

Below `PARALLEL_MIN_FILES` targets (pre-commit passes a few) a pool costs more than it
saves; targets the walk found to hold a needle are nearly all parsed, so fewer of them
(`PARALLEL_MIN_MATCHED`) pay for one. The pool starts as soon as that many are known, while
the walk goes on, and takes `CHUNK` files per task, so that a worker given the heavy files
(a big notebook, the files libcst parses) does not finish long after the other.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from ftscan.scan import scan_file
from ftscan.types import FileLimits, FileResult, ScanPatterns, Target

PARALLEL_MIN_FILES = 200
PARALLEL_MIN_MATCHED = 24
CHUNK = 8


class Unread:
    """How many targets `scan_targets` left unread (the walk found no needle in them)."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


def scan_targets(
    targets: Iterable[Target],
    patterns: ScanPatterns,
    limits: FileLimits,
    jobs: int = 0,
    cache: Path | None = None,
    unread: Unread | None = None,
    marked: Callable[[], bool] = lambda: False,
) -> Iterator[FileResult]:
    """Scan every target that may hold something, in a process pool for long lists;
    results in target order.

    Targets are consumed as they come (the walk feeds the pool while it goes on). A target
    the walk found to hold no needle (nor anything else a scan looks at) is not read and
    gives no result (its scan would find nothing): `unread` counts them. `marked` says
    whether the walk marked its targets so (ripgrep read them): those left are then nearly
    all parsed, even where the walk left none out, and fewer of them pay for a pool. With a
    cache directory, files unchanged since the last run are not read again.
    """
    unread = unread or Unread()

    def to_read() -> Iterator[Target]:
        for target in targets:
            if target.holds_needle or (target.kind == "jsonl" and patterns.training_data):
                yield target
            else:
                unread.count += 1

    yield from _scan_read(to_read(), patterns, limits, jobs, cache, lambda: unread.count > 0 or marked())


def _scan_read(
    targets: Iterable[Target],
    patterns: ScanPatterns,
    limits: FileLimits,
    jobs: int,
    cache: Path | None,
    prefiltered: Callable[[], bool],
) -> Iterator[FileResult]:
    if cache is None:
        yield from _scan(targets, patterns, limits, jobs, prefiltered)
        return
    from ftscan.scan.cache import ResultCache

    targets = list(targets)
    store = ResultCache(cache, patterns)
    stamps = [store.stamp(t.path) for t in targets]
    results = [store.get(t.rel, stamp) for t, stamp in zip(targets, stamps, strict=True)]
    missing = [i for i, result in enumerate(results) if result is None]
    scanned = _scan([targets[i] for i in missing], patterns, limits, jobs, prefiltered)
    for i, result in zip(missing, scanned, strict=True):
        if not any(n.kind == "timeout" for n in result.notifications):  # it may fit next time
            store.put(targets[i].rel, stamps[i], result)
        results[i] = result
    store.save()
    yield from (r for r in results if r is not None)


def _scan(
    targets: Iterable[Target],
    patterns: ScanPatterns,
    limits: FileLimits,
    jobs: int,
    prefiltered: Callable[[], bool] = lambda: False,
) -> Iterator[FileResult]:
    workers = jobs or os.cpu_count() or 1

    def enough() -> int:
        return PARALLEL_MIN_MATCHED if prefiltered() else PARALLEL_MIN_FILES

    stream = iter(targets)
    head: list[Target] = []
    for target in stream:  # enough to decide on, and no more: the pool starts while the walk goes on
        head.append(target)
        if len(head) >= enough():
            break
    if workers <= 1 or len(head) < enough():
        for target in itertools.chain(head, stream):
            yield scan_file(target.path, target.rel, target.kind, patterns, limits)
        return
    from concurrent.futures import Future, ProcessPoolExecutor  # only long scans pay for it

    pending: deque[Future[list[FileResult]]] = deque()
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(patterns, limits)) as pool:
        for chunk in _chunks(itertools.chain(head, stream)):
            pending.append(pool.submit(_scan_chunk, chunk))
            while pending and pending[0].done():
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _chunks(targets: Iterator[Target]) -> Iterator[list[Target]]:
    while chunk := list(itertools.islice(targets, CHUNK)):
        yield chunk


_worker: tuple[ScanPatterns, FileLimits] | None = None


def _init_worker(patterns: ScanPatterns, limits: FileLimits) -> None:
    global _worker
    _worker = (patterns, limits)


def _scan_chunk(chunk: Sequence[Target]) -> list[FileResult]:
    assert _worker is not None
    patterns, limits = _worker
    return [scan_file(t.path, t.rel, t.kind, patterns, limits) for t in chunk]
