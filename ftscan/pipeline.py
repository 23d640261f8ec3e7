"""The scan as one call: walk -> scan -> match, returning findings and run facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ftscan import __version__
from ftscan.engine import DEFAULT_WARN_WITHIN, Matcher
from ftscan.patterns import derive_patterns
from ftscan.scan import scan_file
from ftscan.types import Evidence, Finding, Notification, RulePack, RunInfo
from ftscan.walk import DEFAULT_MAX_BYTES, Walker


@dataclass(frozen=True)
class ScanOptions:
    paths: Sequence[Path]
    root: Path
    as_of: date
    warn_within: int = DEFAULT_WARN_WITHIN
    excludes: Sequence[str] = ()
    includes: Sequence[str] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    use_gitignore: bool = True
    category: str | None = None
    disabled: frozenset[str] = field(default_factory=frozenset)


def run_scan(packs: Sequence[RulePack], options: ScanOptions) -> tuple[list[Finding], RunInfo]:
    rules = [rule for pack in packs for rule in pack.rules if rule.id not in options.disabled]
    patterns = derive_patterns(packs, rules)
    walker = Walker(
        options.root,
        excludes=options.excludes,
        includes=options.includes,
        max_bytes=options.max_bytes,
        use_gitignore=options.use_gitignore,
    )
    evidence: list[Evidence] = []
    notifications: list[Notification] = []
    files = 0
    for target in walker.walk(options.paths):
        files += 1
        result = scan_file(target.path, target.rel, target.kind, patterns)
        evidence.extend(result.evidence)
        notifications.extend(result.notifications)
    matcher = Matcher(
        rules, [b for p in packs for b in p.base_models], options.as_of, options.warn_within
    )
    findings = matcher.findings(evidence)
    notes = sorted(
        [*walker.notifications, *notifications], key=lambda n: (n.path, n.kind, n.message)
    )
    run = RunInfo(
        as_of=options.as_of,
        tool_version=__version__,
        packs=tuple(packs),
        rules=tuple(rules),
        notifications=tuple(notes),
        files_scanned=files,
        category=options.category,
        root=str(options.root),
    )
    return findings, run
