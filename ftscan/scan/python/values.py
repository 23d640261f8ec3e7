"""Which string an argument carries when it is not a literal where it is passed.

`purpose=purpose` uploads training data when `purpose` holds `"fine-tune"`: a name bound to
one literal in its scope (or an enclosing one), a command-line option's default (click's
`@click.option("--purpose", default=...)`, typer's `typer.Option("fine-tune")`, argparse's
`add_argument("--purpose", default=...)` read back as `args.purpose`). A name bound to
anything else, or to two different literals, has no known value: nothing is guessed.

`ValueBinder` notes these bindings during the collector's walk; `Values` answers for an
expression at its place. Local functions are noted too, for `forwarding`.
"""

from __future__ import annotations

import libcst as cst

from ftscan.frozen import Frozen
from ftscan.scan.python.binder import SELF_NAMES, Binder, CallSite, Scope
from ftscan.scan.python.syntax import dotted_name, literal_string, parameters, transparent

_UNKNOWN = object()  # bound to something that is not one literal
_CLI_DECORATORS = frozenset({"option", "argument"})  # `click.option`, `click.argument`
_CLI_DEFAULTS = frozenset({"Option", "Argument"})  # `typer.Option(...)` as a default
_PARSE_ARGS = "parse_args"


class Function(Frozen):
    """A function defined in the file: its name, parameters and the scope of its body."""

    name: str
    node: cst.FunctionDef
    body: int  # the scope id of its body
    method: bool  # defined in a class: called as `self.name(...)`
    module_level: bool = False  # defined at the top of the module: other modules can import it

    @property
    def positional(self) -> list[cst.Param]:
        """The parameters a positional argument can fill, in order (`self` left out)."""
        params = [*self.node.params.posonly_params, *self.node.params.params]
        if self.method and params and params[0].name.value in SELF_NAMES:
            params = params[1:]
        return params

    def param(self, name: str) -> cst.Param | None:
        return next((p for p in parameters(self.node.params) if p.name.value == name), None)


class ValueBinder(Binder):
    """The binder, noting names bound to literals, CLI defaults and local functions."""

    def __init__(self) -> None:
        super().__init__()
        self.literals: dict[tuple[int, str], object] = {}  # a str, or _UNKNOWN
        self.dicts: dict[tuple[int, str], cst.Dict | None] = {}  # `files = {...}`; None: rebound
        self.functions: dict[int, Function] = {}  # by the scope id of the body
        self.argparse: dict[str, object] = {}  # `dest` -> default (a str, or _UNKNOWN)
        self.parsed: set[str] = set()  # names bound to `parser.parse_args()`
        self.opened: dict[tuple[int, str], cst.Call] = {}  # `with open(...) as f`, `f = open(...)`

    def visit_FunctionDef(self, node: cst.FunctionDef | cst.Lambda, scope: Scope) -> Scope:
        inner = super().visit_FunctionDef(node, scope)
        defaults = dict(_cli_defaults(node)) if isinstance(node, cst.FunctionDef) else {}
        for param in parameters(node.params):  # a parameter hides the names outside
            default = defaults.get(param.name.value)
            self.literals[(inner.id, param.name.value)] = default if default is not None else _UNKNOWN
        if isinstance(node, cst.FunctionDef):
            top = scope.chain == (0,) and scope.cls is None
            self.functions[inner.id] = Function(node.name.value, node, inner.id, scope.class_body, top)
        return inner

    def visit_For(self, node: cst.For, scope: Scope) -> None:
        self._unknown(node.target, scope)

    def visit_With(self, node: cst.With, scope: Scope) -> None:
        super().visit_With(node, scope)
        for item in node.items:
            if item.asname is not None:
                self._unknown(item.asname.name, scope)
                self._note_opened(item.asname.name, item.item, scope)

    def visit_Assign(self, node: cst.Assign, scope: Scope) -> None:
        super().visit_Assign(node, scope)
        for target in node.targets:
            self._assigned(target.target, node.value, scope)

    def visit_AnnAssign(self, node: cst.AnnAssign, scope: Scope) -> None:
        super().visit_AnnAssign(node, scope)
        if node.value is not None:
            self._assigned(node.target, node.value, scope)

    def visit_AugAssign(self, node: cst.AugAssign, scope: Scope) -> None:
        if isinstance(node.target, cst.Name):
            self.literals[(scope.id, node.target.value)] = _UNKNOWN

    def add_call(self, node: cst.Call, scope: Scope) -> CallSite:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "add_argument":
            dest, default = _argparse_option(node)
            if dest is not None:
                self.argparse[dest] = default if self.argparse.get(dest, default) == default else _UNKNOWN
        return super().add_call(node, scope)

    def _assigned(self, target: cst.BaseExpression, value: cst.BaseExpression, scope: Scope) -> None:
        if not isinstance(target, cst.Name) or scope.class_body:
            return
        func = value.func if isinstance(value, cst.Call) else None
        if isinstance(func, cst.Attribute) and func.attr.value == _PARSE_ARGS:
            self.parsed.add(target.value)
        self._note(scope.id, target.value, literal_string(value))
        self._note_opened(target, value, scope)
        key = (scope.id, target.value)
        self.dicts[key] = value if isinstance(value, cst.Dict) and key not in self.dicts else None

    def _note_opened(self, target: cst.BaseExpression, value: cst.BaseExpression, scope: Scope) -> None:
        if isinstance(target, cst.Name) and isinstance(value, cst.Call) and _opens(value):
            self.opened[(scope.id, target.value)] = value

    def _unknown(self, target: cst.BaseExpression, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            self.literals[(scope.id, target.value)] = _UNKNOWN
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._unknown(element.value, scope)

    def _note(self, scope_id: int, name: str, value: str | None) -> None:
        key = (scope_id, name)
        known = self.literals.get(key, value)
        self.literals[key] = value if value is not None and known == value else _UNKNOWN


class Values:
    """The string an expression holds where it stands, when the file tells it."""

    def __init__(self, binder: ValueBinder) -> None:
        self._binder = binder

    def value(self, expr: cst.BaseExpression | None, scope: Scope) -> str | None:
        if expr is None:
            return None
        expr = transparent(expr)
        literal = literal_string(expr)
        if literal is not None:
            return literal
        if isinstance(expr, cst.Name):
            for scope_id in reversed(scope.chain):
                found = self._binder.literals.get((scope_id, expr.value))
                if found is not None:
                    return found if isinstance(found, str) else None
            return None
        owner = expr.value if isinstance(expr, cst.Attribute) else None
        if isinstance(owner, cst.Name) and owner.value in self._binder.parsed:  # `args.purpose`
            found = self._binder.argparse.get(expr.attr.value)  # type: ignore[union-attr]
            return found if isinstance(found, str) else None
        return None

    def opened_path(self, expr: cst.BaseExpression, scope: Scope) -> str | None:
        """The path of the file an upload sends: `open("data/train.jsonl", "rb")`,
        `Path("train.jsonl").open("rb")`, a name bound to one (`with open(p) as f`), or the
        file of a `(name, file)` tuple; None when the file does not tell."""
        expr = transparent(expr)
        if isinstance(expr, cst.Tuple) and len(expr.elements) >= 2:
            expr = expr.elements[1].value
        if isinstance(expr, cst.Name):
            for scope_id in reversed(scope.chain):
                found = self._binder.opened.get((scope_id, expr.value))
                if found is not None:
                    expr = found
                    break
        if not isinstance(expr, cst.Call) or not _opens(expr):
            return None
        func = expr.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call):  # `Path(p).open()`
            expr = func.value
        positional = [arg.value for arg in expr.args if arg.keyword is None and not arg.star]
        return self.value(positional[0], scope) if positional else None

    def dict_of(self, expr: cst.BaseExpression | None, scope: Scope) -> cst.Dict | None:
        """A dict display, or the one a name is bound to (once) in its scope."""
        if isinstance(expr, cst.Name):
            for scope_id in reversed(scope.chain):
                key = (scope_id, expr.value)
                if key in self._binder.dicts or key in self._binder.literals:
                    return self._binder.dicts.get(key)
            return None
        return expr if isinstance(expr, cst.Dict) else None

    def keywords(self, call: cst.Call, scope: Scope) -> dict[str, str]:
        """The keyword arguments whose string value is known, by keyword."""
        found = {}
        for arg in call.args:
            if arg.keyword is not None:
                value = self.value(arg.value, scope)
                if value is not None:
                    found[arg.keyword.value] = value
        return found


