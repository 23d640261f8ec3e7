"""Values kept between runs (the pack cache, `--cache` results), stored as JSON: data only.

Whoever can write a cache directory (a CI cache restored from another branch, a shared
runner) must not be able to run code in the next scan, so a cache is never a pickle. It
is one JSON document, `{"format": N, "key": KEY, "value": VALUE}`: decoding JSON builds
only strings, numbers, lists and dictionaries, and a value class is rebuilt only when its
name is on the list the reader gives, from its fields, by its own constructor, once each
field has been checked against the constructor's type hints (a cache of the right shape
but a string where a tuple of findings belongs is a miss, not a crash later).

Encoding of a value: a string, number, boolean or None as itself; a tuple as a list; a
frozenset as `{"frozenset": [...]}`; a date as `{"date": "YYYY-MM-DD"}`; a value class as
`{"ClassName": [field, ...]}` (its `__reduce__`, which `ftscan.frozen` gives every value
class). A file of another format or key, too large, cut short, or naming anything not on
the list is a miss, never an error: the caller computes the value again.
"""

from __future__ import annotations

import functools
import json
import os
import types
import typing
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
    try:  # ASCII: a path that is not UTF-8 (a surrogate escape) is written as `\udce9` and read back
        return json.dumps(document, default=encode, check_circular=False).encode("ascii")
    except (ValueError, RecursionError) as error:
        raise Unstorable(str(error)) from None


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
        values = tuple(map(_tuples, parts))
        _check(tag, maker, values)
        return maker(*values)

    try:
        document = json.loads(data, object_hook=build)
        if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("key") != key:
            raise Unreadable("another format or key")
        return _tuples(document.get("value"))
    except Unreadable:
        raise
    except Exception as error:  # not JSON, a constructor's refusal, too deep: all a miss
        raise Unreadable(f"{type(error).__name__}: {error}") from None


def _check(tag: str, maker: Callable[..., Any], values: tuple[Any, ...]) -> None:
    """Each value fits the type hint of the parameter (or field) it is given for."""
    hints = _parameters(maker)
    if len(values) > len(hints) or not all(_fits(v, hint) for v, hint in zip(values, hints, strict=False)):
        raise Unreadable(f"{tag}: a field not of its type")


@functools.cache
def _parameters(maker: Callable[..., Any]) -> tuple[Any, ...]:
    """The type hints of a value class's fields, or of a function's parameters, in order."""
    namespace = {"date": date, "Path": Path, "Any": Any}
    hints = typing.get_type_hints(maker, localns=namespace)
    return tuple(hint for name, hint in hints.items() if name != "return" and not name.startswith("_"))


_LEAVES = (str, int, float, bool, tuple, frozenset, type(None))


def _fits(value: Any, hint: Any) -> bool:
    """Does `value` fit `hint`? The hints value classes use: unions, literals, tuples
    (`tuple[X, ...]` or fixed), frozensets, the value classes themselves and protocols."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return True
    if origin is typing.Literal:
        return value in args and type(value) in {type(a) for a in args}
    if origin is typing.Union or origin is types.UnionType:
        return any(_fits(value, arg) for arg in args)
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_fits(item, args[0]) for item in value)
        fixed = len(value) == len(args)
        return fixed and all(_fits(item, arg) for item, arg in zip(value, args, strict=True))
    if origin is frozenset:
        return isinstance(value, frozenset) and all(_fits(item, args[0]) for item in value)
    if hint is type(None):
        return value is None
    if hint in (int, float):
        return isinstance(value, (int, float) if hint is float else int) and not isinstance(value, bool)
    if isinstance(hint, type):
        if getattr(hint, "_is_protocol", False):  # a pattern: an object one of the makers built
            return not isinstance(value, _LEAVES)
        return isinstance(value, hint)
    return False


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
