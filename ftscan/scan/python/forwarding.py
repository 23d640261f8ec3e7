"""Fine-tuning calls made through a local helper function.

```python
def upload_file(path, purpose):
    with open(path, "rb") as f:
        return client.files.create(file=f, purpose=purpose)
train = upload_file("train.jsonl", "fine-tune")     # the upload happens here
```

A function of the file that passes one of its parameters, as is, to a keyword of a
fine-tuning call (the sink) forwards it. A call of that function that gives the parameter
a string (a literal, a name bound to one, or the parameter's default) is reported as the
sink called with that keyword, at the call, with the helper named in `via`. A helper called
from another helper with that one's parameter forwards it again, up to `_MAX_DEPTH` levels.
Helpers are matched by name: a plain call for a function, `self.name(...)` for a method.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from ftscan.frozen import Frozen
from ftscan.scan.python.binder import MODULE_SCOPE, SELF_NAMES, CallSite
from ftscan.scan.python.syntax import transparent
from ftscan.scan.python.values import Function, Values
from ftscan.types import Confidence, Helper, Props, Span

Found = tuple[str, Confidence, Props]
Match = Callable[[CallSite, dict[str, str]], "Found | None"]
_MAX_DEPTH = 3


class LocalHelper(Frozen):
    """A function of the file that passes parameters on to a fine-tuning call."""

    function: Function
    sink: CallSite  # the fine-tuning call the parameters reach
    forwards: tuple[tuple[str, str], ...]  # (the sink's keyword, this function's parameter)
    known: tuple[tuple[str, str], ...] = ()  # the sink's keywords given on the way in
    via: tuple[str, ...] = ()


class Forwarded(Frozen):
    """Calls of local helpers that reach a fine-tuning call, and every helper seen."""

    calls: tuple[tuple[CallSite, Found], ...] = ()
    helpers: tuple[LocalHelper, ...] = ()


def forwarded_calls(
    functions: dict[int, Function], calls: list[CallSite], values: Values, match: Match
) -> Forwarded:
    """Calls of local helpers that reach a fine-tuning call with a known keyword."""
    pending = list(_sinks(functions, calls, match))
    if not pending:
        return Forwarded()
    seen = list(pending)
    callers = _callers(functions, calls)
    found: list[tuple[CallSite, Found]] = []
    for _depth in range(_MAX_DEPTH):
        deeper: list[LocalHelper] = []
        for helper in pending:
            for call in callers.get(helper.function.name, ()):
                if call.scope.id == helper.function.body or helper.function.method != _on_self(call):
                    continue
                outer = functions.get(call.scope.id)
                result = _through(helper, call, outer, values, match)
                if result is None:
                    continue
                reported, onward = result
                if reported is not None:
                    found.append((call, reported))
                if onward is not None:
                    deeper.append(onward)
        pending = deeper
        seen += deeper
        if not pending:
            break
    return Forwarded(tuple(found), tuple(seen))


def exportable(helper: LocalHelper, deciding: frozenset[str]) -> bool:
    """Whether another module can call the helper (a function at the top of its module) and
    a call of it can tell something the helper's own call does not: it forwards a keyword
    whose value changes what a finding says (`deciding`: `purpose`, `model`, ...)."""
    return helper.function.module_level and any(keyword in deciding for keyword, _ in helper.forwards)


def exported(
    helper: LocalHelper, values: Values, match: Match, path: str, sink: Span, deciding: frozenset[str]
) -> Helper | None:
    """An exportable helper as another module sees it (`ftscan.types.Helper`), with the
    `deciding` keywords it forwards; `sink`: where its fine-tuning call is in `path`."""
    function = helper.function
    forwards = tuple((keyword, param) for keyword, param in helper.forwards if keyword in deciding)
    forwarded = {keyword for keyword, _param in forwards}
    probe = {"purpose": "fine-tune"} if "purpose" in forwarded else {}
    found = match(helper.sink, {**dict(helper.known), **probe})
    if found is None:
        return None
    qname, confidence, props = found
    kept = tuple((k, v) for k, v in props if not (k.startswith("arg:") and k[4:] in forwarded))
    defaults = tuple(
        (param, value)
        for _keyword, param in forwards
        if (declared := function.param(param)) is not None
        and (value := values.value(declared.default, MODULE_SCOPE)) is not None
    )
    return Helper(
        path=path,
        name=function.name,
        params=tuple(p.name.value for p in function.positional),
        forwards=forwards,
        call=qname,
        confidence=confidence,
        props=kept,
        sink=sink,
        defaults=defaults,
    )


def _through(
    helper: LocalHelper, call: CallSite, outer: Function | None, values: Values, match: Match
) -> tuple[Found | None, LocalHelper | None] | None:
    """What a call of a helper gives: a finding when it sets a forwarded keyword, and the
    helper one level up when it passes on its own parameters."""
    bound = _bind(helper.function, call.node)
    if bound is None:
        return None
    known = dict(helper.known)
    onward = []
    for keyword, param in helper.forwards:
        expr = bound.get(param)
        if expr is None:
            declared = helper.function.param(param)
            expr = declared.default if declared is not None else None
        value = values.value(expr, call.scope)
        if value is not None:
            known[keyword] = value
        elif isinstance(expr, cst.Name) and outer is not None and outer.param(expr.value) is not None:
            onward.append((keyword, expr.value))
    via = (*helper.via, helper.function.name)
    reported = None
    if len(known) > len(helper.known) and (found := match(helper.sink, known)) is not None:
        qname, confidence, props = found
        reported = (qname, confidence, (*props, ("via", " <- ".join(via))))
    next_helper = (
        LocalHelper(outer, helper.sink, tuple(onward), tuple(known.items()), via)
        if onward and outer
        else None
    )
    return reported, next_helper


def _sinks(functions: dict[int, Function], calls: list[CallSite], match: Match) -> list[LocalHelper]:
    """Fine-tuning calls in a function body that take a parameter of it as a keyword."""
    found = []
    for site in calls:
        function = functions.get(site.scope.id)
        if function is None:
            continue
        passed = [
            (arg.keyword.value, transparent(arg.value)) for arg in site.node.args if arg.keyword is not None
        ]
        forwards = tuple(
            (keyword, value.value)
            for keyword, value in passed
            if isinstance(value, cst.Name) and function.param(value.value) is not None
        )
        probe = {"purpose": "fine-tune"} if any(keyword == "purpose" for keyword, _ in forwards) else {}
        if forwards and match(site, probe) is not None:
            found.append(LocalHelper(function, site, forwards))
    return found


def _callers(functions: dict[int, Function], calls: list[CallSite]) -> dict[str, list[CallSite]]:
    """Calls by the name they call: `name(...)`, or `self.name(...)`, for local names only."""
    names = {function.name for function in functions.values()}
    found: dict[str, list[CallSite]] = {}
    for site in calls:
        func = site.func
        if isinstance(func, cst.Attribute) and _on_self(site):
            func = func.attr
        if isinstance(func, cst.Name) and func.value in names:
            found.setdefault(func.value, []).append(site)
    return found


def _on_self(site: CallSite) -> bool:
    func = site.func
    return (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value in SELF_NAMES
    )


def _bind(function: Function, call: cst.Call) -> dict[str, cst.BaseExpression] | None:
    """Parameter name -> the argument given for it; None when `*args` or `**kwargs` hide it."""
    if any(arg.star for arg in call.args):
        return None
    positional = function.positional
    bound: dict[str, cst.BaseExpression] = {}
    index = 0
    for arg in call.args:
        if arg.keyword is not None:
            bound[arg.keyword.value] = arg.value
        elif index < len(positional):
            bound[positional[index].name.value] = arg.value
            index += 1
    return bound
