"""The env-read stage: the code that reads a variable configuration sets to a model ID.

`.env:3 SUPPORT_MODEL=ft:...` and `os.getenv("SUPPORT_MODEL")` in `app/chat.py` are one
dependency. The variables are known only once the configuration is scanned, and the code
that reads them need hold no other needle, so this stage looks again at the code files the
walk found: only those that hold one of the variables' names (the walk's own needle search
says which), scanned for those reads alone. There are few: most runs find no such variable
and read nothing here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ftscan.frozen import Frozen
from ftscan.rules.needles import minimal_needles
from ftscan.scan.ignores import MARKER
from ftscan.scan.pool import scan_targets
from ftscan.types import Evidence, EvidenceKind, Notification, ScanPatterns, Target

if TYPE_CHECKING:
    from ftscan.pipeline import ScanOptions
    from ftscan.pipeline.tree_scan import Scanned

# Which of these files hold one of these needles (the walk's own search, on its engine).
Holding = Callable[[Sequence[Target], Sequence[str]], list[Target]]
# A pydantic-settings field reads its variable under another spelling (`support_model`,
# with a prefix): a class of settings is read for any of them.
SETTINGS = "BaseSettings"


class EnvReads(Frozen):
    evidence: tuple[Evidence, ...] = ()
    notifications: tuple[Notification, ...] = ()  # what only this stage saw (a file it alone parsed)


def env_reads(scanned: Scanned, patterns: ScanPatterns, options: ScanOptions, holding: Holding) -> EnvReads:
    names = defined_variables(scanned.defined)
    if not names:
        return EnvReads()
    reads = reads_of(names, patterns)
    noted = {(n.path, n.kind) for n in scanned.notifications}
    evidence: list[Evidence] = []
    notes: list[Notification] = []
    code = holding(scanned.code, (*reads.needles, MARKER))
    for result in scan_targets(code, reads, options.limits, options.jobs, options.cache):
        evidence.extend(ev for ev in result.evidence if ev.kind == EvidenceKind.ENV_READ)
        if result.path in scanned.mine:
            notes.extend(n for n in result.notifications if (n.path, n.kind) not in noted)
    return EnvReads(tuple(evidence), tuple(notes))


def defined_variables(evidence: Sequence[Evidence]) -> frozenset[str]:
    """The variables that configuration sets to model IDs."""
    return frozenset(name for ev in evidence if ev.model is not None and (name := ev.prop("env_var")))


def reads_of(names: frozenset[str], patterns: ScanPatterns) -> ScanPatterns:
    """Patterns that find reads of these variables and nothing else."""
    return ScanPatterns(
        needles=minimal_needles({*names, SETTINGS}),
        model_ids=False,
        model_keywords=patterns.model_keywords,
        env_vars=names,
    )
