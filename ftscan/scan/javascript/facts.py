"""Evidence from a parsed JavaScript or TypeScript file: SDK calls, model flow, env reads.

Model IDs come from the shared grammar on the raw text (comments count too); the tree only
gives each its context: the call and key it is passed as, the name it is assigned to, or a
key of an object (a price table's row, not a dependency). Calls are resolved by `names`; a
call whose receiver cannot be followed is guessed from its chain, as in Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from ftscan.frozen import Frozen, replace
from ftscan.scan.javascript.grammar import Node, Offsets
from ftscan.scan.javascript.names import (
    FIELDS,
    PARAMETERS,
    TRANSPARENT,
    Names,
    string_value,
    text,
    unwrap,
)
from ftscan.scan.javascript.sdk import (
    PROVIDER,
    PROVIDER_METHODS,
)
from ftscan.scan.positions import LineIndex
from ftscan.types import Confidence, Evidence, EvidenceKind, Props, ScanPatterns

_BINDERS = ("import_statement", "variable_declarator", "assignment_expression", *FIELDS, *PARAMETERS)
_CALLS = ("call_expression", "new_expression")
_KINDS = (*_BINDERS, *_CALLS, "pair", "shorthand_property_identifier")
# Nodes a literal's context passes through on its way to a call or a name.
_THROUGH = frozenset(
    {
        *TRANSPARENT,
        "binary_expression",
        "ternary_expression",
        "array",
        "object",
        "template_substitution",
        "spread_element",
        "jsx_expression",
    }
)
_HOLDERS = frozenset({"string", "template_string"})
_OPAQUE = frozenset({"comment", "ERROR", "regex", "jsx_text", "program"})
_FINE_TUNED_MODEL = "fine_tuned_model"
_MAX_CALLEE = 100  # a callee written out longer than this is named by nothing
_MAX_CLIMB = 48  # levels between a literal and its call: real code needs a handful


@cache
def _query(language: Any) -> Any:
    from tree_sitter import Query

    kinds = [k for k in _KINDS if language.id_for_node_kind(k, True)]
    return Query(language, " ".join(f"({kind}) @{kind}" for kind in kinds))


class Context(Frozen):
    """Where a literal sits: the call it is passed to, under which key, assigned to what."""

    site: Node | None = None
    keyword: str | None = None
    target: str | None = None
    role: str | None = None  # "comment" or "dict-key"


_COMMENT = Context(role="comment")
_DICT_KEY = Context(role="dict-key")


class Facts:
    """One file's tree, its names resolved, turned into evidence."""

    def __init__(
        self, path: str, text: str, patterns: ScanPatterns, root: Node, language: Any, lines: LineIndex
    ) -> None:
        from tree_sitter import QueryCursor

        self.path, self.text, self.patterns, self.root, self.lines = path, text, patterns, root, lines
        self.offsets = Offsets(text)
        self.names = Names()
        found = QueryCursor(_query(language)).captures(root)
        nodes = sorted((n for kind in _BINDERS for n in found.get(kind, ())), key=lambda n: n.start_byte)
        for node in nodes:
            self.names.add(node)
        self.calls: list[Node] = [n for kind in _CALLS for n in found.get(kind, ())]
        self.pairs: list[Node] = found.get("pair", [])
        self.shorthands: list[Node] = found.get("shorthand_property_identifier", [])
        self._uses: dict[str, tuple[Node, str]] | None = None

    # Positions.

    def span_of(self, node: Node) -> Any:
        start, end = self.offsets.to_char(node.start_byte), self.offsets.to_char(node.end_byte)
        return self.lines.span(start, end)

    def evidence(self, kind: str, node: Node, value: str, **fields: Any) -> Evidence:
        return Evidence(kind=kind, path=self.path, span=self.span_of(node), value=value, **fields)

    def call_name(self, site: Node | None) -> str | None:
        """The qualified name of a call when resolved, else its callee as written."""
        if site is None:
            return None
        field = "function" if site.type == "call_expression" else "constructor"
        callee = site.child_by_field_name(field)
        value = self.names.resolve(callee)
        if value is not None:
            return value.qname
        written = "".join(text(callee).split()) if callee is not None else ""
        return written if 0 < len(written) <= _MAX_CALLEE else None

    def _is_provider(self, site: Node) -> bool:
        """`openai("ft:...")`, `openai.chat("ft:...")`: the Vercel AI SDK's model factories."""
        if site.type != "call_expression":
            return False
        value = self.names.resolve(site.child_by_field_name("function"))
        if value is None:
            return False
        head, _, method = value.qname.rpartition(".")
        return value.qname == PROVIDER or (head == PROVIDER and method in PROVIDER_METHODS)

    # Where literals sit.

    def context_at(self, node: Node) -> Context | None:
        """The context of the literal or comment holding `node`; None where the tree cannot
        tell (a region that does not parse, a regular expression, JSX text)."""
        for _level in range(_MAX_CLIMB):
            if node is None or node.type in _HOLDERS or node.type in _OPAQUE:
                break
            node = node.parent
        if node is None or (node.type != "comment" and node.type not in _HOLDERS):
            return None
        if node.type == "comment":
            return _COMMENT
        return self.context_of(node)

    def context_of(self, node: Node) -> Context:
        """The call, key and name a value reaches, climbing at most `_MAX_CLIMB` levels
        (tree-sitter finds a parent from the root, so each level costs the depth)."""
        keyword = target = site = None
        for _level in range(_MAX_CLIMB):
            parent = node.parent
            if parent is None:
                break
            kind = parent.type
            if kind == "pair":
                key = parent.child_by_field_name("key")
                if key is not None and key.id == node.id:
                    return _DICT_KEY
                if keyword is None and key is not None:
                    keyword = string_value(key) or text(key)
            elif kind == "arguments":
                site = parent.parent
                if keyword is None and site is not None and self._is_provider(site):
                    keyword = "model"
                break
            elif kind == "variable_declarator" or kind in FIELDS:
                name = parent.child_by_field_name("name") or parent.child_by_field_name("property")
                target = text(name) if name is not None and name.id != node.id else None
                break
            elif kind == "assignment_expression":
                left = parent.child_by_field_name("left")
                target = " ".join(text(left).split()) if left is not None and left.id != node.id else None
                break
            elif kind == "jsx_attribute":
                name = parent.named_children[0] if parent.named_children else None
                keyword = keyword or (text(name) if name is not None else None)
                break
            elif kind not in _THROUGH:
                break
            node = parent
        if target is not None and site is None and keyword is None:
            site, keyword = self.model_uses().get(target, (None, None))
        return Context(site, keyword, target)

    def model_uses(self) -> dict[str, tuple[Node, str]]:
        """Names passed as a model (`{ model: MODEL }`, `{ model }`): the first call each reaches."""
        if self._uses is None:
            self._uses = {}
            keywords = self.patterns.model_keywords
            candidates = [(p.child_by_field_name("key"), p.child_by_field_name("value")) for p in self.pairs]
            candidates += [(s, s) for s in self.shorthands]
            for key, value in candidates:
                if key is None or value is None or text(key) not in keywords:
                    continue
                value = unwrap(value)
                if value is not None and value.type in ("identifier", "shorthand_property_identifier"):
                    context = self.context_of(value)
                    if context.site is not None:
                        self._uses.setdefault(text(value), (context.site, text(key)))
        return self._uses

    # Models passed without a fine-tuned ID literal.

    def model_values(self) -> Iterator[Evidence]:
        """`model: job.fine_tuned_model`, and model names a rule asks about (`dall-e-3`)."""
        keywords, wanted = self.patterns.model_keywords, self.patterns.model_args
        for pair in self.pairs:
            key = pair.child_by_field_name("key")
            if key is None or (string_value(key) or text(key)) not in keywords:
                continue
            for value in _alternatives(pair.child_by_field_name("value")):
                prop = value.child_by_field_name("property") if value.type == "member_expression" else None
                if prop is not None and text(prop) == _FINE_TUNED_MODEL:
                    written = " ".join(text(value).split())
                    yield self.evidence(
                        EvidenceKind.MODEL_REF, value, written, **self.use(self.context_of(value))
                    )
                elif wanted and string_value(value) in wanted:
                    literal = string_value(value) or ""
                    yield self.evidence(
                        EvidenceKind.MODEL_ARG, value, literal, **self.use(self.context_of(value))
                    )
        if not wanted:
            return
        for node in self.calls:  # `openai.image("dall-e-3")`: only where the model comes first
            args = node.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            if first is not None and string_value(first) in wanted and self._is_provider(node):
                literal = string_value(first) or ""
                yield self.evidence(
                    EvidenceKind.MODEL_ARG, first, literal, **self.use(self.context_of(first))
                )

    def use(self, context: Context) -> dict[str, Any]:
        target = (("target", context.target),) if context.target else ()
        return {"call": self.call_name(context.site), "keyword": context.keyword, "props": target}

    # Model IDs the text scan found, with the tree's context.

    def with_context(self, found: Evidence) -> Evidence | None:
        """A text-scan ID with its context; None for an object's key (a price table's row)."""
        start = self.lines.starts[found.span.line - 1] + found.span.column - 1
        end = self.lines.starts[found.span.end_line - 1] + found.span.end_column - 1
        node = self.root.descendant_for_byte_range(self.offsets.to_byte(start), self.offsets.to_byte(end))
        context = self.context_at(node) if node is not None else None
        if context is None:
            return found
        if context.role == "dict-key":
            return None
        model = found.model
        props: Props = tuple((k, v) for k, v in found.props if k not in ("context", "target"))
        if context.role:
            props += (("context", context.role),)
        if context.target:
            props += (("target", context.target),)
        confidence: Confidence = "high"
        if (model is not None and model.placeholder) or context.role:
            confidence = "low"
        elif model is not None and model.flavor == "partial":
            confidence = "medium"
        return replace(
            found,
            call=self.call_name(context.site),
            keyword=context.keyword,
            confidence=confidence,
            props=props,
        )


def _alternatives(node: Node | None) -> Iterator[Node]:
    """The values an expression may take: `a ?? b`, `a || b`, `c ? a : b` give `a` and `b`."""
    pending = [node]
    while pending:
        current = unwrap(pending.pop())
        if current is None:
            continue
        operator = current.child_by_field_name("operator") if current.type == "binary_expression" else None
        if operator is not None and text(operator) in ("??", "||"):
            pending += [current.child_by_field_name("right"), current.child_by_field_name("left")]
        elif current.type == "ternary_expression":
            pending += [
                current.child_by_field_name("alternative"),
                current.child_by_field_name("consequence"),
            ]
        else:
            yield current
