"""Python scanner: fine-tuning API calls, model IDs and how they are used, from a libcst tree.

`scan_python` reports facts only. Model IDs are found by the shared grammar on the raw text
(so comments count too) and the tree gives them context: the call and keyword they are
passed to, the name they are assigned to, or a dict key that only names a price-table row.
Calls are resolved to qualified names by `python_names` and reported when they match the
patterns' call globs. A file that libcst cannot parse is scanned as plain text, with a
notification.

Speed: a file that can hold nothing the tree would add is never parsed, the tree is walked
by hand rather than by libcst's visitor, and positions come from one code-generation pass
that notes only the nodes being reported (libcst's position metadata is about ten times
slower).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import accumulate

import libcst as cst

from ftscan.model_ids import IdMatch, find_model_ids, has_marker, parse_partial
from ftscan.positions import LineIndex
from ftscan.scan.python_names import (
    MODULE_SCOPE,
    Binding,
    CallSite,
    Event,
    Names,
    Scope,
    Value,
    dotted_name,
    import_bindings,
    literal_string,
)
from ftscan.scan.text import pattern_evidence, scan_text
from ftscan.types import (
    Confidence,
    Evidence,
    EvidenceKind,
    FileResult,
    ModelId,
    Notification,
    Props,
    ScanPatterns,
    Span,
)

try:  # libcst's code generator, the one its own position provider drives
    from libcst._nodes.internal import CodegenState
except ImportError:  # pragma: no cover - fall back on the public (slower) provider
    CodegenState = None

_MAX_BRACKET_DEPTH = 200  # CPython's own limit; libcst's parser can crash far deeper
_PARSER_STACK = 512 * 1024 * 1024  # long `elif` or operator chains recurse deeply
_STACK_LOCK = threading.Lock()
_BRACKET_STEP = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}
_NOT_BRACKET = re.compile(r"[^()\[\]{}]+")
_PARTIAL_HINT = re.compile(r"ft:[a-z0-9][a-z0-9.\-]*[a-z0-9]:")
_ERROR_AT = re.compile(r"error at (\d+):")
_FINE_TUNED_MODEL = "fine_tuned_model"
_STRINGS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
_CONTAINERS = (cst.List, cst.Tuple, cst.Set)
# Node fields that hold only whitespace and punctuation: never walked.
_SKIP_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "comma",
        "semicolon",
        "newline",
        "leading_lines",
        "lines_after_decorators",
        "header",
        "footer",
        "colon",
        "first_colon",
        "second_colon",
        "equal",
        "star",
        "dot",
        "lbrace",
        "rbrace",
        "lbracket",
        "rbracket",
        "asynchronous",
        "operator",
        "indent",
        "comment",
        "empty_lines",
        "first_line",
        "last_line",
        "separator",
        "trailing_comma",
        "posonly_ind",
        "relative",
    }
)


class _Unparsable(Exception):
    """The file is not Python libcst can read; the message says why."""


def scan_python(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    """Evidence of fine-tuning dependencies in one Python source file."""
    try:
        return _scan(path, text, patterns)
    except _Unparsable as error:
        message = f"{error}; scanned as plain text"
    except RecursionError:
        message = "nested too deeply to analyse; scanned as plain text"
    except Exception as error:  # any input must give a result, never a crash
        message = f"could not analyse the tree ({type(error).__name__}); scanned as plain text"
    notification = Notification(path, "parse-error", message)
    return scan_text(path, text, patterns, notifications=(notification,))


def _scan(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    lines = LineIndex(text)
    ids = list(find_model_ids(text))
    evidence = list(pattern_evidence(path, text, patterns, lines))
    if ids or _needs_tree(text, patterns):
        shift = 1 if text.startswith("\ufeff") else 0
        source = text[shift:]
        module = _parse(source)
        collector = _Collector(patterns, partials=bool(_PARTIAL_HINT.search(source)))
        collector.walk(module)
        names = Names()
        names.run(collector.events)
        tree = _TreeEvidence(path, patterns, module, collector, names)
        evidence.extend(tree.build(ids, source, shift, lines))
    evidence.sort(key=lambda e: (e.span, e.kind, e.value))
    return FileResult(path, tuple(evidence))


def _needs_tree(text: str, patterns: ScanPatterns) -> bool:
    """Can the tree add anything to a text that holds no model ID? Cheap substring tests."""
    if _FINE_TUNED_MODEL in text or _PARTIAL_HINT.search(text):
        return True
    if any(value in text for value in patterns.model_args):
        return True
    return patterns.call_regex is not None and any(
        all(word in text for word in words) for words in _call_words(patterns.calls)
    )


@functools.lru_cache(maxsize=16)
def _call_words(calls: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The words each call glob needs in a file's text (`openai.` may be guessed)."""
    result = []
    for glob in calls:
        if "[" in glob:
            return ((),)  # a character class: no word is certain
        words = [word for word in re.split(r"[.*?]+", glob) if word]
        result.append(tuple(words[1:] if words[:1] == ["openai"] else words))
    return tuple(result)


