"""The scan as one call: walk -> scan -> match, returning findings and run facts."""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from ftscan import __version__
from ftscan.engine import DEFAULT_WARN_WITHIN, Matcher
from ftscan.frozen import Frozen, replace
from ftscan.model_ids import MARKERS
from ftscan.patterns import derive_patterns, minimal_needles
from ftscan.scan import CODE_KINDS, scan_file
from ftscan.scan.ignores import MARKER
from ftscan.suppress import SuppressionSettings, suppress
from ftscan.types import (
    Evidence,
    EvidenceKind,
    FileLimits,
    FileResult,
    Finding,
    IgnoreComment,
    Notification,
    RulePack,
    RunInfo,
    ScanPatterns,
)
from ftscan.walk import DEFAULT_MAX_BYTES, FileWalk, Target

# Below this many files a process pool costs more than it saves (pre-commit passes a few);
# files known to hold a needle are nearly all parsed, so fewer of them pay for the pool.
PARALLEL_MIN_FILES = 200
PARALLEL_MIN_MATCHED = 24
# Files per task: few enough that a worker given the heavy ones (a big notebook, the files
# libcst parses) does not finish long after the other.
CHUNK = 8
DEFAULT_FILE_TIMEOUT = 20.0
NOT_SCANNED = frozenset({"too-large", "binary", "unreadable"})  # notifications of files not read
# Files scanned, files found to scan so far, evidence so far, and whether the scan has ended.
Progress = Callable[[int, int, int, bool], None]


class ScanOptions(Frozen):
    paths: Sequence[Path]
    root: Path
    as_of: date
    warn_within: int = DEFAULT_WARN_WITHIN
    excludes: Sequence[str] = ()
    includes: Sequence[str] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    use_gitignore: bool = True
    category: str | None = None
    disabled: frozenset[str] = frozenset()
    jobs: int = 0  # 0: one per CPU
    shard: tuple[int, int] | None = None  # (K, N): report only the K-th of N parts of the tree
    cache: Path | None = None  # keep per-file results here between runs
    line_hashes: bool = True  # only SARIF carries them: other formats skip the work
    file_timeout: float = DEFAULT_FILE_TIMEOUT  # seconds per file before plain text; 0: none
    own_files: frozenset[str] = frozenset()  # ftscan's own report and baseline: never scanned

    @property
    def limits(self) -> FileLimits:
        return FileLimits(self.max_bytes, self.file_timeout)


def in_shard(rel: str, shard: tuple[int, int] | None) -> bool:
    """A stable split by path: the same file lands in the same shard on every machine."""
    if shard is None:
        return True
    import hashlib  # only sharded runs pay for loading it

    index, count = shard
    return int(hashlib.sha256(rel.encode()).hexdigest()[:12], 16) % count == index - 1


