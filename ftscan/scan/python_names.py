"""Name resolution for the Python scanner: which qualified name a call refers to.

Flow-insensitive and file-wide. `Binder` walks a module in source order and records
events: what imports, assignments, annotations, parameters and `with ... as` targets bind
(in the module or function scope they appear in; `self.x` and `Class.x` file-wide), and
every call. `Names` applies the bindings twice: once to learn them all, then again in
source order while it resolves the calls, so a rebinding takes effect where it happens and
a name bound further down the file is still known. A `Ref` asks for any other expression
to be resolved at its place in that order (the mapping of `env["X"]`, a class's bases).

An OpenAI client, however it is built or reached, resolves to the root `openai`, so
`client.with_raw_response.fine_tuning.jobs.create` and the module-level client's
`openai.fine_tuning.jobs.create` share one qualified name. Other SDKs keep their own
names (`mistralai.Mistral.fine_tuning.jobs.create`).

The same names tell which readers of environment variables a file uses (`os.environ`,
`os.getenv`, `dotenv_values`) and which classes are pydantic settings, whose fields read
variables named after them (with `env_prefix`, or an alias instead).
"""

from __future__ import annotations

import dataclasses
import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

# `openai.<name>` classes whose instances are clients, and the client ftscan reports.
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
# Where the chain of an unresolved receiver may start for ftscan to guess it is OpenAI's;
# the generic upload roots only with `purpose="fine-tune"` among the keywords.
GUESS_ROOTS = frozenset({"fine_tuning", "fine_tunes", "FineTune", "FineTuningJob", "beta"})
UPLOAD_ROOTS = frozenset({"files", "uploads", "File"})
# Functions whose result is a mapping of environment-like variables, and its name.
MAPPING_FUNCTIONS = {
    "dotenv.dotenv_values": "dotenv.dotenv_values()",
    "dotenv.main.dotenv_values": "dotenv.dotenv_values()",
}
_OPENAI_HOSTS = ("openai.com", "azure")
_MODULE_BASE_URLS = frozenset({"base_url", "api_base"})
# What `from openai import *` binds.
_STAR_NAMES = (*CLIENT_CLASSES, "FineTune", "FineTuningJob", "File", "Model")
_TYPING_WRAPPERS = frozenset({"Optional", "Union", "Annotated", "ClassVar", "Final"})
_SELF = ("self", "cls")
_ATTR_SCOPE = -1  # the scope id of file-wide `self.x` / `Class.x` bindings
# Node fields that hold only whitespace and punctuation: never walked.
# fmt: off
_SKIP_FIELDS = frozenset((
    "lpar", "rpar", "comma", "semicolon", "newline", "leading_lines", "lines_after_decorators",
    "header", "footer", "colon", "first_colon", "second_colon", "equal", "star", "dot",
    "lbrace", "rbrace", "lbracket", "rbracket", "asynchronous", "operator", "indent",
    "comment", "empty_lines", "first_line", "last_line", "separator", "trailing_comma",
    "posonly_ind", "relative",
))
# fmt: on
_NODE_TYPES: dict[type, bool] = {}  # `isinstance(x, CSTNode)` is an ABC check: slow


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


@dataclass(slots=True, eq=False)
class Ref:
    """An expression to resolve where it stands; `Names.run` fills in its value."""

    expr: cst.BaseExpression
    scope: Scope
    value: Value | None = None


Event = Binding | CallSite | Ref
Handler = Callable[[cst.CSTNode, Scope], "Scope | None"]