# --- parsing ---------------------------------------------------------------------------


def _parse(source: str) -> cst.Module:
    """Parse with libcst on a thread with a large stack, so deep code fails, not crashes."""
    depth = _bracket_depth(source)
    if depth > _MAX_BRACKET_DEPTH:
        raise _Unparsable(f"not parsed as Python: brackets nested {depth} deep")
    outcome: list[cst.Module | Exception] = []
    thread = threading.Thread(target=_parse_into, args=(source, outcome), daemon=True)
    with _STACK_LOCK:
        previous = threading.stack_size(_PARSER_STACK)
        try:
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    result = outcome[0] if outcome else _Unparsable("not parsed as Python: the parser stopped")
    if isinstance(result, cst.ParserSyntaxError):
        raise _Unparsable(_syntax_message(result, source))
    if isinstance(result, Exception):
        raise result
    return result


def _parse_into(source: str, outcome: list[cst.Module | Exception]) -> None:
    try:
        outcome.append(cst.parse_module(source))
    except Exception as error:  # handed back to the calling thread
        outcome.append(error)


def _bracket_depth(source: str) -> int:
    """How deep brackets nest, strings and comments included (an upper bound is enough)."""
    if sum(source.count(bracket) for bracket in "([{") <= _MAX_BRACKET_DEPTH:
        return 0
    return max(accumulate(map(_BRACKET_STEP.__getitem__, _NOT_BRACKET.sub("", source))))


def _syntax_message(error: cst.ParserSyntaxError, source: str) -> str:
    detail = error.message.partition("\n")[0]
    found = _ERROR_AT.search(detail)
    if found:
        return f"not valid Python 3 (syntax error at line {found[1]})"
    detail = detail.removeprefix("tokenizer error: ")
    nul = source.find("\0")
    if nul >= 0 and "\\0" in detail:
        detail = f"a NUL character at line {source.count(chr(10), 0, nul) + 1}"
    return f"not valid Python 3 ({detail})"


# --- walking the tree ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    """Where a literal sits: the argument of a call, a dict value, an assignment."""

    site: CallSite | None = None
    keyword: str | None = None  # the keyword argument or dict key that carries it
    target: str | None = None  # `MODEL` in `MODEL = "ft:..."`
    role: str | None = None  # "docstring" or "dict-key"


_NODE_TYPES: dict[type, bool] = {}


@functools.cache
def _child_fields(node_type: type[cst.CSTNode]) -> tuple[str, ...]:
    return tuple(
        field.name
        for field in dataclasses.fields(node_type)
        if field.name not in _SKIP_FIELDS and "whitespace" not in field.name
    )


