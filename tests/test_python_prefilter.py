"""The Python prefilter: a file is parsed only when the tree could add something. Words of a
fine-tuning call that stand only in comments (a notebook exported as a script keeps its
prose as comments) are no reason to parse; the same words in code, in a string before code
on the same line, or in a chain continued past a comment are.

The property: wherever the tree is skipped (no reason, or reasons only in comments), the tree
would have found nothing more; a file that does not parse is scanned as text as before.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ftscan.scan.python as python_scanner
from ftscan.rules.load import load_packs
from ftscan.rules.needles import derive_patterns
from ftscan.scan.python import scan_python
from ftscan.scan.python.prefilter import needs_tree, only_in_comments, without_comments

PACKS = load_packs()
PATTERNS = derive_patterns(PACKS, [rule for pack in PACKS for rule in pack.rules])


@pytest.mark.parametrize(
    "source",
    [
        "# Upload the files to OpenAI, then create a job: client.files.create(...)\nx = 1\n",
        "import os\n# openai.fine_tuning.jobs.create(model=m)\nprint(os.name)\n",
        "def f():\n    pass  # see openai.File.create for uploads\n",
    ],
)
def test_a_call_only_in_comments_is_no_reason_to_parse(source):
    assert needs_tree(source, PATTERNS) and only_in_comments(source, PATTERNS)


@pytest.mark.parametrize(
    "source",
    [
        "import openai\nopenai.File.create(file=f, purpose='fine-tune')\n",
        "job = client.fine_tuning.jobs.create(model=m)  # start it\n",
        "job = (client.fine_tuning  # the jobs API\n    # of the v1 SDK\n    .jobs.create(model=m))\n",
        's = "#"; client.fine_tuning.jobs.create(model=m)\n',
        "s = '''\n# not a comment\n'''; openai.FineTune.create()\n",
        'print(f"{client.fine_tuning.jobs.create(model=m)}")  # f-string code\n',
        's = "a \\\n#b"; client.fine_tuning.jobs.create(model=m)\n',
    ],
)
def test_a_call_in_code_is_parsed(source):
    assert needs_tree(source, PATTERNS) and not only_in_comments(source, PATTERNS)


def test_comments_are_cut_to_their_hash_and_strings_kept():
    source = "x = '# kept'  # cut\n# cut too\ny = 1\n"
    assert without_comments(source) == "x = '# kept'  #\n#\ny = 1\n"


def test_a_file_that_does_not_parse_is_still_read_as_text_with_its_commented_call():
    """Python 2: the parse is still tried, fails, and the text scan sees the call."""
    source = 'print "starting"\n# client.fine_tuning.jobs.create(model="gpt-4o-mini")\n'
    result = scan_python("old.py", source, PATTERNS)
    assert [n.kind for n in result.notifications] == ["parse-error"]
    assert [(e.call, e.span.line, e.confidence) for e in result.evidence] == [
        ("openai.fine_tuning.jobs.create", 2, "low")
    ]


LINES = (
    "from openai import OpenAI",
    "import openai",
    "client = OpenAI()",
    "client.fine_tuning.jobs.create(training_file='file-abc', model='gpt-4o-mini')",
    "openai.File.create(file=open('t.jsonl', 'rb'), purpose='fine-tune')",
    "# client.fine_tuning.jobs.create(model='gpt-4o-mini')",
    "# openai.FineTune.create() and openai.files.create",
    "x = '#'; client.files.create(file=f, purpose='fine-tune')",
    "job = (client.fine_tuning  # the jobs API",
    "    .jobs.create(model='m'))",
    "s = '''",
    "'''",
    '"""',
    "tweet = 'uploads to openai #ad'",
    "def f(c: 'OpenAI'):",
    "    c.fine_tuning.jobs.list()",
    "    pass",
)


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES), max_size=8).map("\n".join))
def test_where_the_prefilter_skips_the_tree_the_tree_finds_nothing_more(source):
    if needs_tree(source, PATTERNS) and not only_in_comments(source, PATTERNS):
        return
    found = scan_python("a.py", source, PATTERNS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(python_scanner, "_tree_may_add", lambda text, source, patterns: True)
        forced = scan_python("a.py", source, PATTERNS)
    assert forced.evidence == found.evidence
