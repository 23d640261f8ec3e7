"""Python scanner: fine-tuning API calls, model IDs and how they are used, from a libcst tree.

`scan_python` reports facts only. Model IDs are found by the shared grammar on the raw text
(so comments count too) and the tree gives them context: the call and keyword they are
passed to, the name they are assigned to, or a dict key that only names a price-table row.
Calls are resolved to qualified names by `python_names` and reported when they match the
patterns' call globs. When configuration sets variables to model IDs (`patterns.env_vars`),
code that reads one of them is reported too: `os.environ`, `os.getenv`, `dotenv_values`
and the fields of pydantic settings classes. A file libcst cannot parse is scanned as plain
text, with a notification.

Speed: a file in which the tree could add nothing is not parsed, the tree is walked by hand
rather than by libcst's visitors, and only the nodes being reported are given positions.
Parsing, safely, and positions are `python_tree`'s job.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import libcst as cst

from ftscan.model_ids import IdMatch, find_model_ids, has_marker, parse_partial
from ftscan.positions import LineIndex
from ftscan.scan.python_names import (
    ENV_CALLS,
    ENV_MAPPINGS,
    GUESS_ROOTS,
    MODULE_SCOPE,
    UPLOAD_ROOTS,
    Binder,
    CallSite,
    Names,
    Ref,
    Scope,
    Value,
    dotted_name,
    env_reader,
    literal_string,
    parameters,
    settings_classes,
    settings_fields,
    string_parts,
)
from ftscan.scan.python_tree import Offsets, Unparsable, node_offsets, parse
from ftscan.scan.text import is_comment_at, pattern_evidence, scan_text
from ftscan.types import (
    Confidence,
    Evidence,
    EvidenceKind,
    FileResult,
    ModelId,
    Notification,
    Props,
    ScanPatterns,
)

_PARTIAL_HINT = re.compile(r"ft:[a-z0-9][a-z0-9.\-]*[a-z0-9]:")
# `a.b.c(` outside any parse, blanks around the dots allowed, not inside a longer name.
_DOTTED_CALL = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)+)[ \t]*\(")
_FINE_TUNED_MODEL = "fine_tuned_model"
_GLOB_META = re.compile(r"[*?\[]")
# What `python_names` guesses an `openai` call from: a guess root and the attribute after it.
_GUESS_NAMES = tuple(sorted(GUESS_ROOTS | UPLOAD_ROOTS))
# After a guess root: a dot, here or first on the next line (inside brackets), or a line
# continuation or a comment after which the chain may go on. No repeated group, so the
# search stays linear whatever the file holds.
_TO_DOT = r"[ \t]*(?:[.\\#]|(?:\r\n|\r|\n)[ \t]*[.#])"
_SETTINGS_HINT = "BaseSettings"
_STRINGS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
_CONTAINERS = frozenset({cst.List, cst.Tuple, cst.Set})
# Nodes whose context is looked up: literals, IDs built at run time, dicts of keywords.
_HOLDERS = frozenset({*_STRINGS, cst.BinaryOperation, cst.Call, cst.Dict}) | {
    getattr(cst, name) for name in ("TemplatedString",) if hasattr(cst, name)
}


def scan_python(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    """Evidence of fine-tuning dependencies in one Python source file."""
    try:
        return _scan(path, text, patterns)
    except Unparsable as error:
        message = f"{error}; scanned as plain text"
    except RecursionError:
        message = "nested too deeply to analyse; scanned as plain text"
    except Exception as error:  # any input must give a result, never a crash
        message = f"could not analyse the tree ({type(error).__name__}); scanned as plain text"
    return scan_as_text(path, text, patterns, (Notification(path, "parse-error", message),))


def scan_as_text(
    path: str, text: str, patterns: ScanPatterns, notifications: tuple[Notification, ...] = ()
) -> FileResult:
    """What can be seen in Python code without a tree: the text finders and `text_calls`."""
    result = scan_text(path, text, patterns, notifications)
    calls = tuple(text_calls(path, text, patterns))
    return replace(result, evidence=(*result.evidence, *calls)) if calls else result


def text_calls(path: str, text: str, patterns: ScanPatterns) -> Iterator[Evidence]:
    """Fine-tuning calls seen in the text of a file that does not parse (Python 2, a syntax
    error): `openai.<chain>(` and `<anything>.<guess root>.<chain>(`, named as the tree would
    guess them, at medium confidence (low on a comment line)."""
    if patterns.call_regex is None or not _could_call(text, patterns.calls):
        return
    lines = LineIndex(text)
    for match in _DOTTED_CALL.finditer(text):
        names = [name.strip() for name in match[1].split(".")]
        if names[0] == "openai":
            qname = ".".join(names)
        else:
            start = next((i for i, name in enumerate(names) if name in GUESS_ROOTS), None)
            if start is None or len(names) - start < 2:
                continue
            qname = "openai." + ".".join(names[start:])
        if not patterns.call_regex.fullmatch(qname):
            continue
        span = lines.span(match.start(1), match.end(1))
        commented = is_comment_at(text, lines.starts[span.line - 1], match.start())
        yield Evidence(
            kind=EvidenceKind.API_CALL,
            path=path,
            span=span,
            value=qname,
            call=qname,
            confidence="low" if commented else "medium",
            props=(("resolved", "text"), *((("context", "comment"),) if commented else ())),
        )


def _scan(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    lines = LineIndex(text)
    ids = list(find_model_ids(text))
    evidence = list(pattern_evidence(path, text, patterns, lines))
    if ids or _needs_tree(text, patterns):
        shift = 1 if text.startswith("\ufeff") else 0  # libcst drops a byte-order mark
        source = text[shift:]
        module = parse(source)
        collector = _Collector(patterns, partials=_PARTIAL_HINT.search(source) is not None)
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
    if patterns.env_vars and (_SETTINGS_HINT in text or any(name in text for name in patterns.env_vars)):
        return True
    return patterns.call_regex is not None and _could_call(text, patterns.calls)


def _could_call(text: str, calls: tuple[str, ...]) -> bool:
    """Could some call glob resolve in this text? Its names must all be there, whole
    (`fine_tuning_cloud_setting` holds no `fine_tuning`), and so must its root (`openai`,
    `litellm`) unless the call can be guessed: a guess root (`client.fine_tuning.`) then a
    dot. A root with a wildcard (a user's `*.fine_tuning.create`) needs no word.
    """
    seen: dict[str, bool] = {}  # the globs share most of their words

    def has(word: str) -> bool:
        if word not in seen:
            seen[word] = _has_word(text, word)
        return seen[word]

    for root, words in _call_words(calls):
        if all(has(word) for word in words) and (
            _GLOB_META.search(root) or has(root) or (root == "openai" and _guessable(text))
        ):
            return True
    return False


def _guessable(text: str) -> bool:
    """A name `python_names` guesses an `openai` call from, then a dot (`client.fine_tuning.`),
    maybe on the next line or after a continuation or a comment."""
    return any(
        not _continues_name(text, match.start())
        for name in _GUESS_NAMES
        if name in text
        for match in _followed(name, _TO_DOT).finditer(text)
    )


def _has_word(text: str, word: str) -> bool:
    """`word` in `text`, not as part of a longer name."""
    return word in text and any(
        not _continues_name(text, match.start()) for match in _followed(word, r"(?!\w)").finditer(text)
    )


def _continues_name(text: str, at: int) -> bool:
    """Does the character before `at` belong to a name? (A regex look-behind in front
    would stop `re` from skipping ahead to the literal: it checks every position.)"""
    return at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")


@functools.lru_cache(maxsize=256)
def _followed(word: str, tail: str) -> re.Pattern[str]:
    """`word`, then `tail`: the literal leads, so `re` can skip ahead to it."""
    return re.compile(re.escape(word) + tail)


@functools.lru_cache(maxsize=16)
def _call_words(calls: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each call glob's root and the names it needs in a file's text.

    A segment with a wildcard (`*Engine`, `[!c]*`) needs only its literal runs, as parts of
    some name: they are not required whole.
    """
    result = []
    for glob in calls:
        root, *segments = glob.split(".")
        result.append((root, tuple(seg for seg in segments if seg and not _GLOB_META.search(seg))))
    return tuple(result)


# --- walking the tree ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    """Where a literal sits: the argument of a call, a dict value, an assignment."""

    site: CallSite | None = None
    keyword: str | None = None  # the keyword argument or dict key that carries it
    target: str | None = None  # `MODEL` in `MODEL = "ft:..."`
    role: str | None = None  # "docstring" or "dict-key"


class _Collector(Binder):
    """One pass over the tree: name events and calls, literals and the context of each."""

    def __init__(self, patterns: ScanPatterns, partials: bool) -> None:
        super().__init__()
        self.patterns = patterns
        self.strings: list[cst.BaseExpression] = []  # literals whose text has an ID marker
        self.contexts: dict[int, _Context] = {}
        self.partials: list[tuple[cst.BaseExpression, ModelId]] = []  # `f"ft:gpt-4o:{org}"`
        self.joined: list[tuple[cst.ConcatenatedString, ModelId]] = []  # `"ft:a:b" ":c:d"`
        self.refs: list[tuple[cst.BaseExpression, _Context]] = []  # `job.fine_tuned_model`
        self.model_args: list[tuple[cst.BaseExpression, str, _Context]] = []
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
                self._context(param.default, _Context(keyword=param.name.value))
        return super().visit_FunctionDef(node, scope)

    visit_Lambda = visit_FunctionDef

    def visit_Assign(self, node: cst.Assign, scope: Scope) -> None:
        super().visit_Assign(node, scope)
        self._context(node.value, _Context(target=dotted_name(node.targets[0].target)))
        if self._env:
            for target in node.targets:
                self._store(target.target)
            if len(node.targets) == 1:
                self._constant(node.targets[0].target, node.value, scope)

    def visit_AnnAssign(self, node: cst.AnnAssign, scope: Scope) -> None:
        super().visit_AnnAssign(node, scope)
        if node.value is not None:
            self._context(node.value, _Context(target=dotted_name(node.target)))
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

    def visit_Expr(self, node: cst.Expr, scope: Scope) -> None:
        if isinstance(node.value, _STRINGS):
            self._context(node.value, _Context(role="docstring"))

    def visit_Call(self, node: cst.Call, scope: Scope) -> None:
        site = self.add_call(node, scope)
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
        if self._env:
            self._env_call(site, node)

    def visit_Dict(self, node: cst.Dict, scope: Scope) -> None:
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

    def _context(self, expr: cst.BaseExpression, context: _Context) -> None:
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

    def _model_value(self, expr: cst.BaseExpression, context: _Context) -> None:
        if isinstance(expr, cst.Attribute) and expr.attr.value == _FINE_TUNED_MODEL:
            self.refs.append((expr, context))
        else:
            self._model_arg(expr, context)

    def _model_arg(self, expr: cst.BaseExpression, context: _Context) -> None:
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


# --- evidence --------------------------------------------------------------------------


class _TreeEvidence:
    """Turns what the collector saw, its calls resolved, into evidence."""

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

    def build(self, ids: list[IdMatch], source: str, shift: int, lines: LineIndex) -> list[Evidence]:
        """Every piece of evidence the tree gives, model IDs from the raw text included."""
        c = self.collector
        calls = [(site, found) for site in c.calls if (found := self._match_call(site))]
        built = [*c.partials, *c.joined]
        nodes: list[cst.CSTNode] = [site.func for site, _found in calls]
        nodes += [expr for expr, _context in c.refs]
        nodes += [expr for expr, _value, _context in c.model_args]
        nodes += [expr for expr, _model in built]
        nodes += c.strings if ids else []
        reads = self._env_reads() if self.patterns.env_vars else []
        nodes += [node for node, _name, _fields in reads]
        self._offsets = node_offsets(self.module, nodes, source)
        self._lines, self._shift = lines, shift
        outer = _outermost([(self._offsets[id(expr)], model, expr) for expr, model in built])
        return [
            *(self._api_call(site, *found) for site, found in calls),
            *self._uses(),
            *self._built_ids(outer),
            *self._raw_ids(ids, outer),
            *(self._evidence(EvidenceKind.ENV_READ, node, name, **fields) for node, name, fields in reads),
        ]

    def _evidence(self, kind: str, at: cst.CSTNode | Offsets, value: str, **fields: Any) -> Evidence:
        start, end = self._offsets[id(at)] if isinstance(at, cst.CSTNode) else at
        span = self._lines.span(start + self._shift, end + self._shift)
        return Evidence(kind=kind, path=self.path, span=span, value=value, **fields)

    def _api_call(self, site: CallSite, qname: str, confidence: Confidence, props: Props) -> Evidence:
        props += _literal_keywords(site.node)
        return self._evidence(
            EvidenceKind.API_CALL, site.func, qname, call=qname, confidence=confidence, props=props
        )

    def _uses(self) -> Iterator[Evidence]:
        """`model=job.fine_tuned_model`, and the model names a rule asks about."""
        for expr, context in self.collector.refs:
            text = " ".join(self.module.code_for_node(expr).split())
            yield self._evidence(EvidenceKind.MODEL_REF, expr, text, **self._use(context))
        for expr, value, context in self.collector.model_args:
            yield self._evidence(EvidenceKind.MODEL_ARG, expr, value, **self._use(context))

    def _built_ids(self, outer: list[tuple[Offsets, ModelId, cst.BaseExpression]]) -> Iterator[Evidence]:
        """IDs built at run time, or split over adjacent literals: the tree's view."""
        for at, model, expr in outer:
            fields = self._model_id(model, self.collector.contexts.get(id(expr), _Context()))
            if fields is not None:
                yield self._evidence(EvidenceKind.MODEL_ID, at, model.raw, **fields)

    def _raw_ids(
        self, ids: list[IdMatch], outer: list[tuple[Offsets, ModelId, cst.BaseExpression]]
    ) -> Iterator[Evidence]:
        """IDs in the raw text, with the context of the literal they sit in (else a comment)."""
        c = self.collector
        strings = sorted(
            ((self._offsets[id(node)], node) for node in c.strings if id(node) in self._offsets),
            key=lambda item: item[0],
        )
        for match in ids:
            at = (match.start - self._shift, match.end - self._shift)
            if any(_within(at, built_at) for built_at, _model, _expr in outer):
                continue  # one piece of evidence per place: the tree's view of a built ID
            node = _innermost(strings, at)
            context = c.contexts.get(id(node), _Context()) if node is not None else None
            fields = self._model_id(match.model, context or _Context(role="comment"))
            if fields is not None:
                yield self._evidence(EvidenceKind.MODEL_ID, at, match.model.raw, **fields)

    def _env_reads(self) -> list[tuple[cst.CSTNode, str, dict[str, Any]]]:
        """Reads of `env_vars`: the node to point at, the variable and the evidence's fields."""
        c = self.collector
        found: list[tuple[cst.CSTNode, str, dict[str, Any]]] = []
        reads = [(env_reader(s.value, s.func, ENV_CALLS), key, default) for s, key, default in c.env_calls]
        reads += [(env_reader(r.value, r.expr, ENV_MAPPINGS), key, None) for r, key in c.env_subscripts]
        for reader, key, default in reads:
            name = self._env_name(key)
            if reader is not None and name is not None:
                call, guessed = reader
                literal = literal_string(default) if default is not None else None
                fields = _env_fields(call, None, guessed, literal)
                found.append((key, name, fields))
        if not c.classes:
            return found
        by_lower: dict[str, list[str]] = {}
        for name in sorted(self.patterns.env_vars):
            by_lower.setdefault(name.lower(), []).append(name)
        for node, settings in settings_classes(c.classes):
            for field in settings_fields(node, settings):
                if settings.case_sensitive:
                    names = [name for name in field.env if name in self.patterns.env_vars]
                else:
                    names = [name for env in field.env for name in by_lower.get(env.lower(), ())]
                keyword = field.name.value
                fields = _env_fields(settings.call, keyword, settings.version is None, field.default)
                found += [(field.name, name, fields) for name in dict.fromkeys(names)]
        return found

    def _env_name(self, key: cst.BaseExpression) -> str | None:
        """The variable a literal or a module constant names, when it is one of `env_vars`."""
        value = self.collector.constants.get(key.value) if isinstance(key, cst.Name) else literal_string(key)
        return value if value in self.patterns.env_vars else None

    def _match_call(self, site: CallSite) -> tuple[str, Confidence, Props] | None:
        """The qualified name a call matches, its confidence and props, or None."""
        regex = self.patterns.call_regex
        if regex is None:
            return None
        value = site.value
        if value is not None and regex.fullmatch(value.qname):
            module_client = value.client is None and value.root == "openai"
            other = value.other_provider or (module_client and self.names.module_other_provider)
            props = _client_props(value, site, other)
            return value.qname, ("low" if other else "high"), props
        if site.guess is not None and regex.fullmatch(site.guess):
            return site.guess, "medium", (*_client_props(None, site, False), ("resolved", "guess"))
        return None

    def _use(self, context: _Context) -> dict[str, Any]:
        target = (("target", context.target),) if context.target else ()
        return {"call": self._call_name(context.site), "keyword": context.keyword, "props": target}

    def _model_id(self, model: ModelId, context: _Context) -> dict[str, Any] | None:
        """The fields of a MODEL_ID evidence; None for a partial ID as a dict key (a price table's
        row). A whole ID as a key (a label map) is a dependency, dated by its base."""
        if context.role == "dict-key":
            if model.flavor == "partial":
                return None
            return {
                "model": model,
                "call": None,
                "keyword": None,
                "props": (("context", "dict-key"),),
                "confidence": "low" if model.placeholder else "high",
            }
        props: Props = (("context", context.role),) if context.role else ()
        if context.target:
            props += (("target", context.target),)
        confidence: Confidence = "high"
        if model.placeholder or context.role:  # a comment or a docstring
            confidence = "low"
        elif model.flavor == "partial":
            confidence = "medium"
        return {
            "model": model,
            "call": self._call_name(context.site),
            "keyword": context.keyword,
            "confidence": confidence,
            "props": props,
        }

    def _call_name(self, site: CallSite | None) -> str | None:
        """The call's qualified name when resolved, else its callee as written."""
        if site is None:
            return None
        if site.value is not None:
            return site.value.qname
        return dotted_name(site.func) or "".join(self.module.code_for_node(site.func).split())


def _env_fields(call: str, keyword: str | None, guessed: bool, default: str | None) -> dict[str, Any]:
    return {
        "call": call,
        "keyword": keyword,
        "confidence": "medium" if guessed else "high",
        "props": (("default", default),) if default is not None else (),
    }


def _client_props(value: Value | None, site: CallSite, other: bool) -> Props:
    props: Props = ()
    if value is not None and value.client:
        props += (("client", value.client),)
    if site.awaited or (value is not None and value.is_async):
        props += (("async", "true"),)
    if other:
        props += (("provider", "other"),)
    return props


def _literal_keywords(call: cst.Call) -> Props:
    """`("arg:<keyword>", value)` for each keyword argument given as a string literal."""
    return tuple(
        (f"arg:{arg.keyword.value}", value)
        for arg in call.args
        if arg.keyword is not None and (value := literal_string(arg.value)) is not None
    )


def _within(inner: Offsets, outer: Offsets) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _outermost(
    found: list[tuple[Offsets, ModelId, cst.BaseExpression]],
) -> list[tuple[Offsets, ModelId, cst.BaseExpression]]:
    """Drop IDs built inside another one (`"ft:a:" + b` inside `"ft:a:" + b + c`)."""
    kept: list[tuple[Offsets, ModelId, cst.BaseExpression]] = []
    for item in sorted(found, key=lambda item: (item[0][0], -item[0][1])):
        if not any(_within(item[0], outer[0]) for outer in kept):
            kept.append(item)
    return kept


def _innermost(strings: list[tuple[Offsets, cst.CSTNode]], where: Offsets) -> cst.CSTNode | None:
    """The innermost literal that holds `where` (`strings` sorted by start)."""
    index = bisect.bisect_right(strings, where[0], key=lambda item: item[0][0])
    for at, node in itertools.islice(reversed(strings), len(strings) - index, None):
        if _within(where, at):
            return node
    return None