class Binder:
    """Walks a module in source order, tracking scopes, and records binding and call events.

    A `visit_<Node>(node, scope)` method handles each node of that type and may return the
    scope for the node's children; subclasses add their own.
    """

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.calls: list[CallSite] = []
        self._awaited: set[int] = set()
        self._globals: dict[int, set[str]] = {}
        self._scope_count = 0
        self._handlers: dict[type, Handler] = {
            node_type: getattr(self, method) for node_type, method in _visitors(type(self))
        }

    def walk(self, module: cst.Module) -> None:
        """Visit every node in source order (iteratively: deep trees are fine)."""
        stack: list[tuple[cst.CSTNode, Scope]] = [(module, MODULE_SCOPE)]
        pop, push, handlers, is_node = stack.pop, stack.append, self._handlers, _NODE_TYPES
        while stack:
            node, scope = pop()
            node_type = type(node)
            handler = handlers.get(node_type)
            inner = (handler(node, scope) or scope) if handler is not None else scope
            for name in _child_fields(node_type):  # last field first: popped in source order
                value = getattr(node, name)
                value_type = type(value)
                if value_type is tuple or value_type is list:  # of nodes, in a libcst tree
                    stack.extend([(child, inner) for child in reversed(value)])
                    continue
                flag = is_node.get(value_type)
                if flag is None:
                    flag = is_node[value_type] = issubclass(value_type, cst.CSTNode)
                if flag:
                    push((value, inner))

    def add_call(self, node: cst.Call, scope: Scope) -> CallSite:
        site = CallSite(node, scope, awaited=id(node) in self._awaited)
        self.events.append(site)
        self.calls.append(site)
        return site

    def add_ref(self, expr: cst.BaseExpression, scope: Scope) -> Ref:
        ref = Ref(expr, scope)
        self.events.append(ref)
        return ref

    def visit_Import(self, node: cst.Import, scope: Scope) -> None:
        self.events.extend(import_bindings(node, scope))

    visit_ImportFrom = visit_LazyImport = visit_LazyImportFrom = visit_Import

    def visit_FunctionDef(self, node: cst.FunctionDef | cst.Lambda, scope: Scope) -> Scope:
        self._scope_count += 1
        inner = Scope((*scope.chain, self._scope_count), scope.cls)
        for param in parameters(node.params):
            if param.name.value not in _SELF:
                annotation = param.annotation.annotation if param.annotation else None
                self.events.append(Binding(inner, param.name.value, False, param.default, annotation))
        return inner

    visit_Lambda = visit_FunctionDef

    def visit_ClassDef(self, node: cst.ClassDef, scope: Scope) -> Scope:
        return Scope(scope.chain, node.name.value, class_body=True)

    def visit_Global(self, node: cst.Global, scope: Scope) -> None:
        self._globals.setdefault(scope.id, set()).update(item.name.value for item in node.names)

    def visit_Assign(self, node: cst.Assign, scope: Scope) -> None:
        for target in node.targets:
            self._bind(target.target, node.value, None, scope)

    def visit_AnnAssign(self, node: cst.AnnAssign, scope: Scope) -> None:
        self._bind(node.target, node.value, node.annotation.annotation, scope)

    def visit_NamedExpr(self, node: cst.NamedExpr, scope: Scope) -> None:
        self._bind(node.target, node.value, None, scope)

    def visit_With(self, node: cst.With, scope: Scope) -> None:
        for item in node.items:
            if item.asname is not None:
                self._bind(item.asname.name, item.item, None, scope)

    def visit_Await(self, node: cst.Await, scope: Scope) -> None:
        self._awaited.add(id(node.expression))

    def visit_Call(self, node: cst.Call, scope: Scope) -> None:
        self.add_call(node, scope)

    def _bind(
        self,
        target: cst.BaseExpression,
        value: cst.BaseExpression | None,
        annotation: cst.BaseExpression | None,
        scope: Scope,
    ) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            values = value.elements if isinstance(value, (cst.Tuple, cst.List)) else ()
            paired = len(values) == len(target.elements)
            for index, element in enumerate(target.elements):
                self._bind(element.value, values[index].value if paired else None, None, scope)
            return
        dotted = dotted_name(target)
        if dotted is None:
            return
        if isinstance(target, cst.Name) and not scope.class_body:
            owner = MODULE_SCOPE if dotted in self._globals.get(scope.id, ()) else scope
            self.events.append(Binding(owner, dotted, False, value, annotation))
            return
        if isinstance(target, cst.Name):  # a class attribute, seen as `self.x` and `Cls.x`
            dotted = f"self.{dotted}"
        for key in attr_keys(dotted, scope):
            self.events.append(Binding(scope, key, True, value, annotation))


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
        self.imported = {e.qname.partition(".")[0] for e in events if isinstance(e, Binding) and e.qname}
        for event in events:
            if isinstance(event, Binding):
                self._apply(event)
        self._read, self._write = (self._current, self._final), self._current
        for event in events:
            if isinstance(event, Binding):
                self._apply(event)
            elif isinstance(event, Ref):
                event.value = self.resolve(event.expr, event.scope)
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
            func = expr.func
            if isinstance(func, cst.Attribute) and func.attr.value in WRAPPER_CALLS:
                return self.resolve(func.value, scope)
            callee = self.resolve(func, scope)
            return instance_of(callee, expr) if callee is not None else None
        if isinstance(expr, cst.Await):
            return self.resolve(expr.expression, scope)
        if isinstance(expr, cst.NamedExpr):
            return self.resolve(expr.value, scope)
        if isinstance(expr, cst.BooleanOperation):  # `client or OpenAI()`
            return self.resolve(expr.left, scope) or self.resolve(expr.right, scope)
        if isinstance(expr, cst.IfExp):  # `OpenAI() if openai else AzureOpenAI()`
            return self.resolve(expr.body, scope) or self.resolve(expr.orelse, scope)
        return None

    def guess(self, call: cst.Call, scope: Scope) -> str | None:
        """`openai.<chain>` for `<unknown receiver>.fine_tuning.jobs.create(...)`, else None."""
        if not self.guess_allowed:
            return None
        chain = _attribute_chain(call.func)
        start = next(
            (
                index
                for index, (name, _node) in enumerate(chain)
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
            parts = (literal_string(annotation) or "").strip().split(".")
            if not all(part.isidentifier() for part in parts):
                return None
            value = self._name(parts[0], scope)
            for part in parts[1:]:
                value = value.child(part) if value is not None else None
        elif isinstance(annotation, cst.Subscript):  # Optional[X], Union[X, None], ...
            wrapper = dotted_name(annotation.value) or ""
            if wrapper.rpartition(".")[2] not in _TYPING_WRAPPERS:
                return None  # `list[OpenAI]` is no client
            members = (e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index))
            return next(filter(None, (self.annotated(m, scope) for m in members)), None)
        elif isinstance(annotation, cst.BinaryOperation):  # X | None
            return self.annotated(annotation.left, scope) or self.annotated(annotation.right, scope)
        else:
            value = self.resolve(annotation, scope)
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
        self._write[(_ATTR_SCOPE if binding.attr else scope.id, binding.name)] = value

    def _note_module_base_url(self, binding: Binding) -> None:
        """`openai.base_url = "https://other"` sends the module-level client elsewhere."""
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
        for key in attr_keys(dotted, scope) if dotted is not None else ():
            found, value = self._lookup((_ATTR_SCOPE, key))
            if found:
                return value
        base = self.resolve(expr.value, scope)
        if base is None:
            return None
        name = expr.attr.value
        return base if name in WRAPPER_ATTRS else base.child(name)


def instance_of(cls: Value, call: cst.Call | None = None) -> Value | None:
    """The value of `cls(...)`: a client for OpenAI's client classes, the mapping a function
    such as `dotenv_values` returns (`dotenv.dotenv_values()`), else an instance of a class
    named like one (`Mistral` -> `mistralai.Mistral`), else unknown."""
    if cls.qname in MAPPING_FUNCTIONS:
        return Value(MAPPING_FUNCTIONS[cls.qname])
    head, _, last = cls.qname.rpartition(".")
    if head.partition(".")[0] == "openai" and last in CLIENT_CLASSES:
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
    """What an `import` or `from ... import` binds; relative imports bind nothing."""
    if not hasattr(node, "relative"):  # `import a.b` binds `a`, `import a.b as c` binds `c`
        bindings = []
        for alias in node.names:
            name, local = dotted_name(alias.name), alias.asname and alias.asname.name
            if name is not None and local is None:
                head = name.partition(".")[0]
                bindings.append(Binding(scope, head, qname=head))
            elif name is not None and isinstance(local, cst.Name):
                bindings.append(Binding(scope, local.value, qname=name))
        return bindings
    module = dotted_name(node.module) if node.module is not None else None
    if node.relative or module is None:
        return []
    if isinstance(node.names, cst.ImportStar):
        names = _STAR_NAMES if module == "openai" else ()
        star = Binding(scope, f"*{module}", qname=module)  # the import still counts
        return [Binding(scope, name, qname=f"{module}.{name}") for name in names] or [star]
    return [
        Binding(scope, local.value, qname=f"{module}.{alias.name.value}")
        for alias in node.names
        if isinstance(local := alias.asname.name if alias.asname else alias.name, cst.Name)
    ]


def attr_keys(dotted: str, scope: Scope) -> tuple[str, ...]:
    """File-wide keys for a dotted name: `self.client` is also `<Class>.client`."""
    head, _, rest = dotted.partition(".")
    if head not in _SELF or not rest:
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


@functools.cache
def _visitors(binder: type) -> tuple[tuple[type, str], ...]:
    """(node type, method name) for each `visit_<Node>` this libcst has a node for."""
    return tuple(
        (getattr(cst, name[6:]), name)
        for name in dir(binder)
        if name.startswith("visit_") and hasattr(cst, name[6:])
    )


@functools.cache
def _child_fields(node_type: type[cst.CSTNode]) -> tuple[str, ...]:
    """The fields of a node type that may hold nodes worth visiting, last field first."""
    return tuple(
        field.name
        for field in reversed(dataclasses.fields(node_type))
        if field.name not in _SKIP_FIELDS and "whitespace" not in field.name
    )


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


# --- environment variables -------------------------------------------------------------

# Qualified callees that read the variable named by their first argument (or `key=`).
ENV_CALLS = frozenset(
    {
        "os.getenv",
        "os.environ.get",
        "os.environ.setdefault",
        "os.environ.pop",
        "dotenv.dotenv_values().get",
    }
)
# Mappings whose subscript reads a variable.
ENV_MAPPINGS = frozenset({"os.environ", "dotenv.dotenv_values()"})
# pydantic's settings classes, and the pydantic generation (their aliases differ).
SETTINGS_BASES = {
    "pydantic_settings.BaseSettings": 2,
    "pydantic_settings.main.BaseSettings": 2,
    "pydantic.BaseSettings": 1,
    "pydantic.env_settings.BaseSettings": 1,
    "pydantic.v1.BaseSettings": 1,
    "pydantic.v1.env_settings.BaseSettings": 1,
}
_GUESSED_SETTINGS = "pydantic_settings.BaseSettings"
# Field arguments that name the variable instead of the field, by pydantic generation.
_ALIAS_KEYWORDS = {1: ("env",), 2: ("validation_alias", "alias"), None: ("validation_alias", "alias", "env")}
_ALIAS_CLASSES = frozenset({"AliasChoices", "AliasPath"})


def env_reader(
    value: Value | None, written: cst.BaseExpression, readers: frozenset[str]
) -> tuple[str, bool] | None:
    """The qualified reader `written` is, one of `readers`, and whether that is a guess.

    A guess: `os.environ.get` written so in a file where `os` cannot be resolved.
    """
    if value is not None:
        return (value.qname, False) if value.qname in readers else None
    name = dotted_name(written)
    if name is not None and name.startswith("os.") and name in readers:
        return name, True
    return None


@dataclass(frozen=True, slots=True)
class Settings:
    """How a pydantic settings class reads its fields from the environment."""

    call: str  # the qualified BaseSettings it derives from
    version: int | None  # pydantic 1 or 2; None when the base is guessed from its name
    prefix: str = ""
    case_sensitive: bool = False


@dataclass(frozen=True, slots=True)
class SettingsField:
    name: cst.Name  # the field as declared
    env: tuple[str, ...]  # the variables it reads, spelled as in the code
    default: str | None = None  # a literal default


def settings_classes(classes: list[tuple[cst.ClassDef, list[Ref]]]) -> list[tuple[cst.ClassDef, Settings]]:
    """The classes deriving from BaseSettings, directly or through a class of the file.

    `classes` are the file's classes in source order, each with its bases resolved. A class
    takes its parent's `env_prefix` and `case_sensitive` unless it sets its own.
    """
    local: dict[str, Settings] = {}
    found = []
    for node, bases in classes:
        pairs = zip(node.bases, bases, strict=True)
        base = next(filter(None, (_settings_base(arg.value, ref, local) for arg, ref in pairs)), None)
        if base is not None:
            settings = _configured(node, base)
            local[node.name.value] = settings
            found.append((node, settings))
    return found


def settings_fields(node: cst.ClassDef, settings: Settings) -> list[SettingsField]:
    """The annotated fields a settings class reads, with the variable names each one reads."""
    fields = []
    for member in _members(node):
        if not isinstance(member, cst.AnnAssign) or not isinstance(member.target, cst.Name):
            continue
        name, annotation = member.target.value, member.annotation.annotation
        if name.startswith("_") or name == "model_config" or _is_class_var(annotation):
            continue
        field = _field_call(member.value, annotation)
        keywords = {a.keyword.value: a.value for a in field.args if a.keyword} if field else {}
        alias = next((keywords[key] for key in _ALIAS_KEYWORDS[settings.version] if key in keywords), None)
        env = _alias_names(alias) if alias is not None else (settings.prefix + name,)
        fields.append(SettingsField(member.target, env, _field_default(member.value, field)))
    return fields


def _settings_base(expr: cst.BaseExpression, ref: Ref, local: dict[str, Settings]) -> Settings | None:
    name = dotted_name(expr)
    if name in local:
        return local[name]
    if ref.value is not None:
        version = SETTINGS_BASES.get(ref.value.qname)
        return Settings(ref.value.qname, version) if version else None
    if name is not None and name.rpartition(".")[2] == "BaseSettings":
        return Settings(_GUESSED_SETTINGS, None)
    return None


def _configured(node: cst.ClassDef, base: Settings) -> Settings:
    """`base` with the options the class sets: class keywords, `model_config`, `class Config`."""
    options = {arg.keyword.value: arg.value for arg in node.keywords if arg.keyword is not None}
    for member in _members(node):
        options.update(_config_options(member))
    prefix = literal_string(options["env_prefix"]) if "env_prefix" in options else base.prefix
    sensitive = options.get("case_sensitive")
    return dataclasses.replace(
        base,
        prefix=base.prefix if prefix is None else prefix,
        case_sensitive=base.case_sensitive if sensitive is None else _is_true(sensitive),
    )


def _config_options(member: cst.CSTNode) -> dict[str, cst.BaseExpression]:
    """`model_config = SettingsConfigDict(...)` (or a dict), or v1's `class Config:` body."""
    if isinstance(member, cst.ClassDef) and member.name.value == "Config":
        return {name: m.value for m in _members(member) if (name := _assigned(m)) and m.value is not None}
    if _assigned(member) != "model_config":
        return {}
    value = member.value
    if isinstance(value, cst.Call):
        return {arg.keyword.value: arg.value for arg in value.args if arg.keyword is not None}
    if isinstance(value, cst.Dict):
        return {
            key: e.value
            for e in value.elements
            if isinstance(e, cst.DictElement) and (key := literal_string(e.key)) is not None
        }
    return {}


def _members(node: cst.ClassDef) -> list[cst.CSTNode]:
    """The statements of a class body, simple statements unpacked from their lines."""
    members: list[cst.CSTNode] = []
    for statement in node.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            members.extend(statement.body)
        else:
            members.append(statement)
    return members


def _assigned(member: cst.CSTNode) -> str | None:
    """The name a one-target assignment binds."""
    if isinstance(member, cst.Assign) and len(member.targets) == 1:
        target = member.targets[0].target
    elif isinstance(member, cst.AnnAssign):
        target = member.target
    else:
        return None
    return target.value if isinstance(target, cst.Name) else None


def _field_call(value: cst.BaseExpression | None, annotation: cst.BaseExpression) -> cst.Call | None:
    """The `Field(...)` of a field: its value, or in `Annotated[str, Field(...)]`."""
    if _is_field(value):
        return value  # type: ignore[return-value]
    if isinstance(annotation, cst.Subscript) and (dotted_name(annotation.value) or "").endswith("Annotated"):
        elements = (e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index))
        return next((e for e in elements if _is_field(e)), None)  # type: ignore[misc]
    return None


