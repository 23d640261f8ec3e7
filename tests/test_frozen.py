"""The frozen value base behind `ftscan.types`: what a frozen slots dataclass promised."""

from __future__ import annotations

import copy
import pickle

import pytest

from ftscan.frozen import FAST_AFTER, Factory, Frozen, FrozenInstanceError, asdict, field_names, replace
from ftscan.types import Evidence, ModelId, RunInfo, Span


class Point(Frozen, order=True):
    x: int
    y: int = 0


class Other(Frozen):
    x: int
    y: int = 0


def test_construction_by_position_keyword_and_default() -> None:
    assert Point(1, 2) == Point(x=1, y=2) == Point(1, y=2)
    assert Point(3).y == 0
    assert field_names(Point) == ("x", "y") == Point.__match_args__


@pytest.mark.parametrize(
    ("args", "kwargs", "problem"),
    [((), {}, "missing argument: 'x'"), ((1, 2, 3), {}, "takes 2 arguments"),
     ((1,), {"x": 2}, "unexpected or repeated"), ((1,), {"z": 2}, "unexpected or repeated")],
)  # fmt: skip
def test_wrong_arguments_are_type_errors(args: tuple, kwargs: dict, problem: str) -> None:
    with pytest.raises(TypeError, match=problem):
        Point(*args, **kwargs)


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default follows"):

        class Broken(Frozen):
            a: int = 0
            b: int


def test_values_are_frozen_and_have_no_dict() -> None:
    point = Point(1, 2)
    with pytest.raises(FrozenInstanceError):
        point.x = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del point.y
    with pytest.raises(AttributeError):
        point.z = 1  # type: ignore[attr-defined]
    assert not hasattr(point, "__dict__")


def test_equality_and_hash_follow_the_fields_within_one_class() -> None:
    assert hash(Point(1, 2)) == hash(Point(1, 2))
    assert Point(1, 2) != Point(2, 1)
    assert Point(1, 2) != Other(1, 2)  # another class, the same fields
    assert Point(1, 2) != (1, 2)  # not a tuple
    assert len({Point(1, 2), Point(1, 2), Point(1, 3)}) == 2


def test_order_when_asked_and_only_within_one_class() -> None:
    assert sorted([Point(2, 0), Point(1, 5), Point(1, 2)]) == [Point(1, 2), Point(1, 5), Point(2, 0)]
    assert Span(1, 5, 1, 9) < Span(2, 1, 2, 2) and Span(3, 1, 3, 2) >= Span(3, 1, 3, 2)
    with pytest.raises(TypeError):
        _ = Other(1) < Other(2)  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = Point(1) < Other(2)  # type: ignore[operator]


def test_repr_names_every_field() -> None:
    assert repr(Point(1, 2)) == "Point(x=1, y=2)"


def test_pickle_and_copy_keep_the_value() -> None:
    ev = Evidence(kind="model-id", path="a.py", span=Span(1, 2, 1, 9), value="ft:x",
                  model=ModelId(raw="ft:x", flavor="partial", base="x"), props=(("k", "v"),))  # fmt: skip
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(ev, protocol=protocol)) == ev
    assert copy.deepcopy(ev) == ev and copy.copy(ev) is not ev


def test_replace_changes_named_fields_only() -> None:
    span = Span(1, 2, 3, 4)
    assert replace(span, line=7) == Span(7, 2, 3, 4)
    assert span == Span(1, 2, 3, 4)
    with pytest.raises(TypeError, match="no field"):
        replace(span, nope=1)


def test_a_factory_default_is_made_for_each_value() -> None:
    class Bag(Frozen):
        items: list[int] = Factory(list)

    first, second = Bag(), Bag()
    first.items.append(1)
    assert second.items == [] and first.items == [1]
    run = RunInfo(as_of=None, tool_version="0", packs=(), rules=())  # type: ignore[arg-type]
    assert run.extra == {} and run.extra is not RunInfo(None, "0", (), ()).extra  # type: ignore[arg-type]


def test_asdict_goes_into_nested_values() -> None:
    ev = Evidence(kind="model-id", path="a.py", span=Span(1, 2, 1, 9), value="v")
    data = asdict(ev)
    assert data["span"] == {"line": 1, "column": 2, "end_line": 1, "end_column": 9}
    assert data["model"] is None and data["props"] == ()


def test_a_class_built_often_gets_its_own_init_that_behaves_the_same() -> None:
    class Hot(Frozen):
        a: int
        b: str = "b"
        c: list[int] = Factory(list)

    shared = Hot.__init__
    built = [Hot(i) for i in range(FAST_AFTER + 1)]
    assert Hot.__init__ is not shared and Point.__init__ is shared  # only the hot class
    assert built[0] == Hot(0, "b", []) and built[-1] == Hot(a=FAST_AFTER)
    assert Hot(1, c=[2]).c == [2] and Hot(1).c is not Hot(1).c
    for args, kwargs in (((), {}), ((1, "x", [], 4), {}), ((1,), {"a": 2}), ((1,), {"z": 2})):
        with pytest.raises(TypeError):
            Hot(*args, **kwargs)
    with pytest.raises(FrozenInstanceError):
        built[0].a = 1  # type: ignore[misc]
