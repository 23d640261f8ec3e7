"""Find `ftscan: ignore[...]` comments and the lines each one covers.

A comment covers its own line; alone on a line it also covers the next statement; in
Python it covers every line of the statement it sits in (so a comment on any line of a
multi-line call works). `ftscan: ignore-file[...]` covers the whole file. Only files that
contain `ftscan:` pay for this.
"""

from __future__ import annotations

import bisect
import io
import re
import tokenize
from functools import cache

from ftscan.types import IgnoreComment

MARKER = "ftscan:"
_IGNORE = r"ftscan:\s*(?P<kind>ignore-file|ignore)\b(?:\[(?P<rules>[^\]]*)\])?(?:\s*--\s*(?P<reason>.*\S))?"
_COMMENT_LEADER = r"(?:^|[\s\"])(?:#|//|--|;|<!--|/\*)"  # `"#` in notebook JSON
_LEADERS = ("#", "//", "--", ";", "<!--", "/*")
_LINE_BREAK = r"\r\n|\r|\n"  # the line ends of `ftscan.positions.LineIndex`


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    """Compiled on first use: only files that hold `ftscan:` are searched for comments."""
    return re.compile(pattern)


def find_ignores(path: str, text: str, kind: str) -> tuple[IgnoreComment, ...]:
    if MARKER not in text:
        return ()
    if kind in ("python", "notebook"):
        found = _python_ignores(path, text)
        if found is not None:
            return found
    return _line_ignores(path, text)


def _comment(path: str, line: int, comment: str, first: int, last: int) -> IgnoreComment | None:
    match = _regex(_IGNORE).search(comment)
    if match is None:
        return None
    rules = tuple(r.strip() for r in (match["rules"] or "").split(",") if r.strip())
    whole = match["kind"] == "ignore-file"
    return IgnoreComment(path, line, rules, match["reason"], first, last, whole)


def _line_ignores(path: str, text: str) -> tuple[IgnoreComment, ...]:
    lines = _regex(_LINE_BREAK).split(text)  # not `splitlines()`: a form feed ends no line in a report
    found = []
    for number, line in enumerate(lines, start=1):
        at = line.find(MARKER)
        if at < 0 or not _regex(_COMMENT_LEADER).search(line[:at]):
            continue
        alone = line.lstrip().lstrip('"').startswith(_LEADERS)
        last = _next_code_line(lines, number) if alone else number
        ignore = _comment(path, number, line[at:], number, last)
        if ignore:
            found.append(ignore)
    return tuple(found)


def _next_code_line(lines: list[str], number: int) -> int:
    for index in range(number, len(lines)):
        if lines[index].strip():
            return index + 1
    return number


def _python_ignores(path: str, text: str) -> tuple[IgnoreComment, ...] | None:
    """Comments from the tokenizer (never inside strings), covering whole statements."""
    statements: list[tuple[int, int]] = []
    comments: list[tokenize.TokenInfo] = []
    start: int | None = None
    try:
        # Universal newlines: a file with lone `\r` line ends has lines, as in `LineIndex`.
        for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            if token.type == tokenize.COMMENT:
                comments.append(token)
            elif token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                if start is not None:
                    statements.append((start, token.start[0]))
                start = None
            elif token.type not in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT) and start is None:
                start = token.start[0]
    except (tokenize.TokenError, SyntaxError, ValueError):
        return None
    found = []
    starts = [a for a, _ in statements]  # in order, not overlapping: found by bisection
    for token in comments:
        if MARKER not in token.string:
            continue
        line = token.start[0]
        first, last = line, line
        after = bisect.bisect_right(starts, line)  # the first statement starting below the line
        if after and statements[after - 1][1] >= line:
            first, last = statements[after - 1]
        elif not token.line[: token.start[1]].strip() and after < len(statements):
            last = statements[after][1]  # alone on its line: it covers the next statement
        ignore = _comment(path, line, token.string, first, last)
        if ignore:
            found.append(ignore)
    return tuple(found)
