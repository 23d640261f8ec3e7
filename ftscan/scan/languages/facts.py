"""What a parsed file says, in the terms every language shares: the chain of names a call
is made through, the values of its arguments, the names bound to clients and the functions
the file defines.

A chain is the names before a call's arguments, receivers first, each compared without
case or underscores (`ftscan.rules.sdks.name_key`): `s.client.CreateFineTuningJob(...)` is
(s, client, createfinetuningjob). A name bound in the file to an SDK client or resource
(`FineTuningClient client = openAIClient.GetFineTuningClient();`) stands for what it was
given, so `client.FineTune(...)` is (openaiclient, getfinetuningclient, finetune) too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ftscan.rules.sdks import name_key
from ftscan.scan.languages.syntax import LANGUAGES, Syntax, grammar
from ftscan.scan.positions import LineIndex
from ftscan.scan.trees import Node, Offsets
from ftscan.types import Chain, SdkSurface, Span

_IDENTIFIER = re.compile(r"[$@]{0,2}[A-Za-z_][A-Za-z0-9_]*")
_SNAKE = re.compile(r"(?<=[a-z0-9])([A-Z])")
_QUOTES = ("'''", '"""', '"', "'", "`")
_INTERPOLATION = ("${", "#{", "{$")
_SELF = frozenset({"this", "self", "it"})
_WRAPPERS = frozenset({"argument", "value_argument", "literal_element", "parenthesized_expression"})
MAX_DEPTH = 64  # an expression nested deeper is not followed (a chain of a thousand calls)
MAX_VALUES = 200  # nodes of one call's arguments looked at for its purpose


def text(data: bytes, node: Node) -> str:
    return data[node.start_byte : node.end_byte].decode("utf-8", "replace")


def argument_name(raw: str) -> str:
    """`TrainingFile`, `trainingFile`, `'training_file'`, `:training_file` -> `training_file`."""
    bare = raw.strip().strip("'\"").lstrip("$@:").rstrip(":")
    return _SNAKE.sub(r"_\1", bare).lower()


