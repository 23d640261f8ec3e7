"""Annotated cases in tests/rules/: the lines each rule must fire on, and must not."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from ftscan.match.engine import Matcher
from ftscan.rules.load import load_packs
from ftscan.rules.needles import derive_patterns
from ftscan.scan import scan_file
from ftscan.walk import file_kind

CASES = Path(__file__).parent / "rules"
ANNOTATION = re.compile(r"(?:#|//)\s*(ruleid|ok):\s*(.+?)\s*$")
AS_OF = re.compile(r"(?:#|//)\s*as-of:\s*(\d{4}-\d\d-\d\d)")
PACKS = load_packs()
RULES = [r for p in PACKS for r in p.rules]
PATTERNS = derive_patterns(PACKS, RULES)


def parse(text: str) -> tuple[date, dict[int, dict[str, str | None]], dict[int, set[str]]]:
    """(as-of, {line: {rule: level or None}} expected, {line: rules} forbidden)."""
    as_of = date(2026, 11, 22)
    expected: dict[int, dict[str, str | None]] = {}
    forbidden: dict[int, set[str]] = {}
    pending: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if found := AS_OF.search(line):
            as_of = date.fromisoformat(found[1])
        annotation = ANNOTATION.search(line)
        if annotation and line.lstrip().startswith(("#", "//")):
            pending.append((annotation[1], annotation[2]))
            continue
        for kind, spec in pending:
            for item in spec.split(","):
                rule, _, level = item.strip().partition(":")
                if kind == "ruleid":
                    expected.setdefault(number, {})[rule] = level or None
                else:
                    forbidden.setdefault(number, set()).add(rule)
        pending = []
    return as_of, expected, forbidden


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.name != "README.md"))
def test_case(case: str) -> None:
    path = CASES / case
    as_of, expected, forbidden = parse(path.read_text())
    result = scan_file(path, case, file_kind(case, path.read_bytes()[:64]), PATTERNS)
    findings = Matcher(RULES, [b for p in PACKS for b in p.base_models], as_of).findings(result.evidence)
    got: dict[int, dict[str, str]] = {}
    for finding in findings:
        got.setdefault(finding.evidence.span.line, {})[finding.rule.id] = finding.level
    problems = []
    for line, rules in sorted(expected.items()):
        for rule, level in rules.items():
            actual = got.get(line, {}).get(rule)
            if actual is None:
                problems.append(f"line {line}: {rule} did not fire")
            elif level and actual != level:
                problems.append(f"line {line}: {rule} fired at {actual}, expected {level}")
    for line, rules in sorted(got.items()):
        for rule in rules:
            if rule not in expected.get(line, {}):
                problems.append(f"line {line}: {rule} fired without a ruleid annotation")
    for line, rules in sorted(forbidden.items()):
        fired = got.get(line, {})
        problems += [f"line {line}: {rule} fired on an ok line" for rule in rules if rule in fired]
    assert not problems, "\n".join(problems)
