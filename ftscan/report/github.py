"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding.

Printed to standard output inside a workflow step, each line becomes an annotation on the
file and line (`file=` is the finding's path, relative to the scan root, which in a workflow
is the repository checkout). Values are escaped the way the Actions toolkit escapes them, so
no message or path can end a command early or start another one, and terminal control
characters (which the log would interpret) become `?`.

Columns are given only when a finding starts and ends on the same line: the runner drops
them otherwise. `endColumn` is exclusive, as in SARIF.
"""

from __future__ import annotations

from collections.abc import Sequence

from ftscan.types import Finding, Notification, RunInfo
from ftscan.untrusted.words import clean

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """The message after `::`: `%`, carriage return and newline; other control characters dropped."""
    return clean(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """A `key=value` property: as data, plus `:` and `,`, which end a value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, properties: Sequence[tuple[str, str | int]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{COMMANDS[level]} {props}::{escape_data(message)}"


def finding_command(finding: Finding) -> str:
    span = finding.evidence.span
    properties: list[tuple[str, str | int]] = [("file", finding.evidence.path), ("line", span.line)]
    if span.end_line == span.line:
        properties += [("col", span.column), ("endLine", span.end_line), ("endColumn", span.end_column)]
    else:
        properties.append(("endLine", span.end_line))
    properties.append(("title", f"{finding.rule.id} {finding.rule.name}"))
    return command(finding.level, properties, finding.message)


def notification_command(note: Notification) -> str:
    return command(note.level, [("file", note.path), ("title", f"ftscan {note.kind}")], note.message)


def render(findings: Sequence[Finding], run: RunInfo) -> str:
    lines = [finding_command(f) for f in findings]
    lines += [notification_command(n) for n in run.notifications]
    return "".join(line + "\n" for line in lines)
