"""Name resolution for the Python scanner: which qualified name a call refers to.

Flow-insensitive and file-wide. Imports, assignments, annotations, parameters and
`with ... as` targets bind names in the scope (module or function) they appear in;
`self.x` and `Class.x` bind file-wide. Bindings are applied twice over the file's events:
once to learn every binding, then again in source order while calls are resolved, so a
rebinding takes effect where it happens and a name bound further down is still known.

An OpenAI client, however it is built or reached, resolves to the root `openai`, so
`client.with_raw_response.fine_tuning.jobs.create` and the module-level client's
`openai.fine_tuning.jobs.create` share one qualified name. Other SDKs keep their own names
(`mistralai.Mistral.fine_tuning.jobs.create`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import libcst as cst

# `openai.<name>` classes whose instances are clients, and the name ftscan reports.
CLIENT_CLASSES = {
    "OpenAI": "OpenAI",
    "AsyncOpenAI": "AsyncOpenAI",
    "AzureOpenAI": "AzureOpenAI",
    "AsyncAzureOpenAI": "AsyncAzureOpenAI",
    "Client": "OpenAI",
    "AsyncClient": "AsyncOpenAI",
}
WRAPPER_ATTRS = frozenset({"with_raw_response", "with_streaming_response"})
WRAPPER_CALLS = frozenset({"with_options", "copy"})  # methods that return the same client
OTHER_SDKS = frozenset({"mistralai", "together", "fireworks", "groq", "anthropic", "cohere"})
KNOWN_SDKS = OTHER_SDKS | {"openai"}
# Where an unresolved receiver's chain may start for ftscan to guess it is OpenAI's.
GUESS_ROOTS = frozenset({"fine_tuning", "fine_tunes", "FineTune", "FineTuningJob", "beta"})
# Generic roots, guessed only with `purpose="fine-tune"` (or `fine_tune`) among the keywords.
UPLOAD_ROOTS = frozenset({"files", "uploads", "File"})
_OPENAI_HOSTS = ("openai.com", "azure")
_MODULE_BASE_URLS = frozenset({"base_url", "api_base"})
_STAR_NAMES = (
    "OpenAI",
    "AsyncOpenAI",
    "AzureOpenAI",
    "AsyncAzureOpenAI",
    "FineTune",
    "FineTuningJob",
    "File",
    "Model",
)
_IMPORTS = tuple(getattr(cst, name) for name in ("Import", "LazyImport") if hasattr(cst, name))
_IMPORT_FROMS = tuple(
    getattr(cst, name) for name in ("ImportFrom", "LazyImportFrom") if hasattr(cst, name)
)
_ATTR_SCOPE = -1  # the scope id of file-wide `self.x` / `Class.x` bindings


@dataclass(frozen=True, slots=True)
class Value:
    """What an expression refers to: a qualified name and, for clients, what built them."""

    qname: str  # `openai`, `openai.fine_tuning.jobs`, `openai.OpenAI`, `mistralai.Mistral`
    client: str | None = None  # `AsyncOpenAI`, when an OpenAI client is behind it
    is_async: bool = False
    other_provider: bool = False  # an OpenAI client whose `base_url` points elsewhere

    def child(self, name: str) -> Value:
        return Value(f"{self.qname}.{name}", self.client, self.is_async, self.other_provider)

    @property
    def root(self) -> str:
        return self.qname.partition(".")[0]


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a statement runs: its chain of scope ids (module = 0) and enclosing class."""

    chain: tuple[int, ...] = (0,)
    cls: str | None = None  # the class whose methods' `self` this is
    class_body: bool = False  # directly in a class body: names there are `self.<name>`

    @property
    def id(self) -> int:
        return self.chain[-1]


MODULE_SCOPE = Scope()


@dataclass(frozen=True, slots=True)
class Binding:
    """`name` (or, when `attr`, a dotted `self.x`) takes the value of an expression."""

    scope: Scope
    name: str
    attr: bool = False
    value: cst.BaseExpression | None = None
    annotation: cst.BaseExpression | None = None
    qname: str | None = None  # imports: the qualified name itself


@dataclass(slots=True, eq=False)
class CallSite:
    """A call in the file; `Names.run` fills in what its callee resolves to."""

    node: cst.Call
    scope: Scope
    awaited: bool = False
    value: Value | None = None
    guess: str | None = None  # `openai.<chain>` when the receiver is unknown

    @property
    def func(self) -> cst.BaseExpression:
        return self.node.func


Event = Binding | CallSite


