"""YAML events with one nesting limit, whatever the PyYAML release.

PyYAML 6.0.4's libyaml refuses flow collections nested 1,000 levels deep with a scanner error,
and it reads ahead of the events, so that error can arrive before a caller's own, lower depth
check sees the collection that crosses it. ftscan's limits are lower than libyaml's, so such an
error always means "deeper than ftscan's limit": `events` reports it as `TooDeep`, the same
exception the caller's own check raises, and the user sees one message on every release.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class TooDeep(Exception):
    """Collections nested deeper than `limit`; `line` is 1-based."""

    def __init__(self, limit: int, line: int) -> None:
        super().__init__(f"nested deeper than {limit} levels")
        self.limit, self.line = limit, line


def events(text: str, loader: type, limit: int) -> Iterator[Any]:
    """Yield the parse events of `text`, raising `TooDeep` past `limit` nested collections."""
    import yaml

    depth = 0
    stream = yaml.parse(text, Loader=loader)
    while True:
        try:
            event = next(stream)
        except StopIteration:
            return
        except yaml.YAMLError as error:
            if "nesting depth" not in str(getattr(error, "problem", "") or ""):
                raise
            mark = getattr(error, "problem_mark", None)
            raise TooDeep(limit, mark.line + 1 if mark is not None else 1) from None
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limit:
                raise TooDeep(limit, event.start_mark.line + 1)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        yield event
