"""Prose or code: which lines of a document are sentences, where an API mention is not a dependency.

Repositories ship OpenAI's own documentation as retrieval corpora (`data/*.txt`, CSVs of
scraped pages, JSON of parsed PDFs, Markdown). A REST path, a CLI command, the Assistants
header or a placeholder ID in a sentence there describes the API; it does not call it. A
complete fine-tuned ID in a sentence still names a real model, so it stays, as a note.

Which files: Markdown, text documents (`DOCUMENT_SUFFIXES`) and the data formats (JSON,
JSON Lines, YAML, TOML). Code, scripts and `.env` files are never prose. Within them the
decision is by content, line by line, only for the lines that hold a mention (time linear
in the text):

- Code always counts: a fenced block (```` ``` ```` or `~~~`), an indented block (four spaces
  or a tab after a blank line), a `$ `, `>>> ` or `% ` prompt line and the lines it continues
  with `\\`.
- In Markdown, and in a text document that has a fence (a Markdown dump saved as `.txt`),
  every other line is prose: Markdown marks its code.
- Elsewhere a table row (`| ... | ... |`) is prose, and so is a line that reads as a
  sentence (`is_sentence`): at least `MIN_WORDS` words, words being at least `WORD_SHARE` of
  its tokens, not starting with a command (`curl`, `openai`, `echo`, ...) nor ending with a
  `\\` continuation. A line right after a sentence needs only the share (a paragraph's short
  last line; the sentence before must be one on its own). In JSON, each string value is
  read on its own, its `\\n` escapes ending lines; keys and structure are never prose. So a
  one-line command, a YAML `command:` or a CSV row of IDs is not prose.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

from ftscan.frozen import replace
from ftscan.scan.positions import LineIndex
from ftscan.types import Evidence, EvidenceKind, FileResult

DOCUMENT_SUFFIXES = (".txt", ".text", ".csv", ".tsv", ".rst", ".adoc", ".asciidoc", ".org")
_ESCAPED_KINDS = frozenset({"json", "jsonl"})
_LINE_KINDS = frozenset({"yaml", "toml"})
MIN_WORDS = 6
WORD_SHARE = 0.6
# Mentions of the API surface: in prose they describe it. Model IDs are judged apart.
_SURFACE = frozenset({EvidenceKind.REST_PATH, EvidenceKind.CLI, EvidenceKind.TEXT})
_FILTERED = _SURFACE | {EvidenceKind.MODEL_ID}
# A line starting with one of these runs something, whatever its words.
_SHELL = ("curl", "wget", "http", "echo", "export", "sudo")
_TOOLS = ("python", "python3", "pip", "pip3", "openai", "instructor", "npx", "node")
_COMMANDS = frozenset((*_SHELL, *_TOOLS, "ENV"))
_PROMPTS = ("$ ", ">>> ", "% ")
_MARKS = frozenset({"-", "*", "+", ">", "RUN", "CMD"})
# A word: letters (any script), inner hyphens or apostrophes, light punctuation around it.
_WORD = re.compile(
    "[\"'(\\[*_\u201c\u2018]*[^\\W\\d_]+(?:['\u2019\\-][^\\W\\d_]+)*[\"')\\]*_.,;:!?\u201d\u2019]*"
)
# An opening or closing fence, after any indent or blockquote marks.
_FENCE = re.compile(r"[ \t>]*(?P<fence>`{3,}|~{3,})(?P<info>.*)")
_FENCE_START = re.compile(r"^[ \t>]*(?:```|~~~)", re.MULTILINE)
_FENCE_LINE = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})(?P<info>[^\r\n]*)", re.MULTILINE)
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BREAK = re.compile(r"\r\n|\n|\r")
_ESCAPED_BREAK = re.compile(r"\\r\\n|\\n|\\r")

Segment = tuple[int, int]  # start, end (exclusive) of a line, or of a line of a string value


def applies_to(path: str, kind: str) -> bool:
    """Whether the file can hold prose at all: documentation and data, never code or scripts."""
    if kind in ("markdown", *_ESCAPED_KINDS, *_LINE_KINDS):
        return True
    return kind == "text" and path.lower().endswith(DOCUMENT_SUFFIXES)


def fence(line: str) -> re.Match[str] | None:
    """The fence a line opens or closes (`fence`, `info` groups), if it is one."""
    if "```" not in line and "~~~" not in line:
        return None
    return _FENCE.fullmatch(line)


def is_sentence(line: str, after_sentence: bool = False) -> bool:
    """Whether a line reads as a sentence rather than code, a command or a record.

    A command with a long quoted argument (`- run: openai ... --suffix "a bot for the help
    desk team"`) has many words: what it starts with decides.
    """
    tokens = line.split()
    if not tokens or tokens[-1].endswith("\\"):
        return False
    # The command a line runs comes after any list marks and keys (`- run:`, `command:`, `RUN`).
    lead = next((t for t in tokens if t not in _MARKS and not t.endswith(":")), "")
    if lead.strip("\"'`") in _COMMANDS:
        return False
    words = sum(1 for token in tokens if _WORD.fullmatch(token))
    if words < WORD_SHARE * len(tokens):
        return False
    return words >= MIN_WORDS or (after_sentence and words > 0)


def is_table_row(line: str) -> bool:
    """A row of a Markdown or plain-text table (`| /v1/files | Files API |`): documentation."""
    return line.startswith("|") and line.endswith("|") and line.count("|") >= 3


def prose_offsets(text: str, kind: str, offsets: list[int], lines: LineIndex) -> set[int]:
    """Which of `offsets` (ascending) lie in prose (see the module's rule).

    Only the lines (or JSON strings) that hold one are judged: the rest of a file costs one
    search for fences, and a look back over the lines that decide an indented block or a
    continued command.
    """
    if not offsets:
        return set()
    if kind in _ESCAPED_KINDS:
        segments: list[Segment] = []
        index, count = 0, len(offsets)
        for token in _JSON_STRING.finditer(text):
            start, end = token.span()
            if start > offsets[-1]:
                break
            while index < count and offsets[index] < start:
                index += 1
            if index < count and offsets[index] < end:  # a string value that holds a mention
                segments.extend(_classify(text, _inner_lines(text, start + 1, end - 1)))
    else:
        judge = _LineJudge(text, lines, markdown=kind == "markdown" or (kind == "text" and _has_fence(text)))
        numbers = sorted({lines.position(offset)[0] for offset in offsets})
        segments = [judge.segment(number) for number in numbers if judge.is_prose(number)]
    starts = [start for start, _ in segments]
    found = set()
    for offset in offsets:
        at = bisect_right(starts, offset) - 1
        if at >= 0 and offset < segments[at][1]:
            found.add(offset)
    return found


def without_prose(result: FileResult, text: str, kind: str) -> FileResult:
    """The result with API mentions in prose dropped and IDs in prose made notes.

    A complete, concrete fine-tuned ID stays (low confidence, `context: prose`); a
    placeholder or the head of an ID built at run time is an example, and is dropped.
    """
    if not applies_to(result.path, kind) or not any(ev.kind in _FILTERED for ev in result.evidence):
        return result
    lines = LineIndex(text)

    def offset(ev: Evidence) -> int:
        return lines.starts[ev.span.line - 1] + ev.span.column - 1

    prose = prose_offsets(
        text, kind, sorted({offset(ev) for ev in result.evidence if ev.kind in _FILTERED}), lines
    )
    if not prose:
        return result
    kept: list[Evidence] = []
    for ev in result.evidence:
        if ev.kind not in _FILTERED or offset(ev) not in prose:
            kept.append(ev)
        elif _names_a_model(ev):
            props = tuple((k, v) for k, v in ev.props if k not in ("context", "language"))
            kept.append(replace(ev, confidence="low", props=(*props, ("context", "prose"))))
    return replace(result, evidence=tuple(kept))


def _names_a_model(ev: Evidence) -> bool:
    """A complete, concrete model ID: not a placeholder, not the head of one built at run time."""
    model = ev.model
    return (
        ev.kind == EvidenceKind.MODEL_ID
        and model is not None
        and not model.placeholder
        and (model.flavor != "partial")
    )


class _LineJudge:
    """Prose or not, line by line, for the lines asked about only (1-based numbers)."""

    def __init__(self, text: str, lines: LineIndex, *, markdown: bool) -> None:
        self.text, self.lines, self.markdown = text, lines, markdown
        self.fenced = _fenced_blocks(text, lines)  # (first, last) line numbers, fences included
        self.code: dict[int, bool] = {}  # memo: line number -> inside an indented block or a command

    def segment(self, number: int) -> Segment:
        starts = self.lines.starts
        return starts[number - 1], starts[number] if number < len(starts) else len(self.text)

    def line(self, number: int) -> str:
        return self.lines.line_text(self.text, number) if 1 <= number <= len(self.lines.starts) else ""

    def in_fence(self, number: int) -> bool:
        index = bisect_right(self.fenced, (number, len(self.lines.starts) + 1)) - 1
        return index >= 0 and self.fenced[index][0] <= number <= self.fenced[index][1]

    def is_prose(self, number: int) -> bool:
        stripped = self.line(number).strip()
        if not stripped or self.in_fence(number) or self.is_code(number):
            return False
        if self.markdown or is_table_row(stripped):
            return True
        before = number - 1
        after_sentence = (
            before >= 1
            and not self.in_fence(before)
            and not self.is_code(before)
            and is_sentence(self.line(before).strip())
        )
        return is_sentence(stripped, after_sentence)

    def is_code(self, number: int) -> bool:
        """In an indented block (after a blank line), or a prompt line and what it continues with `\\`."""
        stack = []
        while number not in self.code:  # walk back to a line whose answer is known or plain
            line = self.line(number)
            stripped = line.strip()
            if number < 1 or not stripped or self.in_fence(number):
                self.code[number] = False
                break
            if stripped.startswith(_PROMPTS):
                self.code[number] = True
                break
            indented = line.startswith(("    ", "\t")) and not _LIST_ITEM.match(stripped)
            continues = self.line(number - 1).rstrip().endswith("\\")
            if not indented and not continues:
                self.code[number] = False
                break
            if indented and not self.line(number - 1).strip() and not self.in_fence(number - 1):
                self.code[number] = True  # the first line of an indented block
                break
            stack.append(number)
            number -= 1
        answer = self.code[number]
        for later in reversed(stack):  # each inherits from the line before it
            self.code[later] = answer
        return answer


def _fenced_blocks(text: str, lines: LineIndex) -> list[tuple[int, int]]:
    """Fenced blocks as line ranges, fences included; one left open runs to the end."""
    blocks: list[tuple[int, int]] = []
    open_fence, first = "", 0
    for found in _FENCE_LINE.finditer(text):
        marks, info = found["fence"], found["info"].strip()
        number = lines.position(found.start())[0]
        if not open_fence:
            if marks[0] == "`" and "`" in info:
                continue  # inline code, not a fence
            open_fence, first = marks, number
        elif marks[0] == open_fence[0] and len(marks) >= len(open_fence) and not info:
            blocks.append((first, number))
            open_fence = ""
    if open_fence:
        blocks.append((first, len(lines.starts)))
    return blocks


def _has_fence(text: str) -> bool:
    """A text document with a Markdown fence at the start of a line is Markdown."""
    return _FENCE_START.search(text) is not None


def _inner_lines(text: str, start: int, end: int) -> Iterator[Segment]:
    """The lines of a JSON string's raw text: its `\\n` escapes (and real line breaks) end them."""
    for piece_start, piece_end in _split(text, start, end, _ESCAPED_BREAK):
        yield from _split(text, piece_start, piece_end, _BREAK)


def _split(text: str, start: int, end: int, separator: re.Pattern[str]) -> Iterator[Segment]:
    position = start
    for found in separator.finditer(text, start, end):
        yield position, found.start()
        position = found.end()
    yield position, end


def _classify(text: str, segments: Iterable[Segment]) -> Iterator[Segment]:
    """The prose segments among `segments`, the lines of one JSON string, in order."""
    open_fence = ""
    blank_before = True  # the start of a document is after a blank line
    in_code = False  # inside an indented block or a prompt's `\\` continuation
    continued = False  # the previous line was code that ends with `\\`
    sentence_before = False
    for start, end in segments:
        line = text[start:end].rstrip("\r\n")
        stripped = line.strip()
        if open_fence:
            found = fence(line)
            if (
                found
                and found["fence"][0] == open_fence[0]
                and len(found["fence"]) >= len(open_fence)
                and (not found["info"].strip())
            ):
                open_fence = ""
            blank_before = sentence_before = False
            continue
        found = fence(line)
        if found and not (found["fence"][0] == "`" and "`" in found["info"]):
            open_fence = found["fence"]
            blank_before = sentence_before = in_code = continued = False
            continue
        if not stripped:
            blank_before, sentence_before, in_code, continued = True, False, False, False
            continue
        indented = line.startswith(("    ", "\t")) and not _LIST_ITEM.match(stripped)
        code = continued or (indented and (blank_before or in_code)) or stripped.startswith(_PROMPTS)
        blank_before = False
        if code:
            in_code, sentence_before = True, False
            continued = stripped.endswith("\\")
            continue
        in_code = continued = False
        own = is_sentence(stripped)
        prose = own or is_table_row(stripped) or (sentence_before and is_sentence(stripped, True))
        sentence_before = own
        if prose:
            yield start, end