class Names:
    """The bindings of one file and the resolution of expressions against them."""

    def __init__(self) -> None:
        self._final: dict[tuple[int, str], Value | None] = {}
        self._current: dict[tuple[int, str], Value | None] = {}
        self._read: tuple[dict[tuple[int, str], Value | None], ...] = (self._final,)
        self._write = self._final
        self.imported: set[str] = set()  # top-level module names imported anywhere
        self.module_other_provider = False  # `openai.base_url = "https://other"`

    @property
    def guess_allowed(self) -> bool:
        """False in a file that imports another provider's SDK and not openai."""
        return "openai" in self.imported or not self.imported & OTHER_SDKS

    def run(self, events: list[Event]) -> None:
        """Apply every binding, then resolve every call with bindings in source order."""
        self.imported = {
            e.qname.partition(".")[0] for e in events if isinstance(e, Binding) and e.qname
        }
        for event in events:
            if isinstance(event, Binding):
                self._apply(event)
        self._read, self._write = (self._current, self._final), self._current
        for event in events:
            if isinstance(event, Binding):
                self._apply(event)
            else:
                event.value = self.resolve(event.func, event.scope)
                event.guess = self.guess(event.node, event.scope)

    def resolve(self, expr: cst.BaseExpression, scope: Scope) -> Value | None:
        """What `expr` refers to, or None when it cannot be told from this file."""
        if isinstance(expr, cst.Name):
            return self._name(expr.value, scope)
        if isinstance(expr, cst.Attribute):
            return self._attribute(expr, scope)
        if isinstance(expr, cst.Call):
            return self._call_result(expr, scope)
        if isinstance(expr, cst.Await):
            return self.resolve(expr.expression, scope)
        if isinstance(expr, cst.NamedExpr):
            return self.resolve(expr.value, scope)
        return None

    def guess(self, call: cst.Call, scope: Scope) -> str | None:
        """`openai.<chain>` for `<unknown receiver>.fine_tuning.jobs.create(...)`, else None."""
        if not self.guess_allowed:
            return None
        chain = _attribute_chain(call.func)
        start = next(
            (
                i
                for i, (name, _node) in enumerate(chain)
                if name in GUESS_ROOTS or (name in UPLOAD_ROOTS and _purpose_fine_tune(call))
            ),
            None,
        )
        if start is None or len(chain) - start < 2:
            return None
        receiver = self.resolve(chain[start][1].value, scope)
        if receiver is not None and receiver.root in KNOWN_SDKS:
            return None
        return "openai." + ".".join(name for name, _node in chain[start:])

    def annotated(self, annotation: cst.BaseExpression, scope: Scope) -> Value | None:
        """The instance an annotation promises: `OpenAI`, `Optional[OpenAI]`, `"OpenAI"`."""
        if isinstance(annotation, cst.SimpleString):
            text = literal_string(annotation)
            return self._annotated_dotted(text, scope) if text else None
        if isinstance(annotation, cst.Subscript):  # Optional[X], Union[X, None], Annotated[X, ..]
            for element in annotation.slice:
                if isinstance(element.slice, cst.Index):
                    found = self.annotated(element.slice.value, scope)
                    if found is not None:
                        return found
            return None
        if isinstance(annotation, cst.BinaryOperation):  # X | None
            return self.annotated(annotation.left, scope) or self.annotated(annotation.right, scope)
        cls = self.resolve(annotation, scope)
        return instance_of(cls) if cls is not None else None

    def _annotated_dotted(self, text: str, scope: Scope) -> Value | None:
        head, *rest = text.strip().split(".")
        if not head.isidentifier() or not all(part.isidentifier() for part in rest):
            return None
        value = self._name(head, scope)
        for part in rest:
            value = value.child(part) if value is not None else None
        return instance_of(value) if value is not None else None

    def _apply(self, binding: Binding) -> None:
        scope = binding.scope
        if binding.qname is not None:
            value: Value | None = Value(binding.qname)
        else:
            value = self.resolve(binding.value, scope) if binding.value is not None else None
            if value is None and binding.annotation is not None:
                value = self.annotated(binding.annotation, scope)
        if binding.attr:
            self._note_module_base_url(binding)
            self._write[(_ATTR_SCOPE, binding.name)] = value
        else:
            self._write[(scope.id, binding.name)] = value

    def _note_module_base_url(self, binding: Binding) -> None:
        head, _, last = binding.name.rpartition(".")
        if last not in _MODULE_BASE_URLS or binding.value is None or "." in head:
            return
        module = self._name(head, binding.scope)
        url = literal_string(binding.value)
        if module is not None and module.qname == "openai" and url is not None:
            self.module_other_provider = is_other_provider(url)

    def _lookup(self, key: tuple[int, str]) -> tuple[bool, Value | None]:
        for table in self._read:
            if key in table:
                return True, table[key]
        return False, None

    def _name(self, name: str, scope: Scope) -> Value | None:
        for scope_id in reversed(scope.chain):
            found, value = self._lookup((scope_id, name))
            if found:
                return value
        return None

    def _attribute(self, expr: cst.Attribute, scope: Scope) -> Value | None:
        dotted = dotted_name(expr)
        if dotted is not None:
            for key in attr_keys(dotted, scope):
                found, value = self._lookup((_ATTR_SCOPE, key))
                if found:
                    return value
        base = self.resolve(expr.value, scope)
        if base is None:
            return None
        name = expr.attr.value
        return base if name in WRAPPER_ATTRS else base.child(name)

    def _call_result(self, call: cst.Call, scope: Scope) -> Value | None:
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in WRAPPER_CALLS:
            return self.resolve(func.value, scope)
        callee = self.resolve(func, scope)
        return instance_of(callee, call) if callee is not None else None