def _is_field(expr: cst.BaseExpression | None) -> bool:
    return isinstance(expr, cst.Call) and (dotted_name(expr.func) or "").rpartition(".")[2] == "Field"


def _field_default(value: cst.BaseExpression | None, field: cst.Call | None) -> str | None:
    if value is not None and value is field:
        positional = [arg.value for arg in field.args if arg.keyword is None and not arg.star]
        keywords = {arg.keyword.value: arg.value for arg in field.args if arg.keyword is not None}
        value = positional[0] if positional else keywords.get("default")
    return literal_string(value) if value is not None else None


def _alias_names(expr: cst.BaseExpression) -> tuple[str, ...]:
    """`"X"`, `["X", "Y"]` (v1), `AliasChoices("X", AliasPath("Y", 0))`: the names, in order."""
    value = literal_string(expr)
    if value is not None:
        return (value,)
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        items = [element.value for element in expr.elements]
    elif isinstance(expr, cst.Call) and (dotted_name(expr.func) or "").rpartition(".")[2] in _ALIAS_CLASSES:
        items = [arg.value for arg in expr.args if arg.keyword is None and not arg.star]
        if (dotted_name(expr.func) or "").endswith("AliasPath"):
            items = items[:1]  # a path into the variable's value
    else:
        return ()
    return tuple(dict.fromkeys(name for item in items for name in _alias_names(item)))


def _is_class_var(annotation: cst.BaseExpression) -> bool:
    head = annotation.value if isinstance(annotation, cst.Subscript) else annotation
    return (dotted_name(head) or "").rpartition(".")[2] == "ClassVar"


def _is_true(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "True"
