"""The collector: one pass over the tree that notes, besides the binder's events, every
literal that may hold a model ID and where it sits (the call and keyword it is passed to,
the name it is assigned to, a dict key, a docstring), IDs built at run time
(`f"ft:gpt-4o:{org}:..."`, adjacent literals), `job.fine_tuned_model` passed on, and reads
of the environment variables configuration names."""

from __future__ import annotations

import bisect
import itertools

import libcst as cst

from ftscan.frozen import Frozen
from ftscan.model_ids import find_model_ids, has_marker, parse_partial
from ftscan.scan.python.binder import MODULE_SCOPE, CallSite, Ref, Scope
from ftscan.scan.python.prefilter import FINE_TUNED_MODEL
from ftscan.scan.python.syntax import dotted_name, literal_string, parameters, string_parts
from ftscan.scan.python.values import ValueBinder
from ftscan.types import ModelId, ScanPatterns

_STRINGS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
_CONTAINERS = frozenset({cst.List, cst.Tuple, cst.Set})
# Nodes whose context is looked up: literals, IDs built at run time, dicts of keywords.
_HOLDERS = frozenset({*_STRINGS, cst.BinaryOperation, cst.Call, cst.Dict}) | {
    getattr(cst, name) for name in ("TemplatedString",) if hasattr(cst, name)
}


class Context(Frozen):
    """Where a literal sits: the argument of a call, a dict value, an assignment."""

    site: CallSite | None = None
    keyword: str | None = None  # the keyword argument or dict key that carries it
    target: str | None = None  # `MODEL` in `MODEL = "ft:..."`
    role: str | None = None  # "docstring" or "dict-key"
    keys: tuple[str, ...] = ()  # the literal dict keys on the way in: `{"a": {"b": <here>}}`