class _Collector:
    """One pass over the tree: name events, calls, literals and the context of each."""

    def __init__(self, patterns: ScanPatterns, partials: bool) -> None:
        self.patterns = patterns
        self.events: list[Event] = []
        self.calls: list[CallSite] = []
        self.strings: list[cst.BaseExpression] = []  # literals whose text has an ID marker
        self.contexts: dict[int, _Context] = {}
        self.partials: list[tuple[cst.BaseExpression, ModelId]] = []
        self.joined: list[tuple[cst.ConcatenatedString, ModelId]] = []  # `"ft:a:b" ":c:d"`
        self.refs: list[tuple[cst.BaseExpression, _Context]] = []
        self.model_args: list[tuple[cst.BaseExpression, str, _Context]] = []
        self._find_partials = partials
        self._awaited: set[int] = set()
        self._inner: set[int] = set()  # ConcatenatedStrings inside another one
        self._globals: dict[int, set[str]] = {}
        self._scope_count = 0
        handlers = {
            cst.FunctionDef: self._function,
            cst.Lambda: self._lambda,
            cst.ClassDef: self._class,
            cst.Global: self._global,
            cst.Assign: self._assign,
            cst.AnnAssign: self._ann_assign,
            cst.NamedExpr: self._named_expr,
            cst.With: self._with,
            cst.Await: self._await,
            cst.Call: self._call,
            cst.Dict: self._dict,
            cst.BinaryOperation: self._binary,
            cst.SimpleString: self._simple_string,
            cst.FormattedString: self._formatted_string,
            cst.ConcatenatedString: self._concatenated_string,
            cst.Expr: self._expr,
        }
        for name in ("Import", "ImportFrom", "LazyImport", "LazyImportFrom"):
            if hasattr(cst, name):
                handlers[getattr(cst, name)] = self._import
        self._handlers = handlers

    def walk(self, module: cst.Module) -> None:
        """Visit every node in source order (iteratively: deep trees are fine)."""
        stack: list[tuple[cst.CSTNode, Scope]] = [(module, MODULE_SCOPE)]
        handlers = self._handlers
        is_node = _NODE_TYPES  # `isinstance(x, CSTNode)` is an ABC check: slow
        while stack:
            node, scope = stack.pop()
            node_type = type(node)
            handler = handlers.get(node_type)
            inner = (handler(node, scope) or scope) if handler is not None else scope
            children: list[cst.CSTNode] = []
            for name in _child_fields(node_type):
                value = getattr(node, name)
                value_type = type(value)
                if value_type is tuple or value_type is list:
                    children.extend(value)  # sequences in a libcst tree hold nodes only
                elif is_node.get(value_type) or is_node.setdefault(
                    value_type, issubclass(value_type, cst.CSTNode)
                ):
                    children.append(value)
            stack.extend((child, inner) for child in reversed(children))

    # Names and scopes.

    def _import(self, node: cst.CSTNode, scope: Scope) -> None:
        self.events.extend(import_bindings(node, scope))

    def _function(self, node: cst.FunctionDef | cst.Lambda, scope: Scope) -> Scope:
        self._scope_count += 1
        inner = Scope((*scope.chain, self._scope_count), scope.cls)
        params = node.params
        for param in (
            *params.posonly_params,
            *params.params,
            *params.kwonly_params,
            params.star_arg,
            params.star_kwarg,
        ):
            if not isinstance(param, cst.Param) or param.name.value in ("self", "cls"):
                continue
            annotation = param.annotation.annotation if param.annotation else None
            self.events.append(
                Binding(inner, param.name.value, value=param.default, annotation=annotation)
            )
            if param.default is not None:
                self._context(param.default, _Context(keyword=param.name.value))
        return inner

    _lambda = _function

    def _class(self, node: cst.ClassDef, scope: Scope) -> Scope:
        return Scope(scope.chain, node.name.value, class_body=True)

    def _global(self, node: cst.Global, scope: Scope) -> None:
        self._globals.setdefault(scope.id, set()).update(item.name.value for item in node.names)

    def _assign(self, node: cst.Assign, scope: Scope) -> None:
        for target in node.targets:
            self._bind(target.target, node.value, None, scope)
        self._context(node.value, _Context(target=dotted_name(node.targets[0].target)))

    def _ann_assign(self, node: cst.AnnAssign, scope: Scope) -> None:
        self._bind(node.target, node.value, node.annotation.annotation, scope)
        if node.value is not None:
            self._context(node.value, _Context(target=dotted_name(node.target)))

    def _named_expr(self, node: cst.NamedExpr, scope: Scope) -> None:
        self._bind(node.target, node.value, None, scope)

    def _with(self, node: cst.With, scope: Scope) -> None:
        for item in node.items:
            if item.asname is not None:
                self._bind(item.asname.name, item.item, None, scope)

    def _bind(
        self,
        target: cst.BaseExpression,
        value: cst.BaseExpression | None,
        annotation: cst.BaseExpression | None,
        scope: Scope,
    ) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            if scope.class_body and scope.cls:
                for key in (f"{scope.cls}.{name}", f"self.{name}"):
                    self.events.append(Binding(scope, key, True, value, annotation))
                return
            owner = MODULE_SCOPE if name in self._globals.get(scope.id, ()) else scope
            self.events.append(Binding(owner, name, False, value, annotation))
        elif isinstance(target, cst.Attribute):
            dotted = dotted_name(target)
            if dotted is None:
                return
            head, _, rest = dotted.partition(".")
            keys = [dotted] if head not in ("self", "cls") else [f"self.{rest}"]
            if head in ("self", "cls") and scope.cls:
                keys.append(f"{scope.cls}.{rest}")
            for key in keys:
                self.events.append(Binding(scope, key, True, value, annotation))
        elif isinstance(target, (cst.Tuple, cst.List)):
            values = value.elements if isinstance(value, (cst.Tuple, cst.List)) else ()
            paired = len(values) == len(target.elements)
            for index, element in enumerate(target.elements):
                self._bind(element.value, values[index].value if paired else None, None, scope)

    # Calls and the literals passed to them.

    def _await(self, node: cst.Await, scope: Scope) -> None:
        self._awaited.add(id(node.expression))

    def _call(self, node: cst.Call, scope: Scope) -> None:
        site = CallSite(node, scope, awaited=id(node) in self._awaited)
        self.events.append(site)
        self.calls.append(site)
        positional = 0
        for arg in node.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            positional += keyword is None
            context = _Context(site=site, keyword=keyword)
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

    def _dict(self, node: cst.Dict, scope: Scope) -> None:
        outer = self.contexts.get(id(node), _Context())
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                continue
            self._context(element.key, _Context(role="dict-key"))
            key = literal_string(element.key)
            context = _Context(site=outer.site, keyword=key, target=outer.target)
            self._context(element.value, context)
            if key in self.patterns.model_keywords:
                self._model_value(element.value, context)

    def _model_value(self, expr: cst.BaseExpression, context: _Context) -> None:
        if isinstance(expr, cst.Attribute) and expr.attr.value == _FINE_TUNED_MODEL:
            self.refs.append((expr, context))
        else:
            self._model_arg(expr, context)

    def _model_arg(self, expr: cst.BaseExpression, context: _Context) -> None:
        if self.patterns.model_args and isinstance(
            expr, (cst.SimpleString, cst.ConcatenatedString)
        ):
            value = literal_string(expr)
            if value in self.patterns.model_args:
                self.model_args.append((expr, value, context))

    def _context(self, expr: cst.BaseExpression, context: _Context) -> None:
        """Give `expr`, and the literals it is made of, this context."""
        pending = [expr]
        while pending:
            node = pending.pop()
            self.contexts[id(node)] = context
            if isinstance(node, (cst.ConcatenatedString, cst.BooleanOperation)):
                pending += (node.left, node.right)
            elif isinstance(node, cst.IfExp):
                pending += (node.body, node.orelse)
            elif isinstance(node, _CONTAINERS):
                pending.extend(element.value for element in node.elements)

    def _expr(self, node: cst.Expr, scope: Scope) -> None:
        if isinstance(node.value, _STRINGS):
            self._context(node.value, _Context(role="docstring"))

    # Literals and IDs built at run time.

    def _simple_string(self, node: cst.SimpleString, scope: Scope) -> None:
        if has_marker(node.value):
            self.strings.append(node)

    def _formatted_string(self, node: cst.FormattedString, scope: Scope) -> None:
        if any(isinstance(p, cst.FormattedStringText) and has_marker(p.value) for p in node.parts):
            self.strings.append(node)
        if self._find_partials:
            self._partial(node, node)

    def _concatenated_string(self, node: cst.ConcatenatedString, scope: Scope) -> None:
        if id(node) in self._inner:
            return
        self._inner.update(id(part) for part in (node.left, node.right))
        if self._find_partials:
            self._partial(node, node)
        value = literal_string(node)
        if value is None or not has_marker(value):
            return
        parts = [literal_string(part) or "" for part in _string_parts(node)]
        for match in find_model_ids(value):
            if not any(match.model.raw in part for part in parts):
                self.joined.append((node, match.model))

    def _binary(self, node: cst.BinaryOperation, scope: Scope) -> None:
        if not self._find_partials:
            return
        if isinstance(node.operator, cst.Add):
            leaf = node.left
            while isinstance(leaf, cst.BinaryOperation) and isinstance(leaf.operator, cst.Add):
                leaf = leaf.left
            self._partial(node, leaf)
        elif isinstance(node.operator, cst.Modulo):
            self._partial(node, node.left, "%")

    def _partial(
        self, node: cst.BaseExpression, head_of: cst.BaseExpression, stop: str = ""
    ) -> None:
        """Note `node` when `head_of` is a literal whose head is `ft:<base>:` + run-time parts."""
        head = _string_head(head_of)
        if head is None or (head[1] and node is head_of):
            return  # not a literal, or a complete literal (the raw text shows it)
        text = head[0].partition(stop)[0] if stop else head[0]
        model = parse_partial(text)
        if model is not None:
            self.partials.append((node, model))


