"""The `github` and `markdown` reporters: exact output on hand-built findings, and on the demo."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from conftest import AS_OF, run_ftscan

from ftscan.report import REPORTERS, github, markdown, renderer
from ftscan.types import (
    BaseModel,
    Evidence,
    EvidenceKind,
    Finding,
    Milestone,
    MilestoneRef,
    Notification,
    Rule,
    RunInfo,
    Span,
)

SERVING = Milestone("serving-35", date(2026, 10, 23), "fine-tunes of gpt-3.5-turbo stop serving")
JOBS_OFF = Milestone("jobs-off", date(2027, 1, 6), "no organization can create new fine-tuning jobs")
GPT4O = Milestone("serving-4o", date(2027, 1, 14), "fine-tunes of `gpt-4o` stop serving", status="reported")

MODEL_RULE = Rule(
    id="FT101",
    name="fine-tuned-model",
    pack="test",
    summary="Uses an OpenAI fine-tuned model",
    help="Move off it.",
    matches=(),
    dates_from_base=True,
)
JOB_RULE = Rule(
    id="FT201",
    name="fine-tuning-job-created",
    pack="test",
    summary="Creates an OpenAI fine-tuning job",
    help="Stop.",
    matches=(),
    milestones=(MilestoneRef(JOBS_OFF),),
)
NOTE_RULE = Rule(
    id="FT104",
    name="placeholder-fine-tuned-model",
    pack="test",
    summary="Names a placeholder fine-tuned model ID",
    help="Ignore.",
    matches=(),
    level="note",
)


def finding(rule, path, span, level, message, deadline=None, base=None, value="v"):
    evidence = Evidence(EvidenceKind.MODEL_ID, path, span, value)
    return Finding(rule, evidence, level, message, deadline, fingerprint="f", base_model=base)


FINDINGS = (
    finding(
        MODEL_RULE,
        "app/a,b:c.py",
        Span(3, 10, 3, 51),
        "error",
        "Uses 100% of `ft:gpt-3.5-turbo-0125:northwind::9tt19es9` (base gpt-3.5-turbo-0125), "
        "as `A|B`.\r\nSecond line: <b>bold</b>. 2026-10-23 (30 days ago): "
        "fine-tunes of gpt-3.5-turbo stop serving.",
        SERVING,
        BaseModel(("gpt-3.5-turbo",), SERVING),
    ),
    finding(
        JOB_RULE,
        "train.py",
        Span(5, 1, 7, 2),
        "warning",
        "Creates an OpenAI fine-tuning job: `openai.fine_tuning.jobs.create`. "
        "2027-01-06 (in 45 days): no organization can create new fine-tuning jobs.",
        JOBS_OFF,
    ),
    finding(
        MODEL_RULE,
        "web/config.ts",
        Span(1, 20, 1, 70),
        "warning",
        "Uses an OpenAI fine-tuned model: `ft:gpt-4o-2024-08-06:acme:x`y:1` (base gpt-4o-2024-08-06). "
        "2027-01-14 (in 53 days, reported, not confirmed): fine-tunes of `gpt-4o` stop serving.",
        GPT4O,
        BaseModel(("gpt-4o",), GPT4O),
    ),
    finding(
        NOTE_RULE,
        "docs/README.md",
        Span(9, 1, 9, 40),
        "note",
        "Names a placeholder fine-tuned model ID: `ft:gpt-4o-mini:my-org:" + "x" * 150 + "`.",
    ),
)
RUN = RunInfo(
    as_of=date(2026, 11, 22),
    tool_version="0.1.0",
    packs=(),
    rules=(MODEL_RULE, JOB_RULE, NOTE_RULE),
    notifications=(Notification("old.py", "parse-error", "not valid Python 3, line 4: `print x`"),),
    files_scanned=12,
)


def test_formats_are_registered():
    assert REPORTERS["github"] == "ftscan.report.github"
    assert REPORTERS["markdown"] == "ftscan.report.markdown"
    assert renderer("github") is github.render and renderer("markdown") is markdown.render


# --- github -------------------------------------------------------------------------------


def test_github_exact_output():
    assert github.render(FINDINGS, RUN) == (
        "::error file=app/a%2Cb%3Ac.py,line=3,col=10,endLine=3,endColumn=51,title=FT101 fine-tuned-model"
        "::Uses 100%25 of `ft:gpt-3.5-turbo-0125:northwind::9tt19es9` (base gpt-3.5-turbo-0125), "
        "as `A|B`.%0D%0ASecond line: <b>bold</b>. 2026-10-23 (30 days ago): fine-tunes of gpt-3.5-turbo "
        "stop serving.\n"
        "::warning file=train.py,line=5,endLine=7,title=FT201 fine-tuning-job-created"
        "::Creates an OpenAI fine-tuning job: `openai.fine_tuning.jobs.create`. "
        "2027-01-06 (in 45 days): no organization can create new fine-tuning jobs.\n"
        "::warning file=web/config.ts,line=1,col=20,endLine=1,endColumn=70,title=FT101 fine-tuned-model"
        "::Uses an OpenAI fine-tuned model: `ft:gpt-4o-2024-08-06:acme:x`y:1` (base gpt-4o-2024-08-06). "
        "2027-01-14 (in 53 days, reported, not confirmed): fine-tunes of `gpt-4o` stop serving.\n"
        "::notice file=docs/README.md,line=9,col=1,endLine=9,endColumn=40,"
        "title=FT104 placeholder-fine-tuned-model"
        "::Names a placeholder fine-tuned model ID: `ft:gpt-4o-mini:my-org:" + "x" * 150 + "`.\n"
        "::warning file=old.py,title=ftscan parse-error::not valid Python 3, line 4: `print x`\n"
    )


def test_github_escaping():
    assert github.escape_data("100%\r\n, a: b") == "100%25%0D%0A, a: b"
    assert github.escape_property("100%\r\n, a: b") == "100%25%0D%0A%2C a%3A b"
    assert github.escape_data("%0A") == "%250A", "an escape sequence in the input stays literal"


def _parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Read a workflow command the way the Actions runner does."""

    def unescape(text: str) -> str:
        for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
            text = text.replace(escaped, raw)
        return text

    match = re.fullmatch(r"::(\w+) (.*?)::(.*)", line)
    assert match, line
    command, props, data = match.groups()
    properties = dict(item.split("=", 1) for item in props.split(","))
    return command, {k: unescape(v) for k, v in properties.items()}, unescape(data)


