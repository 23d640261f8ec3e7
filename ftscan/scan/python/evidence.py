"""Evidence from the tree: what the collector saw, its calls resolved by `Names`, turned
into API calls, model IDs with their context, uses of `fine_tuned_model` and reads of
environment variables, each pointed at its place in the file."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator
from typing import Any

import libcst as cst

from ftscan.model_ids import IdMatch
from ftscan.rules.globs import glob_set
from ftscan.scan.positions import LineIndex
from ftscan.scan.python.binder import CallSite, Value
from ftscan.scan.python.collect import Collector, Context
from ftscan.scan.python.forwarding import Found, LocalHelper, exportable, exported, forwarded_calls
from ftscan.scan.python.http_uploads import HTTP_ROOTS, http_upload
from ftscan.scan.python.imported import ImportedHelpers
from ftscan.scan.python.names import Names
from ftscan.scan.python.settings import ENV_CALLS, ENV_MAPPINGS, env_reader, settings_classes, settings_fields
from ftscan.scan.python.stand_ins import StandIns
from ftscan.scan.python.syntax import dotted_name, literal_string
from ftscan.scan.python.tree import Offsets, node_offsets
from ftscan.scan.python.values import Values
from ftscan.scan.structured.context import key_path
from ftscan.types import Confidence, Evidence, EvidenceKind, Helper, ModelId, Props, ScanPatterns, Span


class TreeEvidence:
    """Turns what the collector saw, its calls resolved, into evidence."""

    def __init__(
        self,
        path: str,
        patterns: ScanPatterns,
        module: cst.Module,
        collector: Collector,
        names: Names,
    ) -> None:
        self.path = path
        self.patterns = patterns
        self.module = module
        self.collector = collector
        self.names = names
        self.values = Values(collector)
        self.stand_ins = StandIns.of(collector.calls)
        self.azure_file = False  # set by `build`, which has the source
        self.helpers: tuple[Helper, ...] = ()  # what other modules may call (`forwarding.exported`)

    def build(self, ids: list[IdMatch], source: str, shift: int, lines: LineIndex) -> list[Evidence]:
        """Every piece of evidence the tree gives, model IDs from the raw text included."""
        # A client ftscan cannot follow is Azure OpenAI's in a file that only builds those
        # (`AzureOpenAI(...)`, Azure AI Foundry's `project.get_openai_client()`).
        self.azure_file = any(m in source for m in AZURE_FILE_MARKERS) and "OpenAI()" not in source
        c = self.collector
        calls = [(site, found) for site in c.calls if (found := self._match_call(site) or self._http(site))]
        exports = []
        if self.patterns.calls:
            forwarded = forwarded_calls(c.functions, c.calls, self.values, self._match_call)
            calls += forwarded.calls
            deciding = self.patterns.deciding_keywords
            exports = list(dict.fromkeys(h for h in forwarded.helpers if exportable(h, deciding)))
        if self.patterns.helpers:
            imported = ImportedHelpers(self.path, self.module, self.patterns.helpers)
            calls += [
                (site, self._stood_in(found))
                for site, found in imported.calls(c.calls, c.functions, self.values)
            ]
        built = [*c.partials, *c.joined]
        nodes: list[cst.CSTNode] = [site.func for site, _found in calls]
        nodes += [helper.sink.func for helper in exports]
        nodes += [expr for expr, _context in c.refs]
        nodes += [expr for expr, _value, _context in c.model_args]
        nodes += [expr for expr, _model in built]
        nodes += c.strings if ids else []
        reads = self._env_reads() if self.patterns.env_vars else []
        nodes += [node for node, _name, _fields in reads]
        self._offsets = node_offsets(self.module, nodes, source)
        self._lines, self._shift = lines, shift
        outer = _outermost([(self._offsets[id(expr)], model, expr) for expr, model in built])
        self.helpers = tuple(filter(None, (self._exported(helper) for helper in exports)))
        return [
            *(self._api_call(site, *found) for site, found in calls),
            *self._uses(),
            *self._built_ids(outer),
            *self._raw_ids(ids, outer),
            *(self._evidence(EvidenceKind.ENV_READ, node, name, **fields) for node, name, fields in reads),
        ]

    def _evidence(self, kind: str, at: cst.CSTNode | Offsets, value: str, **fields: Any) -> Evidence:
        return Evidence(kind=kind, path=self.path, span=self._span(at), value=value, **fields)

    def _span(self, at: cst.CSTNode | Offsets) -> Span:
        start, end = self._offsets[id(at)] if isinstance(at, cst.CSTNode) else at
        return self._lines.span(start + self._shift, end + self._shift)

    def _exported(self, helper: LocalHelper) -> Helper | None:
        span = self._span(helper.sink.func)
        return exported(
            helper, self.values, self._match_call, self.path, span, self.patterns.deciding_keywords
        )

    def _stood_in(self, found: Found) -> Found:
        """A helper's call from a file that patches OpenAI: a test double's."""
        qname, _confidence, props = found
        if self.stand_ins.patches_openai and ("context", "test-double") not in props:
            return qname, "low", (*props, ("context", "test-double"))
        return found

    def _api_call(self, site: CallSite, qname: str, confidence: Confidence, props: Props) -> Evidence:
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
            fields = self._model_id(model, self.collector.contexts.get(id(expr), Context()))
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
            context = c.contexts.get(id(node), Context()) if node is not None else None
            fields = self._model_id(match.model, context or Context(role="comment"))
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

    def _match_call(self, site: CallSite, given: dict[str, str] | None = None) -> Found | None:
        """`_resolved_call`, made a note on a test double and another provider's for a DSPy
        student that OpenAI does not train (`stand_ins`)."""
        found = self._resolved_call(site, given)
        if found is None:
            return None
        qname, _confidence, props = found
        if self.stand_ins.elsewhere(qname):
            return qname, "low", (*props, ("provider", "other"))
        if self.stand_ins.double(site, qname):
            return qname, "low", (*props, ("context", "test-double"))
        return found

    def _resolved_call(self, site: CallSite, given: dict[str, str] | None = None) -> Found | None:
        """The qualified name a call matches, its confidence and props, or None. `given`:
        keywords whose values a helper's caller supplies (`forwarding`)."""
        if not self.patterns.calls:
            return None
        globs = glob_set(self.patterns.calls)
        keywords = self._keywords(site, given or {})
        value = site.value
        if value is not None and globs.fullmatch(value.qname):
            module_client = value.client is None and value.root == "openai"
            other = value.other_provider or (module_client and self.names.module_other_provider)
            props = _client_props(value, site, other)
            return value.qname, ("low" if other else "high"), props + keywords
        guess = site.guess
        purpose = dict(keywords).get("arg:purpose")
        if guess is None and purpose is not None:  # `purpose=PURPOSE`, or through a helper
            guess = self.names.guess(site.node, site.scope, purpose)
        if guess is not None and globs.fullmatch(guess):
            client: Props = (("client", "AzureOpenAI"),) if self.azure_file else ()
            return (
                guess,
                "medium",
                (*client, *_client_props(None, site, False), ("resolved", "guess"), *keywords),
            )
        return None

    def _keywords(self, site: CallSite, given: dict[str, str]) -> Props:
        """`("arg:<keyword>", value)` for each keyword argument whose string value is known."""
        found = []
        for arg in site.node.args:
            if arg.keyword is None:
                continue
            keyword = arg.keyword.value
            value = given.get(keyword) if keyword in given else self.values.value(arg.value, site.scope)
            if value is not None:
                found.append((f"arg:{keyword}", value))
            elif keyword == UPLOADED_FILE and (path := self.values.opened_path(arg.value, site.scope)):
                found.append(("upload_path", path))
        return tuple(found)

    def _http(self, site: CallSite) -> Found | None:
        if site.value is None or site.value.root not in HTTP_ROOTS:
            return None
        return http_upload(site, self.values)

    def _use(self, context: Context) -> dict[str, Any]:
        target = (("target", context.target),) if context.target else ()
        return {"call": self._call_name(context.site), "keyword": context.keyword, "props": target}

    def _model_id(self, model: ModelId, context: Context) -> dict[str, Any] | None:
        """The fields of a MODEL_ID evidence; None for a dict key that is only the head of an
        ID (`"ft:gpt-4o:"`, a price table's row). A complete ID as a key (a label map, an alias
        table, results keyed by model) is a dependency like any other, with its key path."""
        if context.role == "dict-key":
            if model.flavor == "partial":
                return None
            return self._key_id(model, context)
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

    def _key_id(self, model: ModelId, context: Context) -> dict[str, Any]:
        """A complete ID used as a dict key: `LABELS["ft:..."]`, at the confidence of a value."""
        path = key_path(context.keys)
        if context.target and path:
            path = context.target + (path if path.startswith("[") else f".{path}")
        props: Props = (("key_path", path),) if path else ()
        return {
            "model": model,
            "call": None,
            "keyword": None,
            "confidence": "low" if model.placeholder else "high",
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


UPLOADED_FILE = "file"  # `files.create(file=open("data/train.jsonl", "rb"), ...)`: the path is kept
AZURE_FILE_MARKERS = ("AzureOpenAI(", ".get_openai_client(", "AIProjectClient(")


def _client_props(value: Value | None, site: CallSite, other: bool) -> Props:
    props: Props = ()
    if value is not None and value.client:
        props += (("client", value.client),)
    if site.awaited or (value is not None and value.is_async):
        props += (("async", "true"),)
    if other:
        props += (("provider", "other"),)
    return props


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
