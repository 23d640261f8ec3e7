"""Name binding for the Python scanner: one walk over a module that records events.

`Binder` walks a module in source order and records what imports, assignments,
annotations, parameters and `with ... as` targets bind (in the module or function scope
they appear in; `self.x` and `Class.x` file-wide), and every call. A `Ref` asks for any
other expression to be resolved at its place in that order (the mapping of `env["X"]`, a
class's bases). `names.Names` then applies the events; the scanner's collector subclasses
`Binder` to note literals in the same pass.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from ftscan.frozen import Frozen
from ftscan.scan.python.sdk import STAR_NAMES
from ftscan.scan.python.syntax import dotted_name, parameters

SELF_NAMES = ("self", "cls")
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


class Value(Frozen):
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


class Scope(Frozen):
    """Where a statement runs: its chain of scope ids (module = 0) and enclosing class."""

    chain: tuple[int, ...] = (0,)
    cls: str | None = None  # the class whose methods' `self` this is
    class_body: bool = False  # directly in a class body: names there are `self.<name>`

    @property
    def id(self) -> int:
        return self.chain[-1]


MODULE_SCOPE = Scope()


class Binding(Frozen):
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
            if param.name.value not in SELF_NAMES:
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
        names = STAR_NAMES if module == "openai" else ()
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
    if head not in SELF_NAMES or not rest:
        return (dotted,)
    if scope.cls is None:
        return (f"self.{rest}",)
    return (f"{scope.cls}.{rest}", f"self.{rest}")


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
