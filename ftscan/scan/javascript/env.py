"""Reads of environment variables in a JavaScript or TypeScript tree.

Only the variables configuration sets to model IDs are looked for (`patterns.env_vars`,
known after the first pass): each occurrence of a name in the text is checked against the
node it falls on, so a file is never walked for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ftscan.scan.javascript.facts import Facts
from ftscan.scan.javascript.grammar import Node
from ftscan.scan.javascript.names import string_value, text, unwrap
from ftscan.scan.javascript.sdk import ENV_FUNCTIONS, ENV_OBJECTS
from ftscan.types import Evidence, EvidenceKind, Props


def env_reads(facts: Facts) -> Iterator[Evidence]:
    """`process.env.X`, `process.env["X"]`, `const { X } = process.env`, `import.meta.env.X`,
    `Deno.env.get("X")`, for the variables configuration sets to model IDs."""
    names = sorted(name for name in facts.patterns.env_vars if name in facts.text)
    if not names:
        return
    pattern = re.compile(r"(?<![\w$])(?:" + "|".join(map(re.escape, names)) + r")(?![\w$])")
    for match in pattern.finditer(facts.text):
        start, end = facts.offsets.to_byte(match.start()), facts.offsets.to_byte(match.end())
        node = facts.root.descendant_for_byte_range(start, end)
        read = _env_reader(node) if node is not None else None
        if read is not None:
            at, call = read
            yield facts.evidence(
                EvidenceKind.ENV_READ, at, match[0], call=call, confidence="high", props=_default(at)
            )


def _default(node: Node) -> Props:
    """`process.env.X ?? "ft:..."`: the literal used when the variable is not set."""
    expr = node.parent if node.type in ("property_identifier", "string") else node
    if node.type == "string_fragment":
        expr = node.parent.parent
    parent = expr.parent if expr is not None else None
    if parent is not None and parent.type == "binary_expression":
        operator = parent.child_by_field_name("operator")
        right = parent.child_by_field_name("right")
        if operator is not None and text(operator) in ("??", "||") and right is not None:
            literal = string_value(unwrap(right))
            return (("default", literal),) if literal is not None else ()
    return ()


def _env_reader(node: Node) -> tuple[Node, str] | None:
    """(the node to point at, the reader) when `node` names a variable in a read."""
    parent = node.parent
    if parent is None:
        return None
    if node.type == "property_identifier" and parent.type == "member_expression":
        obj = parent.child_by_field_name("object")
        grand = parent.parent
        assigned = (
            grand is not None
            and grand.type == "assignment_expression"
            and grand.child_by_field_name("left") is not None
            and grand.child_by_field_name("left").id == parent.id
        )
        written = "".join(text(obj).split()) if obj is not None else ""
        if written in ENV_OBJECTS and not assigned:
            return node, written
        return None
    if node.type == "string_fragment" and parent.type == "string":
        holder = parent.parent
        if holder is not None and holder.type == "subscript_expression":
            obj = holder.child_by_field_name("object")
            written = "".join(text(obj).split()) if obj is not None else ""
            return (parent, written) if written in ENV_OBJECTS else None
        if holder is not None and holder.type == "arguments" and holder.parent is not None:
            func = holder.parent.child_by_field_name("function")
            written = "".join(text(func).split()) if func is not None else ""
            return (parent, written) if written in ENV_FUNCTIONS else None
        return None
    if node.type in ("shorthand_property_identifier_pattern", "property_identifier"):
        pattern = parent if node.type.endswith("pattern") else parent.parent
        if pattern is not None and pattern.type == "object_assignment_pattern":  # `{ X = "d" }`
            pattern = pattern.parent
        if parent.type == "pair_pattern" and parent.child_by_field_name("key").id != node.id:
            return None
        declarator = pattern.parent if pattern is not None and pattern.type == "object_pattern" else None
        if declarator is not None and declarator.type == "variable_declarator":
            value = declarator.child_by_field_name("value")
            written = "".join(text(value).split()) if value is not None else ""
            return (node, written) if written in ENV_OBJECTS else None
    return None