def _string_head(expr: cst.BaseExpression) -> tuple[str, bool] | None:
    """A literal's text up to its first f-string expression, and whether it got to the end."""
    if isinstance(expr, cst.SimpleString):
        value = literal_string(expr)
        return (value, True) if value is not None else None
    if isinstance(expr, cst.FormattedString):
        texts = []
        for part in expr.parts:
            if not isinstance(part, cst.FormattedStringText):
                return "".join(texts), False
            texts.append(part.value)
        return "".join(texts), True
    if isinstance(expr, cst.ConcatenatedString):
        left = _string_head(expr.left)
        if left is None or not left[1]:
            return left
        right = _string_head(expr.right)
        return (left[0] + right[0], right[1]) if right is not None else None
    return None


def _string_parts(node: cst.ConcatenatedString) -> list[cst.BaseExpression]:
    parts: list[cst.BaseExpression] = []
    pending: list[cst.BaseExpression] = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, cst.ConcatenatedString):
            pending += (item.right, item.left)
        else:
            parts.append(item)
    return parts


# --- positions -------------------------------------------------------------------------

Offsets = dict[int, tuple[int, int]]  # id(node) -> (start, end) in the parsed source


class _Recorder:
    """Notes where one node's code starts and ends while it is generated."""

    __slots__ = ("key", "start", "state")

    def __init__(self, state: _OffsetState, key: int) -> None:
        self.state, self.key, self.start = state, key, 0

    def __enter__(self) -> None:
        self.start = self.state.offset

    def __exit__(self, *exc: object) -> None:
        self.state.found[self.key] = (self.start, self.state.offset)


