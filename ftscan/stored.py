"""Values kept between runs (the pack cache, `--cache` results), stored as JSON: data only.

Whoever can write a cache directory (a CI cache restored from another branch, a shared
runner) must not be able to run code in the next scan, so a cache is never a pickle. It
is one JSON document, `{"format": N, "key": KEY, "value": VALUE}`: decoding JSON builds
only strings, numbers, lists and dictionaries, and a value class is rebuilt only when its
name is on the list the reader gives, from its fields, by its own constructor.

Encoding of a value: a string, number, boolean or None as itself; a tuple as a list; a
frozenset as `{"frozenset": [...]}`; a date as `{"date": "YYYY-MM-DD"}`; a value class as
`{"ClassName": [field, ...]}` (its `__reduce__`, which `ftscan.frozen` gives every value
class). A file of another format or key, too large, cut short, or naming anything not on
the list is a miss, never an error: the caller computes the value again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

FORMAT = 1  # the layout of the document and of its values; another is a miss


class Unstorable(TypeError):
    """A value holds something this format cannot write (it is then not cached)."""


class Unreadable(ValueError):
    """A stored document that is not what the reader expects (a miss)."""


def dumps(key: str, value: Any, makers: Mapping[str, Callable[..., Any]]) -> bytes:
    """The document holding `value` under `key`; its value classes must be in `makers`."""
    tags = {maker: tag for tag, maker in makers.items()}

    def encode(found: Any) -> Any:
        if isinstance(found, frozenset):
            return {"frozenset": list(found)}
        if isinstance(found, date):
            return {"date": found.isoformat()}
        reduce = getattr(found, "__reduce__", None)
        made = reduce() if reduce else None
        if isinstance(made, tuple) and len(made) == 2 and made[0] in tags:
            return {tags[made[0]]: list(made[1])}
        raise Unstorable(f"cannot store a {type(found).__name__}")

    document = {"format": FORMAT, "key": key, "value": value}
    return json.dumps(document, default=encode, ensure_ascii=False, check_circular=False).encode("utf-8")


def loads(data: bytes, key: str, makers: Mapping[str, Callable[..., Any]]) -> Any:
    """The value stored under `key`; Unreadable when the document is anything else."""

    def build(found: dict[str, Any]) -> Any:
        if len(found) != 1:
            return found  # the document itself, or a malformed value (caught below)
        ((tag, parts),) = found.items()
        if not isinstance(parts, (list, str)):
            raise Unreadable(f"{tag}: not a value")
        if tag == "date" and isinstance(parts, str):
            return date.fromisoformat(parts)
        if tag == "frozenset" and isinstance(parts, list):
            return frozenset(map(_tuples, parts))
        maker = makers.get(tag)
        if maker is None or not isinstance(parts, list):
            raise Unreadable(f"{tag}: not a stored kind of value")
        return maker(*map(_tuples, parts))

    try:
        document = json.loads(data, object_hook=build)
    except Exception as error:  # not JSON, a constructor's refusal, too deep: all a miss
        raise Unreadable(f"{type(error).__name__}: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("key") != key:
        raise Unreadable("another format or key")
    return _tuples(document.get("value"))


def _tuples(value: Any) -> Any:
    """JSON's lists as the tuples they were written from."""
    if isinstance(value, list):
        return tuple(map(_tuples, value))
    if isinstance(value, dict):
        raise Unreadable("a mapping where a value was expected")
    return value


def write_whole(path: Path, data: bytes) -> None:
    """`data` into `path` by a rename, so a reader never sees half of it (OSError passes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
