"""What a JavaScript or TypeScript expression refers to: imports, clients and SDK resources.

`Names` records every binding in a file (imports, `require`, declarations and their
destructuring, assignments, class fields and `this.x`, typed parameters) under the function
or class it belongs to, and resolves an expression to a `Value` lazily: a qualified name in
the rules' spelling (`openai.fine_tuning.jobs`), with the client behind it. An expression
ftscan cannot follow (a parameter without a type, a client imported from another file)
resolves to None, which is what lets a call be guessed from its chain.
"""

from __future__ import annotations

from typing import Any

from ftscan.frozen import Frozen
from ftscan.scan.javascript.grammar import Node
from ftscan.scan.javascript.sdk import (
    CLIENT_CLASSES,
    OPENAI,
    PROVIDER,
    PROVIDER_FACTORIES,
    V3_CLIENT,
    V3_METHODS,
    WRAPPER_CALLS,
    is_other_provider,
    module_name,
    snake,
)

SCOPES = frozenset(
    {
        "program",
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
        "generator_function",
    }
)
CLASSES = frozenset({"class_declaration", "class", "abstract_class_declaration"})
# Expressions that stand for the one inside them.
TRANSPARENT = frozenset(
    {
        "parenthesized_expression",
        "await_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    }
)
FIELDS = frozenset({"public_field_definition", "field_definition"})
PARAMETERS = frozenset({"required_parameter", "optional_parameter"})
# What a declaration's value must be for it to matter: clients, resources, modules, strings.
# Functions, objects, arrays and numbers (most declarations) are never bound.
BINDABLE = frozenset(
    {
        *TRANSPARENT,
        "identifier",
        "member_expression",
        "subscript_expression",
        "call_expression",
        "new_expression",
        "binary_expression",
        "ternary_expression",
        "string",
        "template_string",
        "this",
    }
)


def text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")  # type: ignore[no-any-return]


def unwrap(node: Node) -> Node:
    while node is not None and node.type in TRANSPARENT:
        node = node.named_children[0] if node.named_children else None
    return node


def string_value(node: Node | None) -> str | None:
    """The value of a string literal, or of a template literal without substitutions."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    if any(child.type == "template_substitution" for child in node.named_children):
        return None
    return text(node)[1:-1]


class Value(Frozen):
    """What an expression is: `openai.fine_tuning.jobs` on an `AzureOpenAI` client, say."""

    qname: str
    client: str | None = None  # the OpenAI client class behind it
    other_provider: bool = False  # a client whose `baseURL` points elsewhere
    v3: bool = False  # the v3 `OpenAIApi` client itself

    @property
    def root(self) -> str:
        return self.qname.partition(".")[0]

    def child(self, name: str) -> Value:
        if self.v3:  # v3's own methods; any other member is the v4 resource of that name
            if name in V3_METHODS:
                return Value(V3_METHODS[name], self.client, self.other_provider)
            return Value(f"{OPENAI}.{snake(name)}", self.client, self.other_provider)
        segment = snake(name) if self.root == OPENAI else name
        return Value(f"{self.qname}.{segment}", self.client, self.other_provider)


Binding = tuple[Any, ...]  # ("value", Value) | ("expr", node) | ("member", node, name) | ("type", node)


class Names:
    """Every binding of one file, and resolution of expressions through them."""

    def __init__(self) -> None:
        self.bindings: dict[tuple[int, str], list[Binding]] = {}
        self._resolving: set[int] = set()
        self._scopes: dict[tuple[int, bool], Node | None] = {}
        self._names: set[str] = set()  # every name bound anywhere: others resolve to nothing at once

    def scope(self, node: Node, classes: bool = False) -> Node | None:
        """The function (or class) `node` is in, remembered for every node passed on the way."""
        kinds = CLASSES if classes else SCOPES
        passed: list[int] = []
        current, found = node.parent, None
        while current is not None:
            key = (current.id, classes)
            if key in self._scopes:
                found = self._scopes[key]
                break
            if current.type in kinds:
                found = current
                break
            passed.append(current.id)
            current = current.parent
        for ident in passed:
            self._scopes[(ident, classes)] = found
        return found

    def _bind(self, scope: Node | None, name: str, binding: Binding) -> None:
        if scope is not None:
            self._names.add(name)
            self.bindings.setdefault((scope.id, name), []).append(binding)

    # Recording bindings.

    def add(self, node: Node) -> None:
        """Record what `node` (an import, declaration, assignment, field or parameter) binds."""
        kind = node.type
        if kind == "import_statement":
            self._import(node)
        elif kind == "variable_declarator":
            self._pattern(node.child_by_field_name("name"), node.child_by_field_name("value"), node)
        elif kind == "assignment_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None:
                self._pattern(left, right, node)
        elif kind in FIELDS:
            name = node.child_by_field_name("name") or node.child_by_field_name("property")
            value, annotation = node.child_by_field_name("value"), node.child_by_field_name("type")
            cls = self.scope(node, True)
            if name is not None and value is not None:
                self._bind(cls, "this." + text(name), ("expr", value))
            elif name is not None and annotation is not None:
                self._bind(cls, "this." + text(name), ("type", annotation))
        elif kind in PARAMETERS:
            pattern, annotation = node.child_by_field_name("pattern"), node.child_by_field_name("type")
            if pattern is not None and pattern.type == "identifier" and annotation is not None:
                self._bind(self.scope(node), text(pattern), ("type", annotation))

    def _import(self, node: Node) -> None:
        source = string_value(node.child_by_field_name("source"))
        module = module_name(source) if source is not None else None
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        if clause is None or module is None:
            return  # a side-effect import, or the project's own file: nothing known
        scope = self.scope(node)
        for part in clause.named_children:
            if part.type == "identifier":  # the default export
                self._bind(scope, text(part), ("value", Value(module)))
            elif part.type == "namespace_import":
                names = [c for c in part.named_children if c.type == "identifier"]
                if names:
                    self._bind(scope, text(names[-1]), ("value", Value(module)))
            elif part.type == "named_imports":
                for spec in part.named_children:
                    name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    if name is not None:
                        local = text(alias if alias is not None else name)
                        self._bind(
                            scope, local, ("value", Value(f"{module}.{string_value(name) or text(name)}"))
                        )

    def _pattern(self, target: Node | None, value: Node | None, at: Node) -> None:
        if target is None or value is None or value.type not in BINDABLE:
            return
        if target.type == "identifier":
            self._bind(self.scope(at), text(target), ("expr", value))
        elif target.type == "member_expression":
            obj, prop = target.child_by_field_name("object"), target.child_by_field_name("property")
            if obj is not None and obj.type == "this" and prop is not None:
                self._bind(self.scope(at, True), "this." + text(prop), ("expr", value))
        elif target.type == "object_pattern":  # `const { OpenAI, AzureOpenAI: Azure } = require("openai")`
            for part in target.named_children:
                if part.type == "shorthand_property_identifier_pattern":
                    self._bind(self.scope(at), text(part), ("member", value, text(part)))
                elif part.type == "pair_pattern":
                    key, local = part.child_by_field_name("key"), part.child_by_field_name("value")
                    if local is not None and local.type == "assignment_pattern":
                        local = local.child_by_field_name("left")
                    if key is not None and local is not None and local.type == "identifier":
                        self._bind(
                            self.scope(at), text(local), ("member", value, string_value(key) or text(key))
                        )

    # Resolving expressions.

    def lookup(self, node: Node, name: str) -> Value | None:
        """The value `name` has where `node` is: the nearest scope that binds it."""
        if name not in self._names:
            return None
        classes = name.startswith("this.")
        scope = self.scope(node, classes)
        while scope is not None:
            for binding in self.bindings.get((scope.id, name), ()):
                value = self._binding_value(binding)
                if value is not None:
                    return value
            scope = self.scope(scope, classes)
        return None

    def _binding_value(self, binding: Binding) -> Value | None:
        kind = binding[0]
        if kind == "value":
            return binding[1]  # type: ignore[no-any-return]
        if kind == "type":
            return self._typed(binding[1])
        value = self.resolve(binding[1])
        if kind == "member" and value is not None:
            return value.child(binding[2])
        return value

    def _typed(self, annotation: Node) -> Value | None:
        """A client from a type annotation: `client: OpenAI`."""
        names = [
            c for c in annotation.named_children if c.type in ("type_identifier", "nested_type_identifier")
        ]
        if len(names) != 1:
            return None
        name = text(names[0])
        cls = self.lookup(annotation, name.partition(".")[0])
        if cls is None:
            return None
        if "." in name:
            cls = cls.child(name.partition(".")[2])
        return _instance(cls, None, self)

    def resolve(self, node: Node | None) -> Value | None:
        """The value of an expression, or None when ftscan cannot tell."""
        node = unwrap(node)
        if node is None or node.id in self._resolving:
            return None
        self._resolving.add(node.id)
        try:
            return self._resolve(node)
        finally:
            self._resolving.discard(node.id)

    def _resolve(self, node: Node) -> Value | None:
        kind = node.type
        if kind == "identifier":
            return self.lookup(node, text(node))
        if kind == "member_expression":
            obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            if obj is None or prop is None:
                return None
            if obj.type == "this":
                return self.lookup(node, "this." + text(prop))
            value = self.resolve(obj)
            return value.child(text(prop)) if value is not None else None
        if kind == "subscript_expression":
            obj, index = node.child_by_field_name("object"), node.child_by_field_name("index")
            key = string_value(index)
            value = self.resolve(obj) if key is not None else None
            return value.child(key) if value is not None and key is not None else None
        if kind == "call_expression":
            return self._call(node)
        if kind == "new_expression":
            cls = self.resolve(node.child_by_field_name("constructor"))
            return _instance(cls, node.child_by_field_name("arguments"), self) if cls else None
        operator = node.child_by_field_name("operator") if kind == "binary_expression" else None
        if operator is not None and text(operator) in ("??", "||"):
            left = self.resolve(node.child_by_field_name("left"))
            return left or self.resolve(node.child_by_field_name("right"))
        if kind == "ternary_expression":
            return self.resolve(node.child_by_field_name("consequence")) or self.resolve(
                node.child_by_field_name("alternative")
            )
        return None

    def _call(self, node: Node) -> Value | None:
        func = unwrap(node.child_by_field_name("function"))
        args = node.child_by_field_name("arguments")
        if func is None:
            return None
        if func.type in ("identifier", "import") and text(func) in ("require", "import"):
            source = string_value(args.named_children[0]) if args and args.named_children else None
            module = module_name(source) if source is not None else None
            return Value(module) if module else None
        if func.type == "member_expression":
            prop = func.child_by_field_name("property")
            if prop is not None and text(prop) in WRAPPER_CALLS:
                return self.resolve(func.child_by_field_name("object"))
        value = self.resolve(func)
        if value is not None and value.qname in PROVIDER_FACTORIES:
            return Value(PROVIDER)  # `createOpenAI({...})` is a provider like `openai`
        return None


def _instance(cls: Value | None, args: Node | None, names: Names) -> Value | None:
    """The value of `new cls(args)`: a client for the SDK's client classes."""
    if cls is None:
        return None
    if cls.qname == V3_CLIENT:
        return Value(OPENAI, client="OpenAIApi", v3=True)
    if cls.qname in CLIENT_CLASSES:
        url = option(args, "baseURL", names) if args is not None else None
        client = CLIENT_CLASSES[cls.qname]
        if url is not None and ".azure.com" in url.lower():
            client = "AzureOpenAI"  # Azure's v1 API: `new OpenAI({ baseURL: ... })`
        return Value(OPENAI, client, other_provider=url is not None and is_other_provider(url))
    return Value(cls.qname + "()")


def option(args: Node | None, key: str, names: Names) -> str | None:
    """A string option of a call's first object argument (`{ baseURL: "..." }`)."""
    for pair in object_pairs(first_object(args)):
        if pair[0] == key:
            return constant(pair[1], names)
    return None


def first_object(args: Node | None) -> Node | None:
    if args is None:
        return None
    return next(
        (unwrap(a) for a in args.named_children if unwrap(a) is not None and unwrap(a).type == "object"), None
    )


def object_pairs(obj: Node | None) -> list[tuple[str, Node]]:
    """`(key, value node)` of an object literal's `key: value` pairs and `{ key }` shorthands."""
    if obj is None:
        return []
    pairs = []
    for child in obj.named_children:
        if child.type == "pair":
            key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
            if key is not None and value is not None and key.type != "computed_property_name":
                pairs.append((string_value(key) or text(key), value))
        elif child.type == "shorthand_property_identifier":
            pairs.append((text(child), child))
    return pairs


def constant(node: Node | None, names: Names) -> str | None:
    """A string literal, or a name bound once to one (`const BASE = "gpt-4o-mini"`)."""
    node = unwrap(node)
    if node is None:
        return None
    literal = string_value(node)
    if literal is not None or node.type not in ("identifier", "shorthand_property_identifier"):
        return literal
    scope = names.scope(node)
    while scope is not None:
        bound = names.bindings.get((scope.id, text(node)))
        if bound:
            return string_value(unwrap(bound[0][1])) if len(bound) == 1 and bound[0][0] == "expr" else None
        scope = names.scope(scope)
    return None