def instance_of(cls: Value, call: cst.Call | None = None) -> Value | None:
    """The value of `cls(...)`: a client for OpenAI's client classes, else an instance of a
    class named like one (`Mistral` -> `mistralai.Mistral`), else unknown."""
    head, _, last = cls.qname.rpartition(".")
    if head.startswith("openai") and head.partition(".")[0] == "openai" and last in CLIENT_CLASSES:
        name = CLIENT_CLASSES[last]
        url = _keyword_string(call, "base_url") if call is not None else None
        return Value(
            "openai",
            client=name,
            is_async=name.startswith("Async"),
            other_provider=url is not None and is_other_provider(url),
        )
    if last[:1].isupper() and cls.client is None:
        return Value(cls.qname)
    return None


def is_other_provider(url: str) -> bool:
    """A `base_url` that names neither OpenAI nor Azure."""
    lowered = url.lower()
    return not any(host in lowered for host in _OPENAI_HOSTS)


def import_bindings(node: cst.CSTNode, scope: Scope) -> list[Binding]:
    """What an `import` or `from ... import` statement binds; relative imports bind nothing."""
    if isinstance(node, _IMPORTS):
        bindings = []
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bindings.append(Binding(scope, alias.asname.name.value, qname=name))
            else:
                head = name.partition(".")[0]
                bindings.append(Binding(scope, head, qname=head))
        return bindings
    if not isinstance(node, _IMPORT_FROMS) or node.relative or node.module is None:
        return []
    module = dotted_name(node.module)
    if module is None:
        return []
    if isinstance(node.names, cst.ImportStar):
        names = _STAR_NAMES if module == "openai" else ()
        return [Binding(scope, name, qname=f"{module}.{name}") for name in names] or [
            Binding(scope, f"*{module}", qname=module)  # still counts as importing the module
        ]
    bindings = []
    for alias in node.names:
        name = dotted_name(alias.name)
        if name is None:
            continue
        local = alias.asname.name if alias.asname is not None else alias.name
        if isinstance(local, cst.Name):
            bindings.append(Binding(scope, local.value, qname=f"{module}.{name}"))
    return bindings


def attr_keys(dotted: str, scope: Scope) -> tuple[str, ...]:
    """File-wide keys for a dotted target: `self.client` is also `<Class>.client`."""
    head, _, rest = dotted.partition(".")
    if head not in ("self", "cls"):
        return (dotted,)
    if scope.cls is None:
        return (f"self.{rest}",)
    return (f"{scope.cls}.{rest}", f"self.{rest}")


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


def literal_string(expr: cst.CSTNode) -> str | None:
    """The value of a string literal or of adjacent literals; None for anything else."""
    if isinstance(expr, cst.SimpleString):
        prefix = expr.prefix.lower()
        if "b" in prefix:
            return None
        raw = expr.raw_value
        if "r" in prefix or "\\" not in raw:
            return raw
        with warnings.catch_warnings():  # `"\d"` warns when evaluated
            warnings.simplefilter("ignore")
            value = expr.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(expr, cst.ConcatenatedString):
        left, right = literal_string(expr.left), literal_string(expr.right)
        return left + right if left is not None and right is not None else None
    return None


def _attribute_chain(func: cst.BaseExpression) -> list[tuple[str, cst.Attribute]]:
    """The attributes of a callee, outermost last, wrappers left out."""
    chain = []
    node = func
    while True:
        if isinstance(node, cst.Attribute):
            if node.attr.value not in WRAPPER_ATTRS:
                chain.append((node.attr.value, node))
            node = node.value
        elif (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in WRAPPER_CALLS
        ):
            node = node.func.value
        else:
            break
    chain.reverse()
    return chain


def _keyword_string(call: cst.Call, keyword: str) -> str | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return literal_string(arg.value)
    return None


def _purpose_fine_tune(call: cst.Call) -> bool:
    purpose = _keyword_string(call, "purpose")
    return purpose is not None and purpose.replace("_", "-") == "fine-tune"