def test_github_commands_round_trip():
    lines = github.render(FINDINGS, RUN).splitlines()
    assert len(lines) == len(FINDINGS) + 1, "one line per finding and per notification, no line breaks"
    for line, item in zip(lines, FINDINGS, strict=False):
        command, props, data = _parse_command(line)
        assert command == {"error": "error", "warning": "warning", "note": "notice"}[item.level]
        assert props["file"] == item.evidence.path
        assert props["title"] == f"{item.rule.id} {item.rule.name}"
        assert data == item.message


def test_github_no_findings_is_empty():
    assert github.render((), RunInfo(as_of=date(2026, 11, 22), tool_version="0", packs=(), rules=())) == ""


# --- markdown -----------------------------------------------------------------------------

ROWS = (
    "| error | FT101 fine-tuned-model | `app/a,b:c.py:3` | Uses 100% of "
    "`ft:gpt-3.5-turbo-0125:northwind::9tt19es9` (base gpt-3.5-turbo-0125), as `A\\|B`.  "
    "Second line: &lt;b&gt;bold&lt;/b&gt; | 2026-10-23 (30 days ago) |",
    "| warning | FT201 fine-tuning-job-created | `train.py:5` | Creates an OpenAI fine-tuning job: "
    "`openai.fine_tuning.jobs.create` | 2027-01-06 (in 45 days) |",
    "| warning | FT101 fine-tuned-model | `web/config.ts:1` | Uses an OpenAI fine-tuned model: "
    "\\`ft:gpt-4o-2024-08-06:acme:x\\`y:1\\` (base gpt-4o-2024-08-06) | 2027-01-14 (in 53 days) |",
    # the message is cut at MAX_MESSAGE characters
    "| note | FT104 placeholder-fine-tuned-model | `docs/README.md:9` | Names a placeholder fine-tuned "
    f"model ID: `ft:gpt-4o-mini:my-org:{'x' * 96}…` |  |",
)
MARKDOWN = f"""\
<!-- ftscan-report -->
## ftscan: OpenAI fine-tuning dependencies

**4 findings** (1 error, 2 warnings, 1 note) in 12 files, as of 2026-11-22.

| level | findings |
|---|---:|
| error | 1 |
| warning | 2 |
| note | 1 |

### Deadlines

| date | when | status | what stops | findings |
|---|---|---|---|---:|
| 2026-10-23 | 30 days ago | confirmed | fine-tunes of gpt-3.5-turbo stop serving | 1 |
| 2027-01-06 | in 45 days | confirmed | no organization can create new fine-tuning jobs | 1 |
| 2027-01-14 | in 53 days | reported | fine-tunes of `gpt-4o` stop serving | 1 |

### Findings

| level | rule | location | finding | deadline |
|---|---|---|---|---|
{chr(10).join(ROWS)}

### Not scanned fully (1)

- `old.py`: parse-error: not valid Python 3, line 4: `print x`
"""