class Facts:
    """One parsed file of a language in `LANGUAGES`, and what the SDK scanner asks of it."""

    def __init__(self, kind: str, path: str, source: str, sdks: tuple[SdkSurface, ...]) -> None:
        self.kind, self.path, self.text = kind, path, source
        self.syntax: Syntax = LANGUAGES[kind]
        parser, self.queries = grammar(kind)
        self.data = source.encode("utf-8", "surrogatepass")
        self.tree = parser.parse(self.data)
        self.root = self.tree.root_node
        self.offsets = Offsets(source)
        self.lines = LineIndex(source)
        self.constants: dict[Chain, str] = {}
        for sdk in sdks:
            for chain, value in sdk.constants:
                self.constants.setdefault(chain, value)
        self.bindings = self._bindings()
        self.defined = {name_key(text(self.data, node)) for node in self._captures("definitions", "name")}
        self.types = {name_key(text(self.data, node)) for node in self._captures("definitions", "type")}

    def _captures(self, query: str, name: str, node: Node | None = None) -> list[Node]:
        from tree_sitter import QueryCursor

        return QueryCursor(self.queries[query]).captures(node or self.root).get(name, [])

    def calls(self) -> Iterator[tuple[Node, Node | None]]:
        """Every call with its argument list, in the order of the file."""
        from tree_sitter import QueryCursor

        for _, found in QueryCursor(self.queries["calls"]).matches(self.root):
            yield found["call"][0], (found.get("args") or [None])[0]

    def _bindings(self) -> dict[str, list[tuple[int, Node]]]:
        """Each bound name (its last part: `client` of `$this->client`) and the expressions
        it is given or the types it is declared with, in the order of the file."""
        from tree_sitter import QueryCursor

        bound: dict[str, list[tuple[int, Node]]] = {}
        for _, found in QueryCursor(self.queries["bindings"]).matches(self.root):
            names = found.get("name")
            if not names:
                continue
            chain, _ = self.chain(names[0])
            if not chain or not chain[-1]:
                continue
            for node in (*found.get("value", ()), *found.get("type", ())):
                bound.setdefault(chain[-1], []).append((names[0].start_byte, node))
        return bound

    # ------------------------------------------------------------------ chains

    def chain(self, node: Node, depth: int = 0) -> tuple[list[str], Node | None]:
        """The names `node` is made of, receivers first, and the node of the last one."""
        if depth > MAX_DEPTH or node.type in self.syntax.arguments or "comment" in node.type:
            return [], None
        if node.named_child_count == 0:
            raw = text(self.data, node)
            return ([name_key(raw)], node) if _IDENTIFIER.fullmatch(raw) else ([""], None)
        names: list[str] = []
        last = None
        for child in node.named_children:
            part, leaf = self.chain(child, depth + 1)
            names += part
            last = leaf or last
        return names, last

    def chains_of(self, call: Node) -> tuple[list[Chain], Node | None]:
        """The chain of a call as written, and as the names it starts with were bound."""
        names, last = self.chain(call)
        found = [tuple(names)]
        for _ in range(3):  # a binding of a binding, at most three deep
            more = [bound for chain in found for bound in self._through_bindings(chain, call.start_byte)]
            new = [chain for chain in more if chain not in found]
            if not new:
                break
            found += new
        return found, last

    def _through_bindings(self, chain: Chain, before: int) -> Iterator[Chain]:
        start = 1 if len(chain) > 1 and chain[0] in _SELF else 0
        if len(chain) <= start + 1:
            return
        for _, node in self._bound(chain[start], before):
            bound, _ = self.chain(node)
            if bound and bound[-1] == "new":  # Ruby's `OpenAI::Finetunes.new(...)`
                bound = bound[:-1]
            if bound:
                yield (*bound, *chain[start + 1 :])

    def _bound(self, name: str, before: int) -> list[tuple[int, Node]]:
        """The bindings of `name`: those before `before` nearest first, then any other."""
        found = self.bindings.get(name, [])
        earlier = sorted((b for b in found if b[0] < before), key=lambda b: -b[0])
        return earlier + [b for b in found if b[0] >= before]

    # ------------------------------------------------------------------ arguments

    def receiver_is_own(self, chain: Chain, before: int) -> bool:
        """Whether a call's receiver is nothing, the object itself, or a value of a type the
        file defines (`r *Registry`, `var client fakeClient`): the file's own method."""
        receiver = chain[1:-1] if chain and chain[0] in _SELF else chain[:-1]
        if not receiver:
            return True
        for _, node in self._bound(receiver[-1], before):  # `t.client`: the field `client`
            bound, _ = self.chain(node)
            if bound and bound[-1] in self.types:
                return True
        return False

    def positional(self, args: Node | None) -> list[Node]:
        """The arguments not given by name, unwrapped."""
        if args is None:
            return []
        found = []
        for child in args.named_children:
            if "comment" in child.type:
                continue
            if child.type in _WRAPPERS and child.child_by_field_name("name") is not None:
                continue  # `waitUntilCompleted: false`
            if child.type == "value_argument" and child.named_child_count > 1:
                continue  # Kotlin's `model = ModelId("x")`
            if child.type == "pair":
                continue  # Ruby's `model: "x"`
            found.append(self.unwrap(child))
        return found

    def pairs(self, args: Node | None) -> dict[str, Node]:
        """Keyed arguments anywhere inside `args`, and inside what the names it passes were
        bound to (`create(params)` where `params` was built just before), first one wins."""
        if args is None:
            return {}
        found: dict[str, Node] = {}
        for node in (args, *self._bound_arguments(args)):
            from tree_sitter import QueryCursor

            for _, match in QueryCursor(self.queries["pairs"]).matches(node):
                if "key" in match and "value" in match:
                    raw = text(self.data, match["key"][0])  # `this.model`, `$this->model`: `model`
                    key = argument_name(raw.replace("->", ".").rsplit(".", 1)[-1])
                    found.setdefault(key, match["value"][0])
        return found

    def _bound_arguments(self, args: Node) -> Iterator[Node]:
        for node in self.positional(args):
            names, _ = self.chain(node)
            if len(names) == 1 and names[0]:
                for _, value in self._bound(names[0], args.start_byte)[:1]:
                    yield value

    def unwrap(self, node: Node) -> Node:
        while node.type in _WRAPPERS and node.named_child_count >= 1:
            node = node.named_children[-1]
        return node

    def value(self, node: Node | None, depth: int = 0) -> str | None:
        """The string an argument stands for: a literal, an SDK constant, a constant bound
        in the file, or what a one-argument wrapper (`string(x)`, `ModelId("x")`) holds."""
        if node is None or depth > 4:
            return None
        node = self.unwrap(node)
        kind = node.type
        if "string" in kind or "symbol" in kind:
            return self._literal(node)
        names, _ = self.chain(node)
        if not names:
            return None
        call_args = next((c for c in node.named_children if c.type in self.syntax.arguments), None)
        if call_args is not None:
            inner = self.positional(call_args)
            return self.value(inner[0], depth + 1) if len(inner) == 1 else None
        chain = tuple(names)
        for key, meaning in self.constants.items():
            if chain[-len(key) :] == key:
                return meaning
        if len(chain) == 1 and chain[0]:
            for _, bound in self._bound(chain[0], node.start_byte)[:1]:
                return self.value(bound, depth + 1)
        return None

    def _literal(self, node: Node) -> str | None:
        raw = text(self.data, node).strip().lstrip(":@$")
        if raw.startswith("r#") or any(mark in raw for mark in _INTERPOLATION):
            return None
        for quote in _QUOTES:
            if len(raw) >= 2 * len(quote) and raw.startswith(quote) and raw.endswith(quote):
                return raw[len(quote) : -len(quote)]
        return raw if _IDENTIFIER.fullmatch(raw) else None  # a Ruby symbol, `:fine_tune`

    def values_in(self, args: Node | None) -> Iterator[str]:
        """The strings every node of the arguments stands for (a bounded walk)."""
        if args is None:
            return
        pending, seen = [args], 0
        while pending and seen < MAX_VALUES:
            node = pending.pop()
            seen += 1
            value = self.value(node)
            if value is not None:
                yield value
            else:
                pending.extend(reversed(node.named_children))

    def span(self, node: Node) -> Span:
        to_char = self.offsets.to_char
        return self.lines.span(to_char(node.start_byte), to_char(node.end_byte))

    def is_test(self) -> bool:
        path = "/" + self.path
        return any(part in path for part in self.syntax.tests)
