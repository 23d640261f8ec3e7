"""A second look at some code files, for what only the first scan of the tree tells.

The env-read and helper-call stages know what to look for only once every file has been
scanned: the variables configuration sets to model IDs, the helpers other modules define.
Each hands this the code files that hold one of its needles (the walk's own search says
which) and patterns that find that one thing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ftscan.frozen import Frozen
from ftscan.scan.ignores import MARKER
from ftscan.scan.pool import scan_targets
from ftscan.types import Evidence, Notification, ScanPatterns, Target

if TYPE_CHECKING:
    from ftscan.pipeline import ScanOptions
    from ftscan.pipeline.tree_scan import Scanned

# Which of these files hold one of these needles (the walk's own search, on its engine).
Holding = Callable[[Sequence[Target], Sequence[str]], list[Target]]


class Looked(Frozen):
    evidence: tuple[Evidence, ...] = ()
    notifications: tuple[Notification, ...] = ()  # what only this look saw (a file it alone parsed)


def look_again(
    code: Sequence[Target],
    needles: Sequence[str],
    patterns: ScanPatterns,
    keep: Callable[[Evidence], bool],
    scanned: Scanned,
    options: ScanOptions,
    holding: Holding,
) -> Looked:
    """The evidence `keep` accepts in the files of `code` that hold a needle, scanned with
    `patterns`; notifications of this shard's files that the first scan did not give."""
    noted = {(n.path, n.kind) for n in scanned.notifications}
    evidence: list[Evidence] = []
    notes: list[Notification] = []
    for result in scan_targets(
        holding(code, (*needles, MARKER)), patterns, options.limits, options.jobs, options.cache
    ):
        evidence.extend(ev for ev in result.evidence if keep(ev))
        if scanned.is_mine(result.path):
            notes.extend(n for n in result.notifications if (n.path, n.kind) not in noted)
    return Looked(tuple(evidence), tuple(notes))