_OPEN = frozenset({"open", "io.open", "builtins.open", "codecs.open"})
_PATHS = frozenset({"Path", "pathlib.Path", "PurePath"})


def _opens(call: cst.Call) -> bool:
    """`open(...)`, `io.open(...)`, `Path(...).open(...)`."""
    name = dotted_name(call.func)
    if name in _OPEN:
        return True
    func = call.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "open"
        and isinstance(func.value, cst.Call)
        and dotted_name(func.value.func) in _PATHS
    )


def _cli_defaults(node: cst.FunctionDef) -> list[tuple[str, str | None]]:
    """`(parameter, default)` given by click decorators or typer `Option(...)` defaults."""
    found = []
    for decorator in node.decorators:
        call = decorator.decorator
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            continue
        if call.func.attr.value not in _CLI_DECORATORS:
            continue
        names = [literal_string(arg.value) for arg in call.args if arg.keyword is None]
        param = _option_dest([name for name in names if name], identifier_wins=True)
        if param is not None:
            found.append((param, _keyword_literal(call, "default")))
    for param in parameters(node.params):
        default = param.default
        if (
            isinstance(default, cst.Call)
            and (dotted_name(default.func) or "").rpartition(".")[2] in _CLI_DEFAULTS
        ):
            positional = [arg.value for arg in default.args if arg.keyword is None and not arg.star]
            value = literal_string(positional[0]) if positional else _keyword_literal(default, "default")
            found.append((param.name.value, value))
    return found


def _argparse_option(call: cst.Call) -> tuple[str | None, str | None]:
    """`add_argument("--purpose", "-p", default="fine-tune")`: its `dest` and default."""
    dest = _keyword_literal(call, "dest")
    if dest is None:
        names = [literal_string(arg.value) for arg in call.args if arg.keyword is None]
        dest = _option_dest([name for name in names if name], identifier_wins=False)
    return dest, _keyword_literal(call, "default")


def _option_dest(names: list[str], identifier_wins: bool) -> str | None:
    """The variable an option's names give: the first long option (`--training-purpose`
    gives `training_purpose`), else the first short one; a bare name is itself. Click lets
    a bare identifier among the names win (`"--purpose", "kind"` binds `kind`)."""
    bare = [name for name in names if not name.startswith("-")]
    if bare and (identifier_wins or len(names) == 1):
        return bare[0].replace("-", "_")
    longs = [name for name in names if name.startswith("--")]
    chosen = longs[0] if longs else next((name for name in names if name.startswith("-")), None)
    return chosen.lstrip("-").replace("-", "_") if chosen else None


def _keyword_literal(call: cst.Call, keyword: str) -> str | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return literal_string(arg.value)
    return None
