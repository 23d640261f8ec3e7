"""Training files uploaded over HTTP, in any language ftscan parses with tree-sitter.

An upload is a request to the files endpoint (`https://api.openai.com/v1/files`, Azure's
`{endpoint}/openai/files?api-version=...` or `/openai/v1/files`) whose form says the file
is for fine-tuning. However the form is written (a dict, a hash, a struct, multipart
fields, `curl -F purpose=fine-tune` on a continuation line), the URL and a `purpose` of
`fine-tune` stand in one function, or in one shell command: that is the evidence, reported
at the URL as the rules name an upload (`openai.files.create`, `arg:purpose: fine-tune`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ftscan.scan.positions import LineIndex
from ftscan.scan.trees import Node, Offsets
from ftscan.types import Evidence, EvidenceKind, Span

_FILES = re.compile(
    r"(?:^|[^\w/])(?:[a-z][a-z0-9+.\-]*://[^/\s\"'`]*)?(/v1/files|/openai(?:/v1)?/files)/?(?:\?\S*)?$"
)
_UNITS = ("function", "method", "lambda", "closure")  # node types a request stays within
_COMMAND_END = re.compile(r"(?<!\\)\n")  # a line end not escaped by a `\\`: one command each
_CLIENTS = re.compile(r"(?:^|[\s;&|(`])(?:curl|wget|http|xh)\s")  # the command, not `https://`
_URL = re.compile(r"[^\s'\"]*/files[^\s'\"]*")
_TUNE = "fine-tune"
MAX_URL = 512


def command_uploads(path: str, text: str) -> Iterator[Evidence]:
    """`curl ... /v1/files ... -F purpose=fine-tune` in shell text: each command read whole,
    its lines joined where one ends with `\\`, the evidence at the URL."""
    lines = LineIndex(text)
    start = 0
    for command in _COMMAND_END.split(text):
        if _CLIENTS.search(command) and "purpose" in command and _TUNE in command:
            for url in _URL.finditer(command):
                found = _FILES.search(url.group().strip("\"'"))
                if found:
                    at = start + url.start()
                    azure = found.group(1).startswith("/openai/") or ".azure.com" in url.group()
                    yield _upload(path, lines.span(at, at + len(url.group())), "shell", azure)
        start += len(command) + 1  # the line end that split it


def _upload(path: str, span: Span, kind: str, azure: bool) -> Evidence:
    return Evidence(
        kind=EvidenceKind.API_CALL,
        path=path,
        span=span,
        value="openai.files.create",
        props=(
            ("arg:purpose", _TUNE),
            ("client", "AzureOpenAI" if azure else "OpenAI"),
            ("language", kind),
            ("transport", "http"),
        ),
    )


def http_uploads(path: str, kind: str, data: bytes, root: Node, text: str) -> Iterator[Evidence]:
    offsets, lines = Offsets(text), LineIndex(text)
    for node, url in _urls(data, root):
        unit = _unit(node) or root
        body = data[unit.start_byte : unit.end_byte]
        if b"purpose" not in body or _TUNE.encode() not in body:
            continue
        azure = url.startswith("/openai/") or ".azure.com" in data[node.start_byte : node.end_byte].decode(
            "utf-8", "replace"
        )
        span = lines.span(offsets.to_char(node.start_byte), offsets.to_char(node.end_byte))
        yield _upload(path, span, kind, azure)


def _urls(data: bytes, root: Node) -> Iterator[tuple[Node, str]]:
    """String literals that end with the files endpoint's path."""
    pending = [root]
    while pending:
        node = pending.pop()
        literal = "string" in node.type
        if literal and node.end_byte - node.start_byte <= MAX_URL:
            raw = data[node.start_byte : node.end_byte].decode("utf-8", "replace").strip("\"'`")
            found = _FILES.search(raw)
            if found:
                yield node, found.group(1)
            continue
        pending.extend(reversed(node.named_children))


def _unit(node: Node) -> Node | None:
    """The function a URL stands in."""
    parent = node.parent
    while parent is not None:
        if any(word in parent.type for word in _UNITS) and "call" not in parent.type:
            return parent
        parent = parent.parent
    return None
