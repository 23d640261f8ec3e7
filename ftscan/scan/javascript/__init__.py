"""JavaScript and TypeScript scanner: the Node SDK's fine-tuning calls, model flow and env reads.

Every file is first scanned as text (model IDs, REST paths, CLI commands), and nothing that
scan finds is dropped except the keys of objects (a price table's rows). The tree-sitter
tree then adds what only structure shows: calls resolved to the rules' qualified names
(`client.fineTuning.jobs.create` is `openai.fine_tuning.jobs.create`), the call and key each
ID flows into, and reads of environment variables. A region that does not parse is reported
(`parse-error`) and keeps its text findings. Type declarations (`.d.ts`) and minified bundles
(`*.min.js`, or a line over 5,000 characters) are scanned as text only: their calls are the
SDK's own or unreadable.

`facts` gives literals their context and finds models passed without an ID, `calls` the
SDK calls, `env` the reads of environment variables; `names` resolves expressions, `sdk`
holds the Node SDK's vocabulary and `grammar` parses (the grammars are imported only here).
"""

from __future__ import annotations

import re

from ftscan.frozen import replace
from ftscan.scan.positions import LineIndex
from ftscan.scan.text import model_id_evidence, pattern_evidence
from ftscan.types import EvidenceKind, FileResult, ScanPatterns

MAX_LINE = 5000
_TEXT_ONLY_SUFFIXES = (".d.ts", ".d.mts", ".d.cts", ".min.js", ".min.mjs", ".min.cjs")


def text_only(path: str, text: str) -> bool:
    """A declaration file or a minified bundle: read for IDs, never analysed as code."""
    if path.lower().endswith(_TEXT_ONLY_SUFFIXES):
        return True
    return len(text) > MAX_LINE and max(map(len, text.splitlines())) > MAX_LINE


def scan_javascript(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    """Evidence of fine-tuning dependencies in one JavaScript or TypeScript file."""
    lines = LineIndex(text)
    found = (*model_id_evidence(path, text, lines), *pattern_evidence(path, text, patterns, lines))
    result = FileResult(path, found)
    if text_only(path, text):
        return result
    from ftscan.scan.trees import analysed

    return analysed(path, result, lambda: _analyse(path, text, patterns, result, lines))


_ROUTE = re.compile(rb"(?:app|router|server|api|routes)\.(?:get|post|put|patch|delete|all|route|use)$")


def _shown(root, data: bytes, lines: LineIndex, facts) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Character ranges of the arguments of `console.*` calls (text shown, not run) and of
    the routes an Express-style app serves (`app.post("/v1/fine_tuning/jobs", ...)`: its own)."""
    if not any(mark in data for mark in (b"console.", b"app.", b"router.", b"server.", b"api.", b"routes.")):
        return []
    ranges = []
    pending = [root]
    while pending:
        node = pending.pop()
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            name = data[callee.start_byte : callee.end_byte] if callee is not None else b""
            if name.startswith(b"console.") or _ROUTE.search(name):
                args = node.child_by_field_name("arguments")
                if args is not None:
                    to_char = facts.offsets.to_char
                    ranges.append((to_char(args.start_byte), to_char(args.end_byte)))
                    continue
        pending.extend(node.named_children)
    return ranges


def _analyse(
    path: str, text: str, patterns: ScanPatterns, result: FileResult, lines: LineIndex
) -> FileResult:
    from ftscan.scan.javascript.calls import api_calls
    from ftscan.scan.javascript.env import env_reads
    from ftscan.scan.javascript.facts import Facts
    from ftscan.scan.javascript.grammar import parse
    from ftscan.scan.trees import with_regions

    data = text.encode("utf-8", "surrogatepass")
    tree = parse(path, data)
    root = tree.root_node
    facts = Facts(path, text, patterns, root, tree.language, lines)
    shown = _shown(root, data, lines, facts)
    evidence = []
    for found in result.evidence:
        if found.kind == EvidenceKind.MODEL_ID:
            found = facts.with_context(found)  # type: ignore[assignment]
        elif found.kind in (EvidenceKind.CLI, EvidenceKind.REST_PATH) and any(
            start <= lines.starts[found.span.line - 1] + found.span.column - 1 < end for start, end in shown
        ):
            continue  # `console.log("run: openai api ...")`: shown to a person, not run
        if found is not None:
            evidence.append(found)
    evidence += api_calls(facts)
    evidence += facts.model_values()
    if patterns.env_vars:
        evidence += env_reads(facts)
    return with_regions(replace(result, evidence=tuple(evidence)), root)
