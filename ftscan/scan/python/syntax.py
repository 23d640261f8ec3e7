"""Reading libcst nodes: dotted names, string literals' values, a function's parameters.

Pure helpers with no state, used by every stage of the Python scanner.
"""

from __future__ import annotations

import warnings

import libcst as cst


def dotted_name(expr: cst.CSTNode) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    parts = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return None
    parts.append(expr.value)
    return ".".join(reversed(parts))


_TRANSPARENT_CALLS = frozenset({"str", "os.fspath", "fspath"})
_CASTS = frozenset({"cast", "typing.cast", "t.cast"})


def transparent(expr: cst.BaseExpression) -> cst.BaseExpression:
    """The value a wrapper passes through unchanged: `cast(Literal["fine-tune"], purpose)`,
    `str(purpose)`, `os.fspath(path)` are `purpose` and `path`."""
    for _ in range(8):
        if not isinstance(expr, cst.Call):
            return expr
        name = dotted_name(expr.func)
        if name in _TRANSPARENT_CALLS and len(expr.args) == 1 and expr.args[0].keyword is None:
            expr = expr.args[0].value
        elif name in _CASTS and len(expr.args) == 2:
            expr = expr.args[1].value
        else:
            return expr
    return expr


def literal_string(expr: cst.CSTNode) -> str | None:
    """The value of a string literal or of adjacent literals; None for anything else."""
    if isinstance(expr, cst.SimpleString):
        return _simple_value(expr)
    if isinstance(expr, cst.ConcatenatedString):
        parts = string_parts(expr)
        values = [_simple_value(p) if isinstance(p, cst.SimpleString) else None for p in parts]
        return None if None in values else "".join(values)
    return None


def string_parts(node: cst.ConcatenatedString) -> list[cst.BaseExpression]:
    """The literals of `"a" f"b" "c"`, in order (iteratively: there may be thousands)."""
    parts: list[cst.BaseExpression] = []
    pending: list[cst.BaseExpression] = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, cst.ConcatenatedString):
            pending += (item.right, item.left)
        else:
            parts.append(item)
    return parts


def parameters(params: cst.Parameters) -> list[cst.Param]:
    """Every named parameter of a function or lambda."""
    stars = (params.star_arg, params.star_kwarg)
    named = (*params.posonly_params, *params.params, *params.kwonly_params, *stars)
    return [param for param in named if isinstance(param, cst.Param)]


def keyword_string(call: cst.Call, keyword: str) -> str | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return literal_string(arg.value)
    return None


def keyword_text(call: cst.Call, keyword: str) -> str | None:
    """The literal text of a keyword argument that is a string, an f-string or a
    concatenation of them, placeholders and all (`f"https://{name}.openai.azure.com"`)."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            parts = [arg.value]
            found = []
            while parts:
                node = parts.pop()
                if isinstance(node, cst.SimpleString):
                    found.append(node.value)
                elif isinstance(node, cst.FormattedString):
                    found.extend(p.value for p in node.parts if isinstance(p, cst.FormattedStringText))
                elif isinstance(node, cst.ConcatenatedString):
                    parts += [node.right, node.left]
            return " ".join(found) if found else None
    return None


def _simple_value(node: cst.SimpleString) -> str | None:
    prefix = node.prefix.lower()
    if "b" in prefix:
        return None
    raw = node.raw_value
    if "r" in prefix or "\\" not in raw:
        return raw
    with warnings.catch_warnings():  # `"\d"` warns when evaluated
        warnings.simplefilter("ignore")
        value = node.evaluated_value
    return value if isinstance(value, str) else None
