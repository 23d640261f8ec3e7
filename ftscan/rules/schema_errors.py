"""A schema error, told in ftscan's words: the field, what was wanted, the value's shape.

jsonschema's own messages quote the whole value (`'https://x-access-token:...' is not of type
'object'`): a credentials file read as a pack would be printed to the job log. Here a value
appears only as a short excerpt (`ftscan.untrusted.words`), and a wrong type only by its shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ftscan.untrusted.words import excerpt, shape

_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "boolean": "true or false",
    "null": "null",
    "integer": "a whole number",
    "number": "a number",
}


def describe(error: Any) -> tuple[list[str | int], str]:
    """The path to the field at fault and the problem, for the most relevant error."""
    where: list[str | int] = list(error.absolute_path)
    validator, wanted, value = error.validator, error.validator_value, error.instance
    if validator in ("oneOf", "anyOf") and error.context:
        specific = [e for e in error.context if e.validator != "type"]
        if specific:
            import jsonschema

            return describe(jsonschema.exceptions.best_match(specific))
        kinds = [_type_words(e.validator_value) for e in error.context]
        return where, f"expected {' or '.join(dict.fromkeys(kinds))}, got {shape(value)}"
    if validator == "type":
        got = shape(value)
        if not where:
            return where, f"top level is {got}, not {_type_words(wanted)}: not a rule pack"
        return where, f"expected {_type_words(wanted)}, got {got}"
    if validator == "additionalProperties" and isinstance(value, dict):
        allowed = error.schema.get("properties", {})
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            return [*where, unknown[0]], f"unknown field (allowed: {', '.join(sorted(allowed))})"
    if validator == "required" and isinstance(value, dict):
        missing = [name for name in wanted if name not in value]
        return where, f"'{missing[0] if missing else wanted[0]}' is a required property"
    if validator == "enum":
        return where, f"{excerpt(value)} is not one of {', '.join(map(repr, wanted))}"
    if validator == "const":
        return where, f"{excerpt(value)} is not {wanted!r}"
    if validator == "pattern":
        return where, f"{excerpt(value)} does not match {wanted!r}"
    if validator == "format":
        return where, f"{excerpt(value)} is not a {wanted!r}"
    if validator in ("minItems", "minLength"):
        if not value:
            return where, f"{'[]' if validator == 'minItems' else repr('')} should be non-empty"
        return where, f"{_size(value)}, fewer than {wanted}"
    if validator in ("maxItems", "maxLength"):
        return where, f"{_size(value)}, more than the {wanted} allowed"
    return where, f"fails the schema's {validator!r} check"


def _type_words(wanted: str | Sequence[str]) -> str:
    kinds = [wanted] if isinstance(wanted, str) else list(wanted)
    return " or ".join(_TYPES.get(kind, kind) for kind in kinds)


def _size(value: Any) -> str:
    unit = "characters" if isinstance(value, str) else "items"
    return f"{len(value):,} {unit}"
