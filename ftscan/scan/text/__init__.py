"""Language-agnostic finders over raw text: model IDs, REST paths, CLI commands, rule regexes.

Every other scanner falls back on these when it cannot parse a file, and uses them for
what its parser cannot see (comments, strings inside shell lines).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import cache

from ftscan.model_ids import find_model_ids
from ftscan.scan.positions import LineIndex
from ftscan.types import Evidence, EvidenceKind, FileResult, Notification, Props, ScanPatterns

_URL_CHARS = re.compile(r"[\w\-./{}$%:@~]*")
_URL_CHAR_SET = frozenset("-./{}$%:@~_")
_MAX_URL = 512
_HOST = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:)?//[^/]*|^\{[^{}/]*\}|^\$\{?\w+\}?")
_ASSIGNED = re.compile(r"(?:^|[\s;&|(\[,{\"'#])(?:export\s+)?([A-Za-z_]\w*)=[\"']?$")
_DEFAULTED = re.compile(r"\$\{([A-Za-z_]\w*):?[-=?+]$")  # `${OPENAI_MODEL:-ft:...}`
_COMMENT_LEADERS = ("#", "//", "--", ";", "/*", "*", "<!--", "rem ", "REM ")
# How far back from an ID `assigned_name` looks: a search anchored at the end still tries
# every start, so an unbounded prefix makes many IDs on one long line quadratic.
_ASSIGN_WINDOW = 256
_BLANK_RUN = re.compile(r"\s*")
# A CLI command's arguments: how far they are read, where the command ends, and the flags
# that name what a job is built from (the `openai` CLI's own spellings).
_MAX_ARGUMENTS = 1024
_CONTINUATION = re.compile(r"\\(?:\r\n|\r|\n)")
_COMMAND_END = re.compile(r"[\r\n;|&)`]|\s#")
_ESCAPED_COMMAND_END = re.compile(r"[\r\n;|&)`\"]|\s#|\\[nr]")  # in a JSON string's raw text
_ESCAPED_SUFFIXES = (".json", ".ipynb", ".jsonl", ".ndjson")
_ARGUMENT = re.compile(r"\"[^\"]*\"|'[^']*'|[^\s\"']+")
_NOT_LITERAL = re.compile(r"[$<>{}%*]")
_CLI_FLAGS = {
    "-m": "arg:model",
    "--model": "arg:model",
    "-t": "arg:training_file",
    "--training_file": "arg:training_file",
    "--training-file": "arg:training_file",
    "-v": "arg:validation_file",
    "--validation_file": "arg:validation_file",
    "--validation-file": "arg:validation_file",
    "-s": "arg:suffix",
    "--suffix": "arg:suffix",
}

Found = tuple[int, int, str]  # start, end (exclusive), value


def scan_text(
    path: str, text: str, patterns: ScanPatterns, notifications: tuple[Notification, ...] = ()
) -> FileResult:
    """Scan any text file: every finder, with lines marked as comments at low confidence."""
    lines = LineIndex(text)
    evidence = list(model_id_evidence(path, text, lines))
    evidence.extend(pattern_evidence(path, text, patterns, lines))
    return FileResult(path, tuple(evidence), notifications)


def model_id_evidence(path: str, text: str, lines: LineIndex) -> Iterator[Evidence]:
    """Model IDs anywhere in the text; placeholders and commented lines at low confidence.

    A shell-style assignment (`export MODEL=ft:...`, Dockerfile `ENV MODEL=ft:...`) names
    the environment variable the ID is set to.
    """
    for match in find_model_ids(text):
        span = lines.span(match.start, match.end)
        line_start = lines.starts[span.line - 1]
        commented = is_comment_at(text, line_start, match.end)
        low = match.model.placeholder or commented
        props: list[tuple[str, str]] = [("context", "comment")] if commented else []
        same_line = span.line == span.end_line
        name = assigned_name(text_before(text, line_start, match.start)) if same_line else None
        if name:
            props.append(("env_var", name))
        yield Evidence(
            kind=EvidenceKind.MODEL_ID,
            path=path,
            span=span,
            value=match.model.raw,
            model=match.model,
            confidence="low" if low else ("medium" if match.model.flavor == "partial" else "high"),
            props=tuple(props),
        )


def pattern_evidence(path: str, text: str, patterns: ScanPatterns, lines: LineIndex) -> Iterator[Evidence]:
    """REST paths, CLI commands and rule regexes: the same in every kind of file."""
    for start, end, value, azure, app in find_rest_paths(text, patterns):
        props = (("platform", "azure"),) if azure else (("route", "app"),) if app else ()
        yield Evidence(
            kind=EvidenceKind.REST_PATH, path=path, span=lines.span(start, end), value=value, props=props
        )
    escaped = path.endswith(_ESCAPED_SUFFIXES)
    for start, end, value in find_cli(text, patterns):
        yield Evidence(
            kind=EvidenceKind.CLI,
            path=path,
            span=lines.span(start, end),
            value=value,
            props=cli_arguments(text, end, escaped),
        )
    for rule_id, regex in patterns.text:
        for match in regex.finditer(text):
            yield Evidence(
                kind=EvidenceKind.TEXT,
                path=path,
                span=lines.span(match.start(), match.end()),
                value=match.group(),
                props=(("rule", rule_id),),
            )


def find_rest_paths(text: str, patterns: ScanPatterns) -> Iterator[tuple[int, int, str, bool, bool]]:
    """HTTP paths that hold a fragment the rules ask for, host and query stripped, whether
    each is Azure OpenAI's (`{endpoint}/openai/fine_tuning/jobs?api-version=...`, a path on an
    `*.azure.com` host), and whether it is an application's own route: on no host or
    another one, a path that starts neither at OpenAI's `/v1` nor at a resource of its API
    (`/api/fine-tunes/42`, `http://localhost:3000/fine-tunes`), not OpenAI's.

    `https://api.openai.com/v1/fine_tuning/jobs?limit=5` gives `/v1/fine_tuning/jobs`.
    """
    seen: set[int] = set()
    for fragment in patterns.rest_paths:
        index = text.find(fragment)
        while index >= 0:
            start = index
            while start > index - _MAX_URL and start and _is_url_char(text[start - 1]):
                start -= 1
            end = _URL_CHARS.match(text, index).end()
            index = text.find(fragment, end)
            if start in seen:
                continue
            seen.add(start)
            url = text[start:end]
            host = _HOST.match(url)
            offset = host.end() if host else 0
            path = url[offset:].rstrip(".:")
            if path.startswith("/"):
                named = host.group().lower() if host is not None else ""
                azure = path.startswith("/openai/") or ".azure.com" in named
                yield start + offset, start + offset + len(path), path, azure, _app_route(path, named)


_API_ROOTS = ("v1", "openai", "fine_tuning", "fine-tunes", "files", "uploads")


def _app_route(path: str, host: str) -> bool:
    """A path an application serves or calls on itself, not OpenAI's: it starts neither at
    `/v1` nor at one of the API's resources, unless the host is OpenAI's (or a placeholder
    for a base URL: `{base}`, `${OPENAI_BASE_URL}`)."""
    if "openai" in host or host.startswith(("{", "$")):
        return False
    first = path.lstrip("/").split("/", 1)[0]
    return first not in _API_ROOTS and not first.startswith("{")


def find_cli(text: str, patterns: ScanPatterns) -> Iterator[Found]:
    """Shell commands matching the rules' command globs, whitespace normalised.

    Several globs can match one command (`openai api *`, `openai api fine_tunes.*`): the
    command is reported once, with its longest reading.
    """
    longest: dict[int, Found] = {}
    for glob in patterns.cli:
        first = glob.split()[0]  # every match starts with it: a regex is compiled only if it is there
        if "*" not in first and first not in text:
            continue
        for match in cli_regex(glob).finditer(text):
            start, end = match.span()
            if start not in longest or end > longest[start][1]:
                longest[start] = (start, end, " ".join(match.group().split()))
    yield from (longest[start] for start in sorted(longest))


def cli_arguments(text: str, end: int, escaped: bool = False) -> Props:
    """The job's arguments after a command that ends at `end`, as a call's keywords would be:
    `-m gpt-4o-mini -t file-abc` gives `arg:model` and `arg:training_file`.

    Only the rest of the command is read (to a line end, a shell separator or a comment;
    a backslash continues the line), and only literal values: `"$BASE_MODEL"` is left out.
    In the raw text of a JSON string (`escaped`), `\\n` and the closing quote end it too.
    """
    rest = _CONTINUATION.sub(" ", text[end : end + _MAX_ARGUMENTS])
    command = (_ESCAPED_COMMAND_END if escaped else _COMMAND_END).split(rest, 1)[0]
    words = [word.strip("\"'") for word in _ARGUMENT.findall(command)]
    found: dict[str, str] = {}
    for word, following in itertools.zip_longest(words, words[1:], fillvalue=""):
        flag, value = word, following
        if word.startswith("--") and "=" in word:  # `--model=curie`, `--suffix="a b"`
            flag, _, value = word.partition("=")
            value = value or following
        key = _CLI_FLAGS.get(flag)
        if key and value and not value.startswith("-") and not _NOT_LITERAL.search(value):
            found[key] = value  # the last one wins, as with argparse
    return tuple(sorted(found.items()))


def _is_url_char(char: str) -> bool:
    return char.isalnum() or char in _URL_CHAR_SET


def assigned_name(prefix: str) -> str | None:
    """The variable a shell-style assignment gives the text after `prefix`: `export MODEL=` -> MODEL,
    and the variable an expansion falls back to it for: `${MODEL:-` -> MODEL.

    Only the last `_ASSIGN_WINDOW` characters count; a name cut by that window is no name.
    """
    if len(prefix) > _ASSIGN_WINDOW:
        prefix = "\0" + prefix[-_ASSIGN_WINDOW:]  # `^` now meets a character that starts no name
    match = _DEFAULTED.search(prefix) or _ASSIGNED.search(prefix)
    return match[1] if match else None


def text_before(text: str, start: int, end: int) -> str:
    """`text[start:end]`, or as much of its end as `assigned_name` reads: no copy of a long line per ID."""
    return text[max(start, end - _ASSIGN_WINDOW - 1) : end]


def is_comment_line(line: str) -> bool:
    return line.lstrip().startswith(_COMMENT_LEADERS)


def is_comment_at(text: str, start: int, end: int, leaders: str | tuple[str, ...] = _COMMENT_LEADERS) -> bool:
    """`is_comment_line(text[start:end])` (or with other `leaders`) without copying the text."""
    return text.startswith(leaders, _BLANK_RUN.match(text, start, end).end(), end)


@cache
def cli_regex(glob: str) -> re.Pattern[str]:
    """`openai api fine_tunes.*` -> a regex for that command with any run of blanks between words.

    The first word leads the pattern (its boundary is checked behind it) so that `re` can
    skip ahead to that literal instead of trying every position. A `\\n` escape before it
    is a line break in the raw text of a JSON or YAML string (a command in a code block
    of a parsed page), not a word.
    """
    words = []
    for word in glob.split():
        parts = re.split(r"(\*)", word)
        words.append("".join(r"[^\s'\"`;|&)]*" if p == "*" else re.escape(p) for p in parts))
    first = words[0]
    boundary = rf"(?:(?<![\w\-.]{first})|(?<=\\n{first}))" if "[" not in first else ""
    return re.compile(first + boundary + "".join(r"[ \t]+" + w for w in words[1:]))