if CodegenState is not None:

    class _OffsetState(CodegenState):
        """libcst's code generator, counting characters and noting the target nodes."""

        def __init__(self, module: cst.Module, targets: set[int]) -> None:
            super().__init__(
                default_indent=module.default_indent, default_newline=module.default_newline
            )
            self.offset = 0
            self.targets = targets
            self.found: Offsets = {}

        def add_token(self, value: str) -> None:
            self.tokens.append(value)
            self.offset += len(value)

        def add_indent_tokens(self) -> None:
            self.tokens.extend(self.indent_tokens)
            self.offset += sum(map(len, self.indent_tokens))

        def pop_trailing_newline(self) -> None:
            if self.tokens:
                self.offset -= len(self.tokens.pop())

        def record_syntactic_position(
            self,
            node: cst.CSTNode,
            *,
            start_node: cst.CSTNode | None = None,
            end_node: cst.CSTNode | None = None,
        ) -> AbstractContextManager[None]:
            key = id(node)
            return _Recorder(self, key) if key in self.targets else nullcontext()


def _node_offsets(module: cst.Module, nodes: list[cst.CSTNode], source: str) -> Offsets:
    """Start and end offsets (syntactic: no parentheses) of `nodes` in `source`."""
    if not nodes:
        return {}
    targets = {id(node) for node in nodes}
    if CodegenState is None:  # pragma: no cover
        return _metadata_offsets(module, targets, source)
    state = _OffsetState(module, targets)
    module._codegen(state)
    if not source.startswith("".join(state.tokens)):
        raise _Unparsable("not analysed: the parsed tree does not reproduce the file")
    return state.found