class Collector(ValueBinder):
    """One pass over the tree: name events and calls, literals and the context of each."""

    def __init__(self, patterns: ScanPatterns, partials: bool) -> None:
        super().__init__()
        self.patterns = patterns
        self.strings: list[cst.BaseExpression] = []  # literals whose text has an ID marker
        self.contexts: dict[int, Context] = {}
        self.partials: list[tuple[cst.BaseExpression, ModelId]] = []  # `f"ft:gpt-4o:{org}"`
        self.joined: list[tuple[cst.ConcatenatedString, ModelId]] = []  # `"ft:a:b" ":c:d"`
        self.refs: list[tuple[cst.BaseExpression, Context]] = []  # `job.fine_tuned_model`
        self.model_args: list[tuple[cst.BaseExpression, str, Context]] = []
        self._find_partials = partials
        self._inner: set[int] = set()  # ConcatenatedStrings inside another one
        # Reads of `patterns.env_vars`; nothing is collected when there are none.
        self._env = patterns.env_vars
        self.env_calls: list[tuple[CallSite, cst.BaseExpression, cst.BaseExpression | None]] = []
        self.env_subscripts: list[tuple[Ref, cst.BaseExpression]] = []  # `os.environ["X"]`
        self.classes: list[tuple[cst.ClassDef, list[Ref]]] = []  # with their bases
        self.constants: dict[str, str | None] = {}  # `KEY = "X"` at module level; None: rebound
        self._stores: set[int] = set()  # subscripts assigned or deleted: no reads

    # Where literals sit.

    def visit_FunctionDef(self, node: cst.FunctionDef | cst.Lambda, scope: Scope) -> Scope:
        for param in parameters(node.params):
            if param.default is not None:
                self._context(param.default, Context(keyword=param.name.value))
        return super().visit_FunctionDef(node, scope)

    visit_Lambda = visit_FunctionDef

    def visit_Assign(self, node: cst.Assign, scope: Scope) -> None:
        super().visit_Assign(node, scope)
        self._context(node.value, Context(target=dotted_name(node.targets[0].target)))
        if self._env:
            for target in node.targets:
                self._store(target.target)
            if len(node.targets) == 1:
                self._constant(node.targets[0].target, node.value, scope)

    def visit_AnnAssign(self, node: cst.AnnAssign, scope: Scope) -> None:
        super().visit_AnnAssign(node, scope)
        if node.value is not None:
            self._context(node.value, Context(target=dotted_name(node.target)))
        if self._env:
            self._store(node.target)
            self._constant(node.target, node.value, scope)

    def visit_Del(self, node: cst.Del, scope: Scope) -> None:
        if self._env:
            self._store(node.target)

    def visit_ClassDef(self, node: cst.ClassDef, scope: Scope) -> Scope:
        if self._env:
            self.classes.append((node, [self.add_ref(arg.value, scope) for arg in node.bases]))
        return super().visit_ClassDef(node, scope)

    def visit_Decorator(self, node: cst.Decorator, scope: Scope) -> None:
        """`@instructions.distil` calls what it names with the function: a call site too
        (an attribute only: a bare `@name` is a local helper's business, not an SDK's)."""
        if isinstance(node.decorator, cst.Attribute):
            self.add_call(cst.Call(func=node.decorator), scope)

    def visit_Expr(self, node: cst.Expr, scope: Scope) -> None:
        if isinstance(node.value, _STRINGS):
            self._context(node.value, Context(role="docstring"))

    def visit_Call(self, node: cst.Call, scope: Scope) -> None:
        site = self.add_call(node, scope)
        positional = 0
        for arg in node.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            positional += keyword is None
            context = Context(site=site, keyword=keyword)
            self._context(arg.value, context)  # `**{"model": ...}` too
            if arg.star:
                continue
            if keyword in self.patterns.model_keywords:
                self._model_value(arg.value, context)
            elif keyword is None and positional == 1:
                self._model_arg(arg.value, context)
        func = node.func
        if self._find_partials and isinstance(func, cst.Attribute) and func.attr.value == "format":
            self._partial(node, func.value, "{")
        if self._env:
            self._env_call(site, node)

    def visit_Dict(self, node: cst.Dict, scope: Scope) -> None:
        outer = self.contexts.get(id(node), Context())
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                continue
            key = literal_string(element.key)
            keys = (*outer.keys, key) if key is not None else outer.keys
            self._context(element.key, Context(target=outer.target, role="dict-key", keys=keys))
            context = Context(site=outer.site, keyword=key, target=outer.target, keys=keys)
            self._context(element.value, context)
            if key in self.patterns.model_keywords:
                self._model_value(element.value, context)

    def _context(self, expr: cst.BaseExpression, context: Context) -> None:
        """Give `expr`, and the literals it is made of, this context."""
        pending = [expr]
        while pending:
            node = pending.pop()
            node_type = type(node)
            if node_type in _HOLDERS:
                self.contexts[id(node)] = context
            if node_type is cst.ConcatenatedString or node_type is cst.BooleanOperation:
                pending += (node.left, node.right)
            elif node_type is cst.IfExp:
                pending += (node.body, node.orelse)
            elif node_type in _CONTAINERS:
                pending.extend(element.value for element in node.elements)

    # Reads of environment variables.

    def visit_Subscript(self, node: cst.Subscript, scope: Scope) -> None:
        if not self._env or id(node) in self._stores or len(node.slice) != 1:
            return
        index = node.slice[0].slice
        if isinstance(index, cst.Index) and self._env_key(index.value):
            self.env_subscripts.append((self.add_ref(node.value, scope), index.value))

    def _env_call(self, site: CallSite, node: cst.Call) -> None:
        """Note `<reader>("X", default)` when "X" may name a variable of `env_vars`."""
        positional = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        key = positional[0] if positional else keywords.get("key")
        if key is not None and self._env_key(key):
            default = positional[1] if len(positional) > 1 else keywords.get("default")
            self.env_calls.append((site, key, default))

    def _env_key(self, expr: cst.BaseExpression) -> bool:
        """A literal in `env_vars`, or a constant's name (`KEY`) whose value is known later."""
        if isinstance(expr, cst.Name):
            return expr.value.isupper()
        return literal_string(expr) in self._env

    def _constant(self, target: cst.BaseExpression, value: cst.BaseExpression | None, scope: Scope) -> None:
        """Note `KEY = "X"` at module level; a name bound twice has no known value."""
        if isinstance(target, cst.Name) and scope == MODULE_SCOPE:
            known = target.value in self.constants
            literal = literal_string(value) if value is not None else None
            self.constants[target.value] = None if known else literal

    def _store(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Subscript):
            self._stores.add(id(target))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._store(element.value)

    def _model_value(self, expr: cst.BaseExpression, context: Context) -> None:
        if isinstance(expr, cst.Attribute) and expr.attr.value == FINE_TUNED_MODEL:
            self.refs.append((expr, context))
        else:
            self._model_arg(expr, context)

    def _model_arg(self, expr: cst.BaseExpression, context: Context) -> None:
        if self.patterns.model_args and isinstance(expr, _STRINGS):
            value = literal_string(expr)
            if value in self.patterns.model_args:
                self.model_args.append((expr, value, context))

    # Literals, and IDs built at run time.

    def visit_SimpleString(self, node: cst.SimpleString, scope: Scope) -> None:
        if has_marker(node.value):
            self.strings.append(node)

    def visit_FormattedString(self, node: cst.FormattedString, scope: Scope) -> None:
        if any(isinstance(p, cst.FormattedStringText) and has_marker(p.value) for p in node.parts):
            self.strings.append(node)
        if self._find_partials:
            self._partial(node, node)

    def visit_TemplatedString(self, node: cst.CSTNode, scope: Scope) -> None:
        """A t-string (Python 3.14): its IDs are literal text, like an f-string's."""
        if any(has_marker(text) for p in node.parts if isinstance(text := getattr(p, "value", None), str)):
            self.strings.append(node)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString, scope: Scope) -> None:
        inner = id(node) in self._inner  # a part of a longer run of literals
        self._inner.update((id(node.left), id(node.right)))
        if inner:
            return
        if self._find_partials:
            self._partial(node, node)
        parts = string_parts(node)
        if has_marker("".join(p.value for p in parts if isinstance(p, cst.SimpleString))):
            self.joined.extend((node, model) for model in _ids_across_literals(parts))

    def visit_BinaryOperation(self, node: cst.BinaryOperation, scope: Scope) -> None:
        if not self._find_partials:
            return
        if isinstance(node.operator, cst.Add):
            leaf = node.left
            while isinstance(leaf, cst.BinaryOperation) and isinstance(leaf.operator, cst.Add):
                leaf = leaf.left
            self._partial(node, leaf)
        elif isinstance(node.operator, cst.Modulo):
            self._partial(node, node.left, "%")

    def _partial(self, node: cst.BaseExpression, head_of: cst.BaseExpression, stop: str = "") -> None:
        """Note `node` when the literal `head_of` starts `ft:<base>:` and the rest comes later."""
        head = _string_head(head_of)
        if head is None or (head[1] and node is head_of):
            return  # not a literal, or a whole one (the raw text shows it)
        model = parse_partial(head[0].partition(stop)[0] if stop else head[0])
        if model is not None:
            self.partials.append((node, model))


