"""SDK calls in a JavaScript or TypeScript tree, named as the rules name them.

A call whose callee resolves (`names`) is reported under its qualified name when a rule's
glob matches it. One whose receiver ftscan cannot follow (a client imported from another
file, returned by a function) is guessed from its chain, at medium confidence, as the
Python scanner guesses: from `fineTuning`, `fineTunes` or `beta` on, from `files`/`uploads`
with `purpose: "fine-tune"`, or from a v3 fine-tune method.
"""

from __future__ import annotations

from collections.abc import Iterator

from ftscan.rules.globs import glob_set
from ftscan.scan.javascript.facts import Facts
from ftscan.scan.javascript.grammar import Node, error_regions
from ftscan.scan.javascript.names import Value, constant, first_object, object_pairs, text, unwrap
from ftscan.scan.javascript.sdk import (
    GUESS_ROOTS,
    OPENAI,
    UPLOAD_ROOTS,
    V3_GUESSES,
    V3_METHODS,
    V3_POSITIONAL,
    snake,
)
from ftscan.types import Confidence, Evidence, EvidenceKind, Props


def api_calls(facts: Facts) -> Iterator[Evidence]:
    """Every call the rules ask about, resolved through `names` or guessed from its chain."""
    if not facts.patterns.calls:
        return
    globs = glob_set(facts.patterns.calls)
    for node in facts.calls:
        callee = unwrap(
            node.child_by_field_name("function" if node.type == "call_expression" else "constructor")
        )
        if callee is None or callee.type not in (
            "identifier",
            "member_expression",
            "subscript_expression",
        ):
            continue
        value = facts.names.resolve(callee)
        if value is not None:
            if globs.fullmatch(value.qname):
                confidence: Confidence = "low" if value.other_provider else "high"
                yield _call(facts, node, callee, value.qname, confidence, _client_props(value, node))
            continue
        guess = _guess(facts, callee, node)
        if guess is not None and globs.fullmatch(guess):
            yield _call(
                facts, node, callee, guess, "medium", (*_client_props(None, node), ("resolved", "guess"))
            )


_TEST_PARTS = (".test.", ".spec.", "/__tests__/", "/test/", "/tests/", "/e2e/")
_DOUBLES = ("jest.mock(", "vi.mock(", "sinon.", "mockResolvedValue", "mockImplementation", "nock(", "msw")


def test_double(facts: Facts) -> bool:
    """A test file that mocks its clients (`vi.mock("openai")`, `jest.mock(...)`, sinon, nock,
    msw): its SDK calls exercise a double, not OpenAI."""
    path = "/" + facts.path
    return any(part in path for part in _TEST_PARTS) and any(d in facts.text for d in _DOUBLES)


def _call(
    facts: Facts, node: Node, callee: Node, qname: str, confidence: Confidence, props: Props
) -> Evidence:
    props += _arguments(facts, node, qname)
    if test_double(facts):
        confidence, props = "low", (*props, ("context", "test-double"))
    if callee.has_error:
        return _recovered(facts, callee, qname, confidence, props)
    return facts.evidence(
        EvidenceKind.API_CALL, callee, qname, call=qname, confidence=confidence, props=props
    )


def _recovered(facts: Facts, callee: Node, qname: str, confidence: Confidence, props: Props) -> Evidence:
    """A call whose callee holds a region that does not parse: its place starts after it."""
    after = max(error.end_byte for error in error_regions(callee))
    current, start = callee, callee
    while current is not None and current.type == "member_expression":
        prop = current.child_by_field_name("property")
        if prop is not None and prop.start_byte >= after:
            start = prop
        current = current.child_by_field_name("object")
    begin, end = facts.offsets.to_char(start.start_byte), facts.offsets.to_char(callee.end_byte)
    span = facts.lines.span(begin, end)
    return Evidence(
        EvidenceKind.API_CALL, facts.path, span, qname, call=qname, confidence=confidence, props=props
    )


def _arguments(facts: Facts, node: Node, qname: str) -> Props:
    """`("arg:<key>", value)` for each string option of the call (v3: each positional string)."""
    args = node.child_by_field_name("arguments")
    props = tuple(
        (f"arg:{key}", value)
        for key, expr in object_pairs(first_object(args))
        if (value := constant(expr, facts.names)) is not None
    )
    method = next((m for m, q in V3_METHODS.items() if q == qname and m in V3_POSITIONAL), None)
    if method is not None and args is not None:
        positional = args.named_children
        props += tuple(
            (f"arg:{name}", value)
            for name, expr in zip(V3_POSITIONAL[method], positional, strict=False)
            if (value := constant(expr, facts.names)) is not None
        )
    return props


def _guess(facts: Facts, callee: Node, node: Node) -> str | None:
    """`<anything>.fineTuning.jobs.create` on a receiver ftscan cannot follow, in the rules' names."""
    chain: list[str] = []
    current = callee
    while current is not None and current.type == "member_expression":
        prop = current.child_by_field_name("property")
        chain.append(text(prop) if prop is not None else "")
        current = unwrap(current.child_by_field_name("object"))
    chain.reverse()
    if current is not None and current.type == "identifier" and facts.names.lookup(current, text(current)):
        return None  # the root is known, and not an OpenAI client
    purpose = None
    for index, name in enumerate(chain):
        segment = snake(name)
        if segment in UPLOAD_ROOTS and purpose is None:
            purpose = dict(_arguments(facts, node, "")).get("arg:purpose", "")
        if segment in GUESS_ROOTS or (segment in UPLOAD_ROOTS and purpose == "fine-tune"):
            return ".".join([OPENAI, *(snake(n) for n in chain[index:])])
    if chain and chain[-1] in V3_GUESSES:
        return V3_METHODS[chain[-1]]
    if chain and chain[-1] == "createFile":
        args = node.child_by_field_name("arguments")
        second = args.named_children[1] if args is not None and len(args.named_children) > 1 else None
        return V3_METHODS["createFile"] if constant(second, facts.names) == "fine-tune" else None
    return None


def _client_props(value: Value | None, node: Node) -> Props:
    props: Props = ()
    if value is not None and value.client:
        props += (("client", value.client),)
    parent = node.parent
    if parent is not None and parent.type == "await_expression":
        props += (("async", "true"),)
    if value is not None and value.other_provider:
        props += (("provider", "other"),)
    return props
