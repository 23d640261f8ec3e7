"""Run the examples rules carry (`examples:` in a pack): the rule must fire at the given
level on each snippet, or not at all where the level is `none`.

Used by the test suite for the shipped packs and by `ftscan rules test` for users' own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ftscan.match.engine import Matcher
from ftscan.rules.needles import derive_patterns
from ftscan.scan import scan_source
from ftscan.types import Rule, RuleExample, RulePack
from ftscan.walk import file_kind


@dataclass(frozen=True)
class ExampleResult:
    rule: Rule
    example: RuleExample
    levels: tuple[str, ...]  # levels of the rule's findings on the snippet

    @property
    def passed(self) -> bool:
        if self.example.level == "none":
            return not self.levels
        return self.levels == (self.example.level,)

    def describe(self) -> str:
        got = ", ".join(self.levels) or "no finding"
        first = self.example.code.strip().splitlines()[0]
        return (
            f"{self.rule.id} example at {self.example.as_of} ({first!r}): "
            f"expected {self.example.level}, got {got}"
        )


def run_examples(packs: Sequence[RulePack], only: Sequence[str] = ()) -> list[ExampleResult]:
    """Every example of every rule (or of the rule IDs in `only`), scanned with all rules loaded."""
    rules = [rule for pack in packs for rule in pack.rules]
    bases = [base for pack in packs for base in pack.base_models]
    patterns = derive_patterns(packs, rules)
    results = []
    for rule in rules:
        if only and rule.id not in only:
            continue
        for example in rule.examples:
            name = example.path.rsplit("/", 1)[-1]
            scanned = scan_source(example.path, example.code, file_kind(name), patterns)
            findings = Matcher(rules, bases, example.as_of).findings(scanned.evidence)
            levels = tuple(f.level for f in findings if f.rule.id == rule.id)
            results.append(ExampleResult(rule, example, levels))
    return results