def _ids_across_literals(parts: list[cst.BaseExpression]) -> list[ModelId]:
    """IDs seen only once adjacent literals are joined (`"ft:gpt-4o:org" ":sfx:9tt19es9"`)."""
    values = [literal_string(part) for part in parts]
    if None in values:
        return []
    ends = list(itertools.accumulate(map(len, values)))
    starts = [end - len(value) for end, value in zip(ends, values, strict=True)]
    own = [  # IDs inside one literal: the raw text shows them
        (start + match.start, start + match.end)
        for start, value in zip(starts, values, strict=True)
        for match in find_model_ids(value)
    ]
    found = []
    for match in find_model_ids("".join(values)):
        part = bisect.bisect_right(ends, match.start)
        if match.end <= ends[part]:
            continue  # inside one literal
        before = bisect.bisect_left(own, (match.end,)) - 1  # the last own ID starting before
        if before >= 0 and own[before][1] > match.start:
            continue  # overlaps an ID of its own literal: `"ft:...:id1" "ft:...:id2"`
        found.append(match.model)
    return found


def _string_head(expr: cst.BaseExpression) -> tuple[str, bool] | None:
    """A literal's text up to its first f-string expression, and whether that is all of it."""
    parts = string_parts(expr) if isinstance(expr, cst.ConcatenatedString) else [expr]
    texts: list[str] = []
    for part in parts:
        if isinstance(part, cst.FormattedString):
            for piece in part.parts:
                if not isinstance(piece, cst.FormattedStringText):
                    return "".join(texts), False
                texts.append(piece.value)
            continue
        value = literal_string(part)
        if value is None:
            return None
        texts.append(value)
    return "".join(texts), True