def test_markdown_exact_output():
    assert markdown.render(FINDINGS, RUN) == MARKDOWN


def test_markdown_no_findings_and_a_category():
    run = RunInfo(
        as_of=date(2026, 11, 22), tool_version="0", packs=(), rules=(), files_scanned=1, category="svc|a"
    )
    assert markdown.render((), run) == (
        "<!-- ftscan-report -->\n"
        "## ftscan: OpenAI fine-tuning dependencies in `svc\\|a`\n\n"
        "No fine-tuning dependency found in 1 file, as of 2026-11-22.\n"
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a|b", "`a\\|b`"),
        ("a`b", "``a`b``"),
        ("`a``", "``` `a`` ```"),
        ("<img src=x onerror=alert(1)>", "`<img src=x onerror=alert(1)>`"),
        ("line\nbreak", "`line break`"),
    ],
)
def test_markdown_code_spans_cannot_be_closed_from_inside(raw, shown):
    assert markdown.code(raw) == shown


def test_markdown_text_escapes_html_and_markdown():
    assert markdown.text("<script>*x* [a](b) | `c` & _d_") == (
        "&lt;script&gt;\\*x\\* \\[a\\](b) \\| \\`c\\` &amp; \\_d\\_"
    )


def test_markdown_caps_the_table():
    many = tuple(FINDINGS[1] for _ in range(markdown.MAX_ROWS + 5))
    text = markdown.render(many, RUN)
    assert text.count("| `train.py:5` |") == markdown.MAX_ROWS
    assert "5 more not shown" in text


# --- on the demo --------------------------------------------------------------------------


def _demo(fmt: str):
    result = run_ftscan("scan", "fixtures/demo", "--root", "fixtures/demo", "-f", fmt, "--as-of", AS_OF)
    assert result.returncode == 1, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo_json() -> dict:
    return json.loads(_demo("json"))


def test_github_on_the_demo(demo_json):
    lines = _demo("github").splitlines()
    findings, notes = demo_json["findings"], demo_json["notifications"]
    assert len(lines) == len(findings) + len(notes)
    for line, item in zip(lines, findings, strict=False):
        command, props, data = _parse_command(line)
        assert command == {"error": "error", "warning": "warning", "note": "notice"}[item["level"]]
        assert props["file"] == item["path"] and not props["file"].startswith("/")
        assert int(props["line"]) == item["line"]
        assert props["title"] == f"{item['rule_id']} {item['rule_name']}"
        assert data == item["message"]
    assert lines[0].startswith("::warning file=.env,line=2,col=15,endLine=2,endColumn=")
    chat = "::error file=app/chat.py,line=18,col=20,endLine=18,endColumn=61,title=FT101 fine-tuned-model::"
    assert any(line.startswith(chat) for line in lines)
    assert lines[-1] == (
        "::warning file=training/py2_export.py,title=ftscan parse-error::"
        "not valid Python 3 (syntax error at line 4); scanned as plain text"
    )


def test_markdown_on_the_demo(demo_json):
    text = _demo("markdown")
    summary = demo_json["summary"]
    rows = re.findall(r"^\| (error|warning|note) \| (\w+) [\w-]+ \| `([^`]+):(\d+)` \|", text, re.M)
    assert [(r["level"], r["rule_id"], r["path"], r["line"]) for r in demo_json["findings"]] == [
        (level, rule, path, int(line)) for level, rule, path, line in rows
    ]
    for level, count in summary["by_level"].items():
        assert f"| {level} | {count} |" in text
    assert f"**{summary['findings']} findings**" in text
    assert "| 2026-10-23 | 30 days ago | confirmed | fine-tunes of gpt-3.5-turbo" in text
    assert "| 2027-01-14 | in 53 days | reported |" in text
    assert "- `training/py2_export.py`: parse-error: " in text
    assert text == _demo("markdown"), "deterministic"
