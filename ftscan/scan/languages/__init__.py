"""Go, Java, Kotlin, Ruby, C# and PHP: every language but Python and JavaScript, one scanner.

Each file is first scanned as text (model IDs, REST paths, CLI commands), and nothing that
scan finds is dropped. Its tree-sitter tree (`syntax`: one grammar per language, imported on
the first file that needs it) then adds the SDK calls the rules ask about: what each SDK
calls its methods, clients and constants is data in the rule packs (`sdks`), read by
`calls`; `facts` gives the chains, arguments and bindings every language shares. A region
that does not parse is reported (`parse-error`) and keeps its text findings.
"""

from __future__ import annotations

import re

from ftscan.frozen import replace
from ftscan.scan.text import scan_text
from ftscan.types import Evidence, EvidenceKind, FileResult, ScanPatterns

MAX_LINE = 5000  # a line longer than this: generated or minified, read as text only
# `echo`/`printf` as the command of a line or of a part of it (`make && echo ...`).
_ECHO = re.compile(r"(?:^|[;&|({]|\bthen|\bdo|@)\s*(?:echo|printf)\b")


def scan_language(path: str, text: str, patterns: ScanPatterns, kind: str) -> FileResult:
    """Evidence of fine-tuning dependencies in one file of a language in `syntax.LANGUAGES`."""
    result = scan_text(path, text, patterns)
    if not patterns.sdks or max(map(len, text.splitlines()), default=0) > MAX_LINE:
        return result
    from ftscan.scan.trees import analysed

    return analysed(path, result, lambda: _analyse(path, text, patterns, kind, result))


def _analyse(path: str, text: str, patterns: ScanPatterns, kind: str, result: FileResult) -> FileResult:
    from ftscan.scan.languages.calls import sdk_calls
    from ftscan.scan.languages.facts import Facts
    from ftscan.scan.languages.uploads import http_uploads
    from ftscan.scan.trees import with_regions

    facts = Facts(kind, path, text, tuple(s for s in patterns.sdks if kind in s.languages))
    calls = list(sdk_calls(facts, patterns))
    seen = {ev.span.line for ev in calls if ev.value == "openai.files.create"}
    uploads = [
        ev for ev in http_uploads(path, kind, facts.data, facts.root, text) if ev.span.line not in seen
    ]
    return with_regions(replace(result, evidence=(*result.evidence, *calls, *uploads)), facts.root)


def scan_shell(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    """A shell script, Makefile or Dockerfile: its text, and the uploads its `curl` commands
    make (`-F purpose=fine-tune`, on a continuation line or not). Commands are read as text,
    joined across `\\` line ends: a shell grammar crashed on fuzzed input, and a scan of
    an untrusted tree must not."""
    result = scan_text(path, text, patterns)
    if "echo" in text or "printf" in text:
        result = replace(result, evidence=tuple(ev for ev in result.evidence if not echoed(text, ev)))
    if "fine-tune" not in text:
        return result
    from ftscan.scan.languages.uploads import command_uploads

    return replace(result, evidence=(*result.evidence, *command_uploads(path, text)))


def echoed(text: str, evidence: Evidence) -> bool:
    """A command or path that a shell line only prints (`echo "then run: openai api ..."`):
    shown to a person, not run (a model ID in it stays)."""
    if evidence.kind not in (EvidenceKind.CLI, EvidenceKind.REST_PATH):
        return False
    lines = text.splitlines()
    line = lines[evidence.span.line - 1] if evidence.span.line <= len(lines) else ""
    return _ECHO.search(line[: evidence.span.column - 1]) is not None


def _scanner(kind: str):  # type: ignore[no-untyped-def]
    def scan(path: str, text: str, patterns: ScanPatterns) -> FileResult:
        return scan_language(path, text, patterns, kind)

    scan.__name__ = f"scan_{kind}"
    return scan


scan_go = _scanner("go")
scan_java = _scanner("java")
scan_kotlin = _scanner("kotlin")
scan_ruby = _scanner("ruby")
scan_csharp = _scanner("csharp")
scan_php = _scanner("php")