def run_scan(
    packs: Sequence[RulePack],
    options: ScanOptions,
    progress: Progress | None = None,
    suppression: SuppressionSettings | None = None,
) -> tuple[list[Finding], RunInfo]:

    rules = [rule for pack in packs for rule in pack.rules if rule.id not in options.disabled]
    patterns = replace(derive_patterns(packs, rules), line_hashes=options.line_hashes)
    walker = FileWalk(
        options.root,
        excludes=options.excludes,
        includes=options.includes,
        use_gitignore=options.use_gitignore,
        skip=options.own_files,
        needles=prefilter_needles(patterns),
        max_bytes=options.max_bytes,
    )
    evidence: list[Evidence] = []
    from_config: list[Evidence] = []  # what configuration says: the variables set to model IDs
    notifications: list[Notification] = []
    ignores: list[IgnoreComment] = []
    mine: set[str] = set()  # the files this shard reports on
    code: list[Target] = []  # every code file, for the reads of those variables
    code_paths: set[str] = set()
    queued = skipped = 0

    def stream() -> Iterator[Target]:
        """The walk, streamed into the scan. Configuration is scanned in every shard (it
        is cheap), so that every shard can join a read to a definition; code only in its own."""
        nonlocal queued
        for target in walker.walk(options.paths):
            ours = in_shard(target.rel, options.shard)
            if ours:
                mine.add(target.rel)
            if target.kind in CODE_KINDS:
                code.append(target)
                code_paths.add(target.rel)
                if not ours:
                    continue
            queued += 1
            yield target

    unread = Unread()
    scanned = scan_targets(stream(), patterns, options.limits, options.jobs, options.cache, unread)
    for read, result in enumerate(scanned, start=1):
        evidence.extend(result.evidence)
        if result.evidence and result.path not in code_paths:
            from_config.extend(result.evidence)
        if result.path in mine:
            notifications.extend(result.notifications)
            ignores.extend(result.ignores)
            if any(n.kind in NOT_SCANNED for n in result.notifications):
                skipped += 1
        if progress:
            progress(read + unread.count, queued, len(evidence), False)
    patterns = with_env_vars(patterns, from_config)
    if patterns.env_vars:
        # The code that reads those variables: a second, cheap pass (few files hold their names).
        noted = {(n.path, n.kind) for n in notifications}
        reads = reads_only(patterns)
        code = walker.holding(code, (*reads.needles, MARKER))
        for result in scan_targets(code, reads, options.limits, options.jobs, options.cache):
            evidence.extend(ev for ev in result.evidence if ev.kind == EvidenceKind.ENV_READ)
            if result.path in mine:  # what only this pass saw (a file it alone parsed)
                notifications.extend(n for n in result.notifications if (n.path, n.kind) not in noted)
    if progress:
        progress(queued, queued, len(evidence), True)
    matcher = Matcher(
        rules, [b for p in packs for b in p.base_models], options.as_of, options.warn_within
    )
    findings = [f for f in matcher.findings(evidence) if f.evidence.path in mine]
    known = {rule.id for pack in packs for rule in pack.rules}
    findings, ignore_notes = suppress(findings, ignores, known, suppression or SuppressionSettings())
    notifications.extend(ignore_notes)
    walked = [n for n in walker.notifications if in_shard(n.path, options.shard)]
    notes = sorted([*walked, *notifications], key=lambda n: (n.path, n.kind, n.message))
    run = RunInfo(
        as_of=options.as_of,
        tool_version=__version__,
        packs=tuple(packs),
        rules=tuple(rules),
        notifications=tuple(notes),
        files_scanned=len(mine) - skipped,
        category=options.category,
        root=str(options.root),
    )
    return findings, run


def prefilter_needles(patterns: ScanPatterns) -> tuple[str, ...]:
    """What a file must hold for its scan to find anything: the rules' needles, the
    model-ID markers, an ignore comment (`could_match` decides exactly, on those files)."""
    return (*patterns.needles, *(MARKERS if patterns.model_ids else ()), MARKER)


def with_env_vars(patterns: ScanPatterns, evidence: Sequence[Evidence]) -> ScanPatterns:
    """Add the variables that configuration sets to model IDs, as names to find and needles.

    `BaseSettings` joins them: a pydantic-settings field reads its variable under another
    spelling (`support_model`, with a prefix).
    """
    names = {name for ev in evidence if ev.model is not None and (name := ev.prop("env_var"))}
    if not names:
        return patterns
    return replace(
        patterns,
        env_vars=frozenset(names),
        needles=minimal_needles({*patterns.needles, *names, "BaseSettings"}),
    )


def reads_only(patterns: ScanPatterns) -> ScanPatterns:
    """Patterns that find reads of the known variables and nothing else."""
    return ScanPatterns(
        needles=minimal_needles({*patterns.env_vars, "BaseSettings"}),
        model_ids=False,
        model_keywords=patterns.model_keywords,
        env_vars=patterns.env_vars,
    )


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
) -> Iterator[FileResult]:
    """Scan every target that may hold something, in a process pool for long lists;
    results in target order.

    Targets are consumed as they come (the walk feeds the pool while it goes on). A target
    the walk found to hold no needle (nor anything else a scan looks at) is not read and
    gives no result (its scan would find nothing): `unread` counts them. With a cache
    directory, files unchanged since the last run are not read again.
    """
    unread = unread or Unread()

    def to_read() -> Iterator[Target]:
        for target in targets:
            if target.holds_needle or (target.kind == "jsonl" and patterns.training_data):
                yield target
            else:
                unread.count += 1

    yield from _scan_read(to_read(), patterns, limits, jobs, cache, lambda: unread.count > 0)


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
    from ftscan.result_cache import ResultCache

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
