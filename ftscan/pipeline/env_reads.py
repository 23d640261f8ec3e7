"""The env-read stage: the code that reads a variable configuration sets to a model ID.

`.env:3 SUPPORT_MODEL=ft:...` and `os.getenv("SUPPORT_MODEL")` in `app/chat.py` are one
dependency. The variables are known only once the configuration is scanned, and the code
that reads them need hold no other needle, so this stage looks again at the code files the
walk found: only those that hold one of the variables' names (the walk's own needle search
says which), scanned for those reads alone. There are few: most runs find no such variable
and read nothing here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ftscan.pipeline.second_look import Holding, Looked, look_again
from ftscan.rules.needles import minimal_needles
from ftscan.types import Evidence, EvidenceKind, ScanPatterns

if TYPE_CHECKING:
    from ftscan.pipeline import ScanOptions
    from ftscan.pipeline.tree_scan import Scanned

# A pydantic-settings field reads its variable under another spelling (`support_model`,
# with a prefix): a class of settings is read for any of them.
SETTINGS = "BaseSettings"


def env_reads(scanned: Scanned, patterns: ScanPatterns, options: ScanOptions, holding: Holding) -> Looked:
    names = defined_variables(scanned.defined)
    if not names:
        return Looked()
    reads = reads_of(names, patterns)

    def is_read(evidence: Evidence) -> bool:
        return evidence.kind == EvidenceKind.ENV_READ

    return look_again(scanned.code(), reads.needles, reads, is_read, scanned, options, holding)


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
