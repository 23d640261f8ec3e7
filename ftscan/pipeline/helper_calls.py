"""The helper-call stage: calls, in one module, of a fine-tuning helper another defines.

`def upload(path, purpose)` in `trainer/client.py` forwards `purpose` to `files.create`;
`upload("train.jsonl", purpose="fine-tune")` in `trainer/run.py` is the upload. The scan of
`client.py` exports the helper (`FileResult.helpers`); this stage looks again at the Python
files that hold one of the helpers' names and reports the calls that give a forwarded
keyword a value (`ftscan.scan.python.imported`). Most runs find no helper and read nothing.

With `--shard`, code is scanned only in its own shard: a helper defined in another shard's
file is not known here, and its calls are not reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ftscan.pipeline.second_look import Holding, Looked, look_again
from ftscan.rules.needles import minimal_needles
from ftscan.scan import PYTHON_KINDS
from ftscan.types import Evidence, EvidenceKind, ScanPatterns

if TYPE_CHECKING:
    from ftscan.pipeline import ScanOptions
    from ftscan.pipeline.tree_scan import Scanned


def helper_calls(scanned: Scanned, options: ScanOptions, holding: Holding) -> Looked:
    if not scanned.helpers:
        return Looked()
    names = minimal_needles({helper.name for helper in scanned.helpers})
    patterns = ScanPatterns(needles=names, model_ids=False, helpers=scanned.helpers)
    python = [t for t in scanned.code() if t.kind in PYTHON_KINDS or t.kind == "text"]  # and scripts
    return look_again(python, names, patterns, _through_helper, scanned, options, holding)


def _through_helper(evidence: Evidence) -> bool:
    return evidence.kind == EvidenceKind.API_CALL and evidence.prop("reaches") is not None