def _metadata_offsets(
    module: cst.Module, targets: set[int], source: str
) -> Offsets:  # pragma: no cover
    from libcst.metadata import MetadataWrapper, PositionProvider

    starts = LineIndex(source).starts
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return {
        id(node): (starts[r.start.line - 1] + r.start.column, starts[r.end.line - 1] + r.end.column)
        for node, r in positions.items()
        if id(node) in targets
    }


# --- evidence --------------------------------------------------------------------------


class _TreeEvidence:
    """Turns what the collector saw, resolved by `Names`, into evidence."""

    def __init__(
        self,
        path: str,
        patterns: ScanPatterns,
        module: cst.Module,
        collector: _Collector,
        names: Names,
    ) -> None:
        self.path = path
        self.patterns = patterns
        self.module = module
        self.collector = collector
        self.names = names

    def build(
        self, ids: list[IdMatch], source: str, shift: int, lines: LineIndex
    ) -> list[Evidence]:
        c = self.collector
        calls = [(site, found) for site in c.calls if (found := self._match_call(site))]
        nodes: list[cst.CSTNode] = [site.func for site, _found in calls]
        nodes += [expr for expr, _context in c.refs]
        nodes += [expr for expr, _value, _context in c.model_args]
        nodes += [expr for expr, _model in (*c.partials, *c.joined)]
        if ids:
            nodes += c.strings
        offsets = _node_offsets(self.module, nodes, source)

        def span(node: cst.CSTNode) -> Span:
            start, end = offsets[id(node)]
            return lines.span(start + shift, end + shift)

        evidence = [self._api_call(site, found, span(site.func)) for site, found in calls]
        for expr, context in c.refs:
            text = " ".join(self.module.code_for_node(expr).split())
            evidence.append(self._use(EvidenceKind.MODEL_REF, span(expr), text, context))
        for expr, value, context in c.model_args:
            evidence.append(self._use(EvidenceKind.MODEL_ARG, span(expr), value, context))
        built = _outermost([(span(expr), model, expr) for expr, model in (*c.partials, *c.joined)])
        for where, model, expr in built:
            found = self._model_id(where, model, self.collector.contexts.get(id(expr)))
            evidence.extend(found)
        strings = sorted(
            ((offsets[id(node)], node) for node in c.strings if id(node) in offsets),
            key=lambda item: item[0],
        )
        for match in ids:
            where = lines.span(match.start, match.end)
            if any(_inside(where, outer) for outer, _model, _expr in built):
                continue
            node = _innermost(strings, match.start - shift, match.end - shift)
            if node is None:
                evidence.extend(self._model_id(where, match.model, None, comment=True))
            else:
                evidence.extend(self._model_id(where, match.model, c.contexts.get(id(node))))
        return evidence

    def _match_call(self, site: CallSite) -> tuple[str, Confidence, Props] | None:
        """The qualified name a call matches, its confidence and props, or None."""
        regex = self.patterns.call_regex
        if regex is None:
            return None
        value = site.value
        if value is not None and regex.fullmatch(value.qname):
            other = value.other_provider or (
                value.client is None and value.root == "openai" and self.names.module_other_provider
            )
            props = _client_props(value, site, other)
            return value.qname, ("low" if other else "high"), props
        if site.guess is not None and regex.fullmatch(site.guess):
            props = (*_client_props(None, site, False), ("resolved", "guess"))
            return site.guess, "medium", props
        return None

    def _api_call(
        self, site: CallSite, found: tuple[str, Confidence, Props], where: Span
    ) -> Evidence:
        qname, confidence, props = found
        args = tuple(
            (f"arg:{arg.keyword.value}", value)
            for arg in site.node.args
            if arg.keyword is not None and (value := literal_string(arg.value)) is not None
        )
        return Evidence(
            kind=EvidenceKind.API_CALL,
            path=self.path,
            span=where,
            value=qname,
            call=qname,
            confidence=confidence,
            props=props + args,
        )

    def _use(self, kind: str, where: Span, value: str, context: _Context) -> Evidence:
        return Evidence(
            kind=kind,
            path=self.path,
            span=where,
            value=value,
            call=self._call_name(context.site),
            keyword=context.keyword,
            props=(("target", context.target),) if context.target else (),
        )

    def _model_id(
        self, where: Span, model: ModelId, context: _Context | None, comment: bool = False
    ) -> list[Evidence]:
        """A MODEL_ID evidence, or none for a dict key (a price or catalog table's row)."""
        context = context or _Context()
        if context.role == "dict-key":
            return []
        where_found = "comment" if comment else context.role  # None or "docstring"
        props: Props = (("context", where_found),) if where_found else ()
        if context.target:
            props += (("target", context.target),)
        confidence: Confidence = "high"
        if model.placeholder or where_found:
            confidence = "low"
        elif model.flavor == "partial":
            confidence = "medium"
        return [
            Evidence(
                kind=EvidenceKind.MODEL_ID,
                path=self.path,
                span=where,
                value=model.raw,
                model=model,
                call=self._call_name(context.site),
                keyword=context.keyword,
                confidence=confidence,
                props=props,
            )
        ]

    def _call_name(self, site: CallSite | None) -> str | None:
        """The call's qualified name when resolved, else its callee as written."""
        if site is None:
            return None
        if site.value is not None:
            return site.value.qname
        written = dotted_name(site.func)
        return written or "".join(self.module.code_for_node(site.func).split())


