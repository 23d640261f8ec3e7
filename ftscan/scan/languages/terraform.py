"""Terraform and OpenTofu: resources of OpenAI providers that train, and model IDs in place.

A resource whose type a pack's `sdks` names for `terraform` (`openai_fine_tuning_job` of
mkdev-me/openai, `openai_finetuning_job` of skyscrapr/openai, `openai_file` with a
`purpose` of `fine-tune`) is reported as the call it makes, its attributes as the call's
arguments. Model IDs (`ft:...` in a `.tfvars`, Azure's `<base>.ft-<hex>` in an
`azurerm_cognitive_deployment`) are found as in any text, each with the block and attribute
that holds it (`key_path`: `resource.azurerm_cognitive_deployment.ft.model.name`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ftscan.frozen import replace
from ftscan.rules.globs import glob_set
from ftscan.rules.sdks import name_key
from ftscan.scan.languages.facts import argument_name
from ftscan.scan.positions import LineIndex
from ftscan.scan.text import scan_text
from ftscan.scan.trees import Node, Offsets, analysed, with_regions
from ftscan.types import Evidence, EvidenceKind, FileResult, ScanPatterns

_CARRIED = ("model", "training_file", "validation_file", "suffix", "purpose")


def scan_terraform(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    result = scan_text(path, text, patterns)
    return analysed(path, result, lambda: _analyse(path, text, patterns, result))


def _analyse(path: str, text: str, patterns: ScanPatterns, result: FileResult) -> FileResult:
    from ftscan.scan.languages.syntax import parser

    data = text.encode("utf-8", "surrogatepass")
    root = parser("terraform").parse(data).root_node
    offsets, lines = Offsets(text), LineIndex(text)
    blocks = list(_blocks(data, root, ()))
    places = _places(data, root, blocks)
    evidence = [_with_place(ev, places, offsets, lines) for ev in result.evidence]
    evidence += _resources(path, data, blocks, patterns, offsets, lines)
    return with_regions(replace(result, evidence=tuple(evidence)), root)


def _blocks(data: bytes, node: Node, outer: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Node]]:
    """Every block with the path of names that leads to it (`resource.openai_file.train`)."""
    for child in node.named_children:
        if child.type == "block":
            names = tuple(
                _text(data, part).strip('"')
                for part in child.named_children
                if part.type in ("identifier", "string_lit")
            )
            yield (*outer, *names), child
            body = next((part for part in child.named_children if part.type == "body"), None)
            if body is not None:
                yield from _blocks(data, body, (*outer, *names))
        elif child.type == "body":
            yield from _blocks(data, child, outer)


def _attributes(data: bytes, block: Node) -> Iterator[tuple[str, Node]]:
    """The attributes of a block's body (or of the file's, for the root)."""
    body = next((part for part in block.named_children if part.type == "body"), None)
    for child in body.named_children if body is not None else ():
        if child.type == "attribute" and child.named_child_count >= 2:
            yield _text(data, child.named_children[0]), child.named_children[1]


def _resources(path, data, blocks, patterns, offsets, lines) -> Iterator[Evidence]:  # type: ignore[no-untyped-def]
    calls = {
        key[0]: qname for sdk in patterns.sdks if "terraform" in sdk.languages for key, qname, _ in sdk.calls
    }
    if not calls or not patterns.calls:
        return
    wanted = glob_set(patterns.calls).fullmatch
    for names, block in blocks:
        if len(names) < 2 or names[0] != "resource" or name_key(names[1]) not in calls:
            continue
        qname = calls[name_key(names[1])]
        if not wanted(qname):
            continue
        carried = {}
        for key, value in _attributes(data, block):
            literal = _literal(data, value)
            key = argument_name(key)
            if key in _CARRIED and literal is not None:
                carried[key] = literal
        label = block.named_children[1]
        props = tuple((f"arg:{k}", v) for k, v in sorted(carried.items()))
        props += (("client", "OpenAI"), ("key_path", ".".join(names)), ("language", "terraform"))
        yield Evidence(
            kind=EvidenceKind.API_CALL,
            path=path,
            span=lines.span(offsets.to_char(label.start_byte), offsets.to_char(label.end_byte)),
            value=qname,
            props=props,
        )


def _places(data: bytes, root: Node, blocks) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    """Every attribute's byte range and its key path (a `.tfvars` assignment is its name)."""
    found = [(value.start_byte, value.end_byte, key) for key, value in _attributes(data, root)]
    for names, block in blocks:
        for key, value in _attributes(data, block):
            found.append((value.start_byte, value.end_byte, ".".join((*names, key))))
    return found


def _with_place(evidence: Evidence, places, offsets: Offsets, lines: LineIndex) -> Evidence:  # type: ignore[no-untyped-def]
    """A model ID with the block and attribute that holds it (`key_path`)."""
    if evidence.kind != EvidenceKind.MODEL_ID or evidence.prop("key_path"):
        return evidence
    at = offsets.to_byte(lines.starts[evidence.span.line - 1] + evidence.span.column - 1)
    holding = [path for start, end, path in places if start <= at < end]
    if not holding:
        return evidence
    return replace(evidence, props=(*evidence.props, ("key_path", max(holding, key=len))))


def _literal(data: bytes, node: Node) -> str | None:
    raw = _text(data, node).strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"' and "${" not in raw:
        return raw[1:-1]
    return None


def _text(data: bytes, node: Node) -> str:
    return data[node.start_byte : node.end_byte].decode("utf-8", "replace")
