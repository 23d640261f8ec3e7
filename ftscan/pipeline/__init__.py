"""The scan as one call: the stages in order, each handing the next a value.

    walk       the files under the paths given, each with its kind      ftscan.walk
    scan       each file's evidence, notifications and ignore comments  tree_scan
    env reads  code reading a variable configuration sets to a model ID env_reads
    helpers    calls of a fine-tuning helper another module defines     helper_calls
    match      evidence x rules at the as-of date: findings             ftscan.match.engine
    suppress   inline ignores, per-path ignores and the baseline        ftscan.match.suppress

`run_scan` returns the findings and the facts of the run; a reporter takes them from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ftscan import __version__
from ftscan.frozen import Frozen, replace
from ftscan.match.engine import DEFAULT_WARN_WITHIN, Matcher
from ftscan.match.suppress import SuppressionSettings, suppress
from ftscan.model_ids import MARKERS
from ftscan.pipeline.env_reads import env_reads
from ftscan.pipeline.helper_calls import helper_calls
from ftscan.pipeline.tree_scan import Progress, scan_tree
from ftscan.rules.load import renamed_rules
from ftscan.rules.needles import derive_patterns
from ftscan.scan.ignores import MARKER
from ftscan.types import FileLimits, Finding, IgnoreComment, RulePack, RunInfo, ScanPatterns
from ftscan.walk import DEFAULT_MAX_BYTES, FileWalk

__all__ = ["DEFAULT_FILE_TIMEOUT", "Progress", "ScanOptions", "run_scan"]

DEFAULT_FILE_TIMEOUT = 20.0


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


def run_scan(
    packs: Sequence[RulePack],
    options: ScanOptions,
    progress: Progress | None = None,
    suppression: SuppressionSettings | None = None,
) -> tuple[list[Finding], RunInfo]:
    rules = [rule for pack in packs for rule in pack.rules if rule.id not in options.disabled]
    patterns = replace(derive_patterns(packs, rules), line_hashes=options.line_hashes)
    walk = FileWalk(
        options.root,
        excludes=options.excludes,
        includes=options.includes,
        use_gitignore=options.use_gitignore,
        skip=options.own_files,
        needles=prefilter_needles(patterns),
        max_bytes=options.max_bytes,
        every_file=options.shard is not None,  # a shard counts its own files: it needs every name
        read_always=frozenset({"jsonl"}) if patterns.training_data else frozenset(),
    )
    scanned = scan_tree(walk, options.paths, patterns, options, progress)
    reads = env_reads(scanned, patterns, options, walk.holding)
    helped = helper_calls(scanned, options, walk.holding)
    later = [*reads.evidence, *helped.evidence]
    if progress:
        progress(scanned.queued, scanned.queued, len(scanned.evidence) + len(later), True)
    matcher = Matcher(rules, [b for p in packs for b in p.base_models], options.as_of, options.warn_within)
    matched = matcher.findings([*scanned.evidence, *later])
    known = {rule.id for pack in packs for rule in pack.rules}
    findings, ignore_notes = suppress(
        [f for f in matched if scanned.is_mine(f.evidence.path)],
        with_new_ids(scanned.ignores, renamed_rules(packs)),
        known,
        suppression or SuppressionSettings(),
    )
    notes = dict.fromkeys(
        [*scanned.notifications, *reads.notifications, *helped.notifications, *ignore_notes]
    )
    run = RunInfo(
        as_of=options.as_of,
        tool_version=__version__,
        packs=tuple(packs),
        rules=tuple(rules),
        notifications=tuple(sorted(notes, key=lambda n: (n.path, n.kind, n.message))),
        files_scanned=scanned.files - scanned.skipped,
        category=options.category,
        root=str(options.root),
    )
    return findings, run


def with_new_ids(ignores: Sequence[IgnoreComment], renamed: dict[str, str]) -> Sequence[IgnoreComment]:
    """Ignore comments that name a renamed rule by its old ID, naming it by its new one."""
    if not renamed:
        return ignores
    return [replace(i, rules=tuple(renamed.get(rule, rule) for rule in i.rules)) for i in ignores]


def prefilter_needles(patterns: ScanPatterns) -> tuple[str, ...]:
    """What a file must hold for its scan to find anything: the rules' needles, the
    model-ID markers, an ignore comment, an SDK name of any language (`could_match` decides
    exactly, on those files, with each kind's own SDK names)."""
    sdk_needles = tuple(dict.fromkeys(n for _, found in patterns.kind_needles for n in found))
    return (*patterns.needles, *sdk_needles, *(MARKERS if patterns.model_ids else ()), MARKER)