def _client_props(value: Value | None, site: CallSite, other: bool) -> Props:
    props: Props = ()
    if value is not None and value.client:
        props += (("client", value.client),)
    if site.awaited or (value is not None and value.is_async):
        props += (("async", "true"),)
    if other:
        props += (("provider", "other"),)
    return props


def _inside(inner: Span, outer: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and (
        inner.end_line,
        inner.end_column,
    ) <= (outer.end_line, outer.end_column)


def _outermost(
    found: list[tuple[Span, ModelId, cst.BaseExpression]],
) -> list[tuple[Span, ModelId, cst.BaseExpression]]:
    """Drop IDs built inside another one (`"ft:a:" + b` inside `"ft:a:" + b + c`)."""
    kept: list[tuple[Span, ModelId, cst.BaseExpression]] = []
    by_extent = sorted(
        found, key=lambda i: (i[0].line, i[0].column, -i[0].end_line, -i[0].end_column)
    )
    for item in by_extent:
        if not any(_inside(item[0], outer[0]) for outer in kept):
            kept.append(item)
    return kept


def _innermost(
    strings: list[tuple[tuple[int, int], cst.CSTNode]], start: int, end: int
) -> cst.CSTNode | None:
    """The innermost literal (by offsets in the parsed source) that holds `start:end`."""
    index = bisect.bisect_right(strings, start, key=lambda item: item[0][0])
    for (node_start, node_end), node in reversed(strings[:index]):
        if node_start <= start and end <= node_end:
            return node
    return None
