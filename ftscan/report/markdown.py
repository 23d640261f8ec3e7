"""A Markdown summary for `$GITHUB_STEP_SUMMARY` and pull-request comments.

A heading, the count by level, the deadlines that date the findings, a table of findings
(the first `MAX_ROWS`, so a comment stays under GitHub's size limit) and the files that
could not be scanned fully. Everything taken from the scanned files (paths, values,
messages) is escaped: `|` cannot split a table cell, HTML is shown as text, a backtick
cannot open or close a code span, and terminal control characters become `?`. Output
depends only on the findings and the run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

from ftscan.types import LEVELS, Finding, Milestone, RunInfo
from ftscan.untrusted.words import clean

MARKER = "<!-- ftscan-report -->"  # lets a workflow find and update its own comment
MAX_ROWS = 100
MAX_MESSAGE = 160  # characters of a finding's message shown in the table
_DEADLINE_PART = re.compile(
    r"\. (?=\d{4}-\d{2}-\d{2} \(|date not announced: |no shutdown date is announced )"
)
_TEXT_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "~": "\\~",
        "|": "\\|",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
        "\r": " ",
        "\n": " ",
        "\t": " ",
    }
)


def text(value: str) -> str:
    """Untrusted text outside a code span: Markdown and HTML characters taken literally."""
    return clean(value.translate(_TEXT_ESCAPES))


def code(value: str) -> str:
    """Untrusted text as an inline code span that nothing inside can close early."""
    value = clean(re.sub(r"[\r\n\t]", " ", value)).replace("|", "\\|")
    if not value:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", value)), default=0) + 1)
    pad = " " if value[0] in "` " or value[-1] in "` " else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def message(value: str, limit: int = MAX_MESSAGE) -> str:
    """A finding's message as Markdown: its `code` spans kept, at most `limit` characters shown.

    ftscan's messages put values between backticks; an odd number of backticks means a
    value held one, and then the whole message is shown as text.
    """
    parts = value.split("`")
    if len(parts) % 2 == 0:
        parts = [value]
    out = []
    for i, part in enumerate(parts):
        if limit <= 0:
            break
        cut = part[:limit] if len(part) <= limit else part[: limit - 1] + "…"
        limit -= len(cut)
        out.append(code(cut) if i % 2 else text(cut))
        if cut != part:
            break
    return "".join(out)


def what(finding: Finding) -> str:
    """The message without its dated sentences (the deadline has a column of its own)."""
    return _DEADLINE_PART.split(finding.message, maxsplit=1)[0].rstrip(".")


def when(day: date, as_of: date) -> str:
    days = (day - as_of).days
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} ago"
    return "today"


def milestones(finding: Finding) -> list[Milestone]:
    """Every milestone that dates a finding: its rule's, and its base model's shutdown."""
    found = [ref.milestone for ref in finding.rule.milestones]
    base = finding.base_model
    if finding.rule.dates_from_base and base is not None and base.milestone is not None:
        found.append(base.milestone)
    return found


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render(findings: Sequence[Finding], run: RunInfo) -> str:
    as_of = run.as_of
    levels = Counter(f.level for f in findings)
    heading = "## ftscan: OpenAI fine-tuning dependencies"
    if run.category:
        heading += f" in {code(run.category)}"
    lines = [MARKER, heading, ""]
    scanned = _plural(run.files_scanned, "file")
    if not findings:
        lines.append(f"No fine-tuning dependency found in {scanned}, as of {as_of.isoformat()}.")
    else:
        counts = ", ".join(_plural(levels[lvl], lvl) for lvl in reversed(LEVELS) if levels[lvl])
        lines.append(
            f"**{_plural(len(findings), 'finding')}** ({counts}) in {scanned}, as of {as_of.isoformat()}."
        )
        lines += ["", "| level | findings |", "|---|---:|"]
        lines += [f"| {lvl} | {levels[lvl]} |" for lvl in reversed(LEVELS)]
        lines += _deadlines(findings, as_of)
        lines += _findings(findings, as_of)
    if run.notifications:
        lines += ["", f"### Not scanned fully ({len(run.notifications)})", ""]
        lines += [
            f"- {code(n.path)}: {text(n.kind)}: {message(n.message, 10_000)}" for n in run.notifications
        ]
    return "\n".join(lines) + "\n"


def _deadlines(findings: Sequence[Finding], as_of: date) -> list[str]:
    counts: Counter[Milestone] = Counter()
    for finding in findings:
        counts.update(set(milestones(finding)))
    if not counts:
        return []
    lines = ["", "### Deadlines", "", "| date | when | status | what stops | findings |"]
    lines.append("|---|---|---|---|---:|")
    for milestone in sorted(counts, key=lambda m: (m.date or date.max, m.key)):
        day = milestone.date
        lines.append(
            f"| {day.isoformat() if day else 'not announced'} | {when(day, as_of) if day else ''} "
            f"| {milestone.status} | {message(milestone.effect, 10_000)} | {counts[milestone]} |"
        )
    return lines


def _findings(findings: Sequence[Finding], as_of: date) -> list[str]:
    lines = ["", "### Findings", "", "| level | rule | location | finding | deadline |"]
    lines.append("|---|---|---|---|---|")
    for finding in findings[:MAX_ROWS]:
        ev = finding.evidence
        deadline = finding.deadline
        due = ""
        if deadline and deadline.date:
            due = f"{deadline.date.isoformat()} ({when(deadline.date, as_of)})"
        lines.append(
            f"| {finding.level} | {text(finding.rule.id)} {text(finding.rule.name)} "
            f"| {code(f'{ev.path}:{ev.span.line}')} | {message(what(finding))} | {due} |"
        )
    if len(findings) > MAX_ROWS:
        lines += ["", f"{len(findings) - MAX_ROWS} more not shown: run `ftscan scan` for the full list."]
    return lines
