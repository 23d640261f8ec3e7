"""What a rule pack from an untrusted tree may cost: its size, its nesting, its nodes once
YAML aliases expand, and the rules and literal strings all packs add together.

Each limit is checked before the work it bounds: the size before the file is read in full,
the nesting and the expanded node count on the parse events (PyYAML's C loader recurses
without a limit, and jsonschema walks every alias again: ten aliases of ten aliases of ...
is a billion nodes from a few lines), the counts before the scan derives its needles. A
breach is a `PackProblem` that `ftscan.rules.load` reports as a rule error naming the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ftscan.untrusted.bounded_read import MAX_PACK_BYTES, TooLarge, looks_binary, read_bounded

if TYPE_CHECKING:
    from ftscan.types import RulePack

MAX_PACK_DEPTH = 64
MAX_PACK_NODES = 200_000  # YAML nodes once aliases are expanded: what validation walks
MAX_RULES = 2000  # across every pack loaded together
MAX_NEEDLES = 10000  # literal strings (needles, calls, values) across every pack


class PackProblem(Exception):
    """A pack over a limit, or not a pack at all; the message never quotes the file."""

    def __init__(self, path: Path | str, line: int | None, field: str | None, problem: str) -> None:
        super().__init__(problem)
        self.path, self.line, self.field, self.problem = path, line, field, problem

    def error(self, kind: type[Exception]) -> Exception:
        """The same problem as a `kind` (RuleError) error."""
        return kind(self.path, self.line, self.field, self.problem)


def read_pack_text(path: Path) -> str:
    """The pack's text; a file that is not one is described, never quoted."""
    try:
        data = read_bounded(path, MAX_PACK_BYTES, "rule pack")
    except TooLarge as error:
        raise PackProblem(path, None, None, str(error)) from None
    except OSError as error:
        raise PackProblem(path, None, None, f"cannot read: {error.strerror or 'unreadable'}") from None
    if looks_binary(data):
        raise PackProblem(path, None, None, "a binary file (it holds NUL bytes), not a rule pack")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = f"not UTF-8 text (byte {error.start:,}), not a rule pack"
        raise PackProblem(path, None, None, problem) from None


def check_events(text: str, path: Path, loader: type) -> None:
    """Refuse a pack nested deeper than `MAX_PACK_DEPTH`, or one whose aliases expand past
    `MAX_PACK_NODES` nodes. Its events are read one at a time."""
    import yaml

    from ftscan.untrusted.yaml_events import TooDeep, events

    nodes = 0
    sizes: dict[str, int] = {}  # anchor -> nodes under it, aliases expanded
    open_: list[tuple[str | None, int]] = []  # collections being read: anchor, count at start
    try:
        for event in events(text, loader, MAX_PACK_DEPTH):
            if isinstance(event, yaml.AliasEvent):
                nodes += sizes.get(event.anchor, 1)
            elif isinstance(event, yaml.CollectionStartEvent):
                open_.append((event.anchor, nodes))
                nodes += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, start = open_.pop()
                if anchor is not None:
                    sizes[anchor] = nodes - start
            elif isinstance(event, yaml.ScalarEvent):
                nodes += 1
            if nodes > MAX_PACK_NODES:
                problem = f"more than {MAX_PACK_NODES:,} YAML nodes once aliases expand"
                raise PackProblem(path, event.start_mark.line + 1, None, problem)
    except TooDeep as error:
        raise PackProblem(path, error.line, None, str(error)) from None


def check_caps(packs: Sequence[RulePack]) -> None:
    """Rules and literal strings are capped over all packs: each costs every scanned file time."""
    rules = needles = 0
    for pack in packs:
        rules += len(pack.rules)
        needles += sum(
            len(m.needles) + len(m.calls) + len(m.values) for rule in pack.rules for m in rule.matches
        )
        if rules > MAX_RULES:
            raise PackProblem(pack.path, None, "rules", f"more than {MAX_RULES} rules in all packs together")
        if needles > MAX_NEEDLES:
            problem = f"more than {MAX_NEEDLES} needles, calls and values in all packs together"
            raise PackProblem(pack.path, None, None, problem)
