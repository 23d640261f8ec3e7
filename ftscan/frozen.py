"""Frozen value classes that cost next to nothing to define: the base of `ftscan.types`.

The one place in ftscan that stands in for the standard library to save start-up time.
`@dataclass(frozen=True, slots=True)` compiles each class's `__init__`, `__eq__`, `__hash__`,
`__repr__` and `__setattr__` from source text when its module is imported, and `attrs` does
the same. Measured on 2026-12-06 (2 cores, CPython 3.11; `benchmarks/README.md` says how):
importing `ftscan.types` takes 3.9 ms on this base, 13.6 ms as slots dataclasses, 11.2 ms
with `attrs` (each library already imported), and a pre-commit run over five files that
cannot match takes 51 ms on this base against 72 ms with every value class a dataclass
(median of 30 paired runs): more than the whole of the run's own work.

A `Frozen` subclass declares its fields the same way (annotations, defaults, `order=True`)
and shares one set of methods instead: the class statement is all its import costs.

Like a frozen slots dataclass: keyword or positional construction, no assignment after it,
equality and hash over the fields (same class only), ordering with `order=True`, pickling
(by value, through the constructor). `replace` and `asdict` stand in for `dataclasses`'.
The shared `__init__` is slower than a generated one; a class built often (a span, a
binding) gets its own generated `__init__` once it has been built `FAST_AFTER` times, so
long scans pay nothing and short runs compile nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from typing import dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[type], type]:
        return lambda cls: cls


T = TypeVar("T", bound="Frozen")
_MISSING = object()
FAST_AFTER = 256  # values of a class built through the shared `__init__` before its own
_built: dict[type, int] = {}


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen value."""


class Factory:
    """A default made anew for each value (`extra: dict[str, str] = Factory(dict)`)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def _ordering(compare: Callable[[tuple, tuple], bool]) -> Callable[[Any, Any], Any]:
    def method(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return compare(self._values(self), other._values(other))
        return NotImplemented

    return method


_ORDER = {
    "__lt__": _ordering(lambda a, b: a < b),
    "__le__": _ordering(lambda a, b: a <= b),
    "__gt__": _ordering(lambda a, b: a > b),
    "__ge__": _ordering(lambda a, b: a >= b),
}


class _FrozenMeta(type):
    """Reads a class's fields from its annotations and moves their defaults out of the way
    of `__slots__`."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], order: bool = False
    ) -> _FrozenMeta:
        if not bases:  # `Frozen` itself
            return super().__new__(mcs, name, bases, namespace)
        inherited: tuple[str, ...] = ()
        defaults: dict[str, Any] = {}
        for base in bases:
            inherited += getattr(base, "_fields", ())
            defaults.update(getattr(base, "_defaults", {}))
        own = tuple(namespace.get("__annotations__", ()))
        for field in own:
            value = namespace.pop(field, _MISSING)
            if value is not _MISSING:
                defaults[field] = value
            elif defaults:
                raise TypeError(f"{name}: field {field!r} without a default follows one with a default")
        fields = inherited + own
        namespace["__slots__"] = own
        namespace["__init__"] = _shared_init  # each class its own entry: `_fast_init` replaces it
        namespace["_fields"] = fields
        namespace["__match_args__"] = fields
        namespace["_defaults"] = defaults
        if len(fields) == 1:
            namespace["_values"] = staticmethod(lambda value, get=attrgetter(fields[0]): (get(value),))
        else:
            namespace["_values"] = staticmethod(attrgetter(*fields))
        if order:
            namespace.update(_ORDER)
        return super().__new__(mcs, name, bases, namespace)


@dataclass_transform(frozen_default=True, field_specifiers=(Factory,))
class Frozen(metaclass=_FrozenMeta):
    """Base of a frozen value class: declare fields as annotations, defaults after them."""

    __slots__ = ()
    _fields: tuple[str, ...]
    _defaults: dict[str, Any]
    _values: Callable[[Any], tuple[Any, ...]]

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values(self) == other._values(other)  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{field}={getattr(self, field)!r}" for field in self._fields)
        return f"{self.__class__.__qualname__}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, self._values(self))


def _shared_init(self: Any, *args: Any, **kwargs: Any) -> None:
    cls = self.__class__
    built = _built.get(cls, 0) + 1
    _built[cls] = built
    if built == FAST_AFTER:
        cls.__init__ = _fast_init(cls)
    fields = cls._fields
    if len(args) > len(fields):
        raise TypeError(f"{cls.__name__}() takes {len(fields)} arguments but {len(args)} were given")
    set_field = object.__setattr__
    for field, value in zip(fields, args, strict=False):
        set_field(self, field, value)
    if len(args) == len(fields) and not kwargs:
        return
    defaults = cls._defaults
    for field in fields[len(args) :]:
        if field in kwargs:
            value = kwargs.pop(field)
        else:
            value = defaults.get(field, _MISSING)
            if value is _MISSING:
                raise TypeError(f"{cls.__name__}() missing argument: {field!r}")
            if value.__class__ is Factory:
                value = value.make()
        set_field(self, field, value)
    if kwargs:
        raise TypeError(f"{cls.__name__}() got unexpected or repeated argument(s): {', '.join(kwargs)}")


def _fast_init(cls: type) -> Callable[..., None]:
    """An `__init__` for `cls` alone, generated as `dataclasses` does: as fast as theirs."""
    params, lines = [], []
    env: dict[str, Any] = {"__set": object.__setattr__, "__missing": _MISSING}
    for i, field in enumerate(cls._fields):  # type: ignore[attr-defined]
        default = cls._defaults.get(field, _MISSING)  # type: ignore[attr-defined]
        if default is _MISSING:
            params.append(field)
        elif default.__class__ is Factory:
            env[f"__make{i}"] = default.make
            params.append(f"{field}=__missing")
            lines.append(f"    if {field} is __missing:\n        {field} = __make{i}()")
        else:
            env[f"__default{i}"] = default
            params.append(f"{field}=__default{i}")
        lines.append(f"    __set(self, {field!r}, {field})")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(lines) + "\n"
    exec(source, env)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init  # type: ignore[no-any-return]


def replace(value: T, /, **changes: Any) -> T:
    """A copy of `value` with some fields changed (`dataclasses.replace`)."""
    cls = value.__class__
    args = [changes.pop(f) if f in changes else getattr(value, f) for f in cls._fields]
    if changes:
        raise TypeError(f"{cls.__name__} has no field(s) {', '.join(changes)}")
    return cls(*args)


def field_names(value: Frozen | type[Frozen]) -> tuple[str, ...]:
    return value._fields


def asdict(value: Frozen) -> dict[str, Any]:
    """The fields as a dict, nested values too (`dataclasses.asdict`)."""
    return {field: _plain(getattr(value, field)) for field in value._fields}


def _plain(value: Any) -> Any:
    if isinstance(value, Frozen):
        return asdict(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    return value
