"""Python scanner: fine-tuning API calls, model IDs and how they are used, from a libcst tree.

`scan_python` reports facts only. Model IDs are found by the shared grammar on the raw text
(so comments count too) and the tree gives them context: the call and keyword they are
passed to, the name they are assigned to, or a dict key that only names a price-table row.
Calls are resolved to qualified names by `names` and reported when they match the
patterns' call globs. When configuration sets variables to model IDs (`patterns.env_vars`),
code that reads one of them is reported too: `os.environ`, `os.getenv`, `dotenv_values`
and the fields of pydantic settings classes. A file libcst cannot parse is scanned as plain
text, with a notification.

Speed: a file in which the tree could add nothing is not parsed, the tree is walked by hand
rather than by libcst's visitors, and only the nodes being reported are given positions.
The work is split by job: `tree` parses safely and finds positions, `prefilter` decides
whether to parse, `binder` and `names` bind and resolve names (`sdk` holds what is known of
the SDKs), `collect` notes literals and their context in the same walk, `settings` reads
pydantic settings and environment readers, and `evidence` turns it all into evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ftscan.frozen import replace
from ftscan.model_ids import find_model_ids
from ftscan.rules.globs import glob_set
from ftscan.scan.positions import LazyLineIndex, LineIndex
from ftscan.scan.python.collect import Collector
from ftscan.scan.python.evidence import TreeEvidence
from ftscan.scan.python.names import Names
from ftscan.scan.python.prefilter import PARTIAL_HINT, could_call, needs_tree, only_in_comments
from ftscan.scan.python.sdk import GUESS_ROOTS
from ftscan.scan.python.sinks import judge
from ftscan.scan.python.tree import Unparsable, parse, parses_as_python
from ftscan.scan.text import is_comment_at, pattern_evidence, scan_text
from ftscan.types import Evidence, EvidenceKind, FileResult, Helper, Notification, ScanPatterns

__all__ = ["Unparsable", "parse", "parses_as_python", "scan_as_text", "scan_python", "text_calls"]

# `a.b.c(` outside any parse, blanks around the dots allowed, not inside a longer name.
_DOTTED_CALL = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)+)[ \t]*\(")


def scan_python(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    """Evidence of fine-tuning dependencies in one Python source file."""
    try:
        return _scan(path, text, patterns)
    except Unparsable as error:
        message = f"{error}; scanned as plain text"
    except RecursionError:
        message = "nested too deeply to analyse; scanned as plain text"
    except Exception as error:  # any input must give a result, never a crash
        message = f"could not analyse the tree ({type(error).__name__}); scanned as plain text"
    return scan_as_text(path, text, patterns, (Notification(path, "parse-error", message),))


def scan_as_text(
    path: str, text: str, patterns: ScanPatterns, notifications: tuple[Notification, ...] = ()
) -> FileResult:
    """What can be seen in Python code without a tree: the text finders and `text_calls`."""
    result = scan_text(path, text, patterns, notifications)
    calls = tuple(text_calls(path, text, patterns))
    return replace(result, evidence=(*result.evidence, *calls)) if calls else result


def text_calls(path: str, text: str, patterns: ScanPatterns) -> Iterator[Evidence]:
    """Fine-tuning calls seen in the text of a file that does not parse (Python 2, a syntax
    error): `openai.<chain>(` and `<anything>.<guess root>.<chain>(`, named as the tree would
    guess them, at medium confidence (low on a comment line)."""
    if not patterns.calls or not could_call(text, patterns.calls):
        return
    lines = LineIndex(text)
    for match in _DOTTED_CALL.finditer(text):
        names = [name.strip() for name in match[1].split(".")]
        if names[0] == "openai":
            qname = ".".join(names)
        else:
            start = next((i for i, name in enumerate(names) if name in GUESS_ROOTS), None)
            if start is None or len(names) - start < 2:
                continue
            qname = "openai." + ".".join(names[start:])
        if not glob_set(patterns.calls).fullmatch(qname):
            continue
        span = lines.span(match.start(1), match.end(1))
        commented = is_comment_at(text, lines.starts[span.line - 1], match.start())
        yield Evidence(
            kind=EvidenceKind.API_CALL,
            path=path,
            span=span,
            value=qname,
            call=qname,
            confidence="low" if commented else "medium",
            props=(("resolved", "text"), *((("context", "comment"),) if commented else ())),
        )


def _scan(path: str, text: str, patterns: ScanPatterns) -> FileResult:
    lines = LazyLineIndex(text)  # found on first use: most files yield nothing
    ids = list(find_model_ids(text))
    evidence = list(pattern_evidence(path, text, patterns, lines))
    shift = 1 if text.startswith("\ufeff") else 0  # libcst drops a byte-order mark
    source = text[shift:]
    helpers: tuple[Helper, ...] = ()
    if ids or _tree_may_add(text, source, patterns):
        module = parse(source)
        collector = Collector(patterns, partials=PARTIAL_HINT.search(source) is not None)
        collector.walk(module)
        names = Names()
        names.run(collector.events)
        tree = TreeEvidence(path, patterns, module, collector, names)
        evidence.extend(tree.build(ids, source, shift, lines))
        helpers = tree.helpers
    evidence = judge(path, text, evidence, patterns)
    evidence.sort(key=lambda e: (e.span, e.kind, e.value))
    return FileResult(path, tuple(evidence), helpers=helpers)


def _tree_may_add(text: str, source: str, patterns: ScanPatterns) -> bool:
    """`needs_tree`, but not for a file that parses and names its calls only in comments:
    the tree reads no comment. One that does not parse still goes to `parse`, which fails
    and falls back on the text as for any other file."""
    if not needs_tree(text, patterns):
        return False
    return not (only_in_comments(text, patterns) and parses_as_python(source))
