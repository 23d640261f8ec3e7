"""Name resolution for the Python scanner: which qualified name a call refers to.

Flow-insensitive and file-wide. `Names` applies the binder's events twice: once to learn
them all, then again in source order while it resolves the calls, so a rebinding takes
effect where it happens and a name bound further down the file is still known.

An OpenAI client, however it is built or reached, resolves to the root `openai`, so
`client.with_raw_response.fine_tuning.jobs.create` and the module-level client's
`openai.fine_tuning.jobs.create` share one qualified name. Other SDKs keep their own
names (`mistralai.Mistral.fine_tuning.jobs.create`).
"""

from __future__ import annotations

import libcst as cst

from ftscan.scan.python.binder import Binding, Event, Ref, Scope, Value, attr_keys
from ftscan.scan.python.sdk import (
    CLIENT_CLASSES,
    GUESS_ROOTS,
    KNOWN_SDKS,
    MAPPING_FUNCTIONS,
    MOCK_MODULES,
    OTHER_SDKS,
    UPLOAD_ROOTS,
    WRAPPER_ATTRS,
    WRAPPER_CALLS,
    is_azure_url,
    is_other_provider,
)
from ftscan.scan.python.syntax import dotted_name, keyword_string, keyword_text, literal_string

_MODULE_BASE_URLS = frozenset({"base_url", "api_base"})
_TYPING_WRAPPERS = frozenset({"Optional", "Union", "Annotated", "ClassVar", "Final"})
_ATTR_SCOPE = -1  # the scope id of file-wide `self.x` / `Class.x` bindings


class Names:
    """The bindings of one file and the resolution of expressions against them."""

    def __init__(self) -> None:
        self._final: dict[tuple[int, str], Value | None] = {}
        self._current: dict[tuple[int, str], Value | None] = {}
        self._read: tuple[dict[tuple[int, str], Value | None], ...] = (self._final,)
        self._write = self._final
        self.imported: set[str] = set()  # top-level module names imported anywhere
        self.module_other_provider = False  # `openai.base_url = "https://other"`
        # Names bound to an attribute chain that resolves to nothing (`client.fine_tuning`
        # with `client` a parameter), for `guess`; None where a name is bound twice.
        self._held_exprs: dict[tuple[int, str], cst.Attribute | None] = {}

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
                self._note_held(event)
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

    def guess(self, call: cst.Call, scope: Scope, purpose: str | None = None) -> str | None:
        """`openai.<chain>` for `<unknown receiver>.fine_tuning.jobs.create(...)`, else None.

        `purpose`: the upload's purpose when known otherwise than as a literal. A chain that
        starts at a name holding part of one (`ft = client.fine_tuning`, then
        `ft.jobs.cancel(...)`) is guessed as the whole chain.
        """
        if not self.guess_allowed:
            return None
        if purpose is None:
            purpose = keyword_string(call, "purpose")
        upload = purpose is not None and purpose.replace("_", "-") == "fine-tune"
        chain = self._held(_attribute_chain(call.func), scope)
        start = next(
            (
                index
                for index, (name, _node) in enumerate(chain)
                if name in GUESS_ROOTS or (name in UPLOAD_ROOTS and upload)
            ),
            None,
        )
        if start is None or len(chain) - start < 2:
            return None
        receiver = self.resolve(chain[start][1].value, scope)
        if receiver is not None and receiver.root in KNOWN_SDKS:
            return None
        return "openai." + ".".join(name for name, _node in chain[start:])

    def _held(self, chain: list[tuple[str, cst.Attribute]], scope: Scope) -> list[tuple[str, cst.Attribute]]:
        """The chain with the attributes a name at its start was bound to put in front."""
        for _level in range(3):
            if not chain or any(name in GUESS_ROOTS for name, _node in chain):
                return chain
            head = chain[0][1].value
            if not isinstance(head, cst.Name):
                return chain
            held = next(
                (
                    self._held_exprs[key]
                    for i in reversed(scope.chain)
                    if (key := (i, head.value)) in self._held_exprs
                ),
                None,
            )
            if held is None:
                return chain
            chain = _attribute_chain(held) + chain
        return chain

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

    def _note_held(self, binding: Binding) -> None:
        if binding.attr or binding.qname is not None:
            return
        key = (binding.scope.id, binding.name)
        value = binding.value
        held = value if isinstance(value, cst.Attribute) and self._final.get(key) is None else None
        self._held_exprs[key] = held if key not in self._held_exprs else None

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
    """The value of `cls(...)`: a client for OpenAI's client classes (Azure OpenAI's when its
    `base_url` is an Azure host), the mapping a function
    such as `dotenv_values` returns (`dotenv.dotenv_values()`), else an instance of a class
    named like one (`Mistral` -> `mistralai.Mistral`), else unknown."""
    if cls.qname in MAPPING_FUNCTIONS:
        return Value(MAPPING_FUNCTIONS[cls.qname])
    head, _, last = cls.qname.rpartition(".")
    if head.partition(".")[0] == "openai" and last in CLIENT_CLASSES:
        name = CLIENT_CLASSES[last]
        url = keyword_string(call, "base_url") if call is not None else None
        if call is not None and "Azure" not in name and _azure_arguments(call):
            name = name.replace("OpenAI", "AzureOpenAI")  # Azure's v1 API: `OpenAI(base_url=...)`
        return Value(
            "openai",
            client=name,
            is_async=name.startswith("Async"),
            other_provider=url is not None and is_other_provider(url),
        )
    if (last[:1].isupper() or cls.qname.startswith(MOCK_MODULES)) and cls.client is None:
        return Value(cls.qname)  # `create_autospec(OpenAI)` is a double, named as such
    return None


def _azure_arguments(call: cst.Call) -> bool:
    """`OpenAI(...)` pointed at Azure OpenAI's v1 API: its `base_url` names an Azure host or
    `/openai/v1`, or its arguments are Azure's (`api_key=AZURE_OPENAI_API_KEY`)."""
    written = keyword_text(call, "base_url")
    if written is not None and is_azure_url(written):
        return True
    return any(
        arg.keyword is not None and "azure" in cst.Module(body=[]).code_for_node(arg.value).lower()
        for arg in call.args
    )


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
