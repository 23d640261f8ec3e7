"""A Python file that ends in blank lines then a line of blanks is analysed, not set aside.

libcst gives back `x\\n\\n   \\n` as `x\\n   \\n`; no node lies in that tail, so the position
pass compares only the text before it. Notebooks meet this often: a cell of `!` lines last.
"""

from __future__ import annotations

from ftscan.rules.load import load_packs
from ftscan.rules.needles import derive_patterns
from ftscan.scan.python import scan_python

PACKS = load_packs()
PATTERNS = derive_patterns(PACKS, [r for p in PACKS for r in p.rules])


def test_calls_are_found_above_a_tail_of_blanks():
    source = "from openai import OpenAI\nOpenAI().fine_tuning.jobs.create(model='gpt-4o-mini')\n\n    \n"
    result = scan_python("train.py", source, PATTERNS)
    assert result.notifications == ()
    assert [(ev.value, ev.confidence) for ev in result.evidence] == [
        ("openai.fine_tuning.jobs.create", "high")
    ]
