"""Annotated cases in tests/rules/: the lines each rule must fire on, and must not."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from ftscan.match.engine import Matcher
from ftscan.pipeline import ScanOptions, run_scan
from ftscan.rules.load import load_packs
from ftscan.rules.needles import derive_patterns
from ftscan.scan import scan_file
from ftscan.types import Finding
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
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    names = [f.relative_to(path).as_posix() for f in files] if path.is_dir() else [case]
    annotated = {name: parse(f.read_text()) for name, f in zip(names, files, strict=True)}
    dates = {as_of for as_of, _expected, _forbidden in annotated.values()}
    assert len(dates) == 1, f"the files of {case} name different as-of dates: {sorted(dates)}"
    findings = _tree_findings(path, dates.pop()) if path.is_dir() else _file_findings(path, case, dates.pop())
    got: dict[tuple[str, int], dict[str, str]] = {}
    for finding in findings:
        place = (finding.evidence.path, finding.evidence.span.line)
        got.setdefault(place, {})[finding.rule.id] = finding.level
    problems = []
    for rel, (_as_of, expected, forbidden) in annotated.items():
        for line, rules in sorted(expected.items()):
            for rule, level in rules.items():
                actual = got.get((rel, line), {}).get(rule)
                if actual is None:
                    problems.append(f"{rel}:{line}: {rule} did not fire")
                elif level and actual != level:
                    problems.append(f"{rel}:{line}: {rule} fired at {actual}, expected {level}")
        for line, rules in sorted(forbidden.items()):
            fired = got.get((rel, line), {})
            problems += [f"{rel}:{line}: {rule} fired on an ok line" for rule in rules if rule in fired]
    for (rel, line), rules in sorted(got.items()):
        expected = annotated[rel][1] if rel in annotated else {}
        for rule in rules:
            if rule not in expected.get(line, {}):
                problems.append(f"{rel}:{line}: {rule} fired without a ruleid annotation")
    assert not problems, "\n".join(problems)


def _file_findings(path: Path, case: str, as_of: date) -> list[Finding]:
    """One file on its own, as a pre-commit hook scans it."""
    result = scan_file(path, case, file_kind(case, path.read_bytes()[:64]), PATTERNS)
    return Matcher(RULES, [b for p in PACKS for b in p.base_models], as_of).findings(result.evidence)


def _tree_findings(path: Path, as_of: date) -> list[Finding]:
    """A directory as a tree: the stages that join files (env reads, helpers) run too."""
    findings, _run = run_scan(PACKS, ScanOptions(paths=[path], root=path, as_of=as_of, jobs=1))
    return findings
