"""The grammar of fine-tuned model IDs, used by every scanner.

Shapes (see README, "What counts as a fine-tuned model ID"):

- current: ``ft:<base>:<org>:<suffix>:<id>[:ckpt-step-<n>]``, suffix may be empty;
- legacy: ``<ada|babbage|curie|davinci>:ft-<org>[:<suffix>]-YYYY-MM-DD-HH-MM-SS``;
- Azure: ``<base>.ft-<32 hex>[-<suffix>]``;
- any of them behind ``openai/`` (LiteLLM, DSPy) or ``openai:`` (LangChain);
- partial: the literal head of an ID built at run time, ``ft:<base>:`` + something.

Mistral's ``ft:<name>:<8 hex>:<8 digits>:<8 hex>`` and ``ft:`` inside words or units
(``left:0``, ``draft:``, ``height_ft: 3``) are not IDs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from ftscan.frozen import Frozen
from ftscan.types import ModelId

# Quick substring tests: a text without any of these holds no model ID.
MARKERS = ("ft:", ":ft-", ".ft-")

_BASE = r"[a-z0-9][a-z0-9.\-]*[a-z0-9]"
_CURRENT = (
    r"ft:(?P<base>" + _BASE + r"):"
    r"(?P<tail>"
    r"(?P<org>[\w\-]+):(?P<suffix>[\w.\-]*):(?P<id>[\w\-]+)(?::ckpt-step-(?P<ckpt>\d+))?"
    # a placeholder holds no quote: `"ft:gpt-4o:<x" "ft:...">` is two strings, not one ID
    r"|(?P<elided>\.\.\.|<[^<>\s\"'`]{1,40}>|\$\{[^{}\s\"'`]{1,40}\}|\{[^{}\s\"'`]{1,40}\})"
    r")"
    r"(?![\w\-])"
)
_LEGACY = (
    r"(?P<base>ada|babbage|curie|davinci):ft-(?P<org>[\w\-]+?)(?::(?P<suffix>[\w.\-]+?))?"
    r"-(?P<ts>\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)(?![\w\-])"
)
# Azure IDs are found from their `.ft-<hex>` tail, their base read backwards from it: a
# regex with the base in front would retry every letter of a long run (quadratic time).
_AZURE_TAIL = r"\.ft-(?P<hex>[0-9a-f]{32})(?:-(?P<suffix>[\w\-]+))?(?![\w\-])"
_AZURE_BASE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
_PARTIAL = r"(?P<prefix>openai[/:])?ft:(?P<base>" + _BASE + r"):"
_MISTRAL_SHAPE = r"[0-9a-f]{8}:\d{8}:[0-9a-f]{8}"
_MISTRAL_BASES = ("mistral", "open-mistral", "open-mixtral", "codestral", "ministral", "pixtral")
_BOUNDARY = re.compile(r"[\w.\-]")
# A shell or compose default: `${OPENAI_MODEL:-ft:...}`, `${VAR-ft:...}`, `${VAR:=ft:...}`.
_DEFAULTED = r"\$\{[A-Za-z_]\w{0,127}:?[-=?+]\Z"
_BYTE_BOUNDARY = re.compile(rb"[\w.\-]")  # ASCII only: a superset of the IDs, as a prefilter must be
# `could_hold_id`'s test for `ft:` as a ripgrep (Rust) regex over bytes, for the walk's
# prefilter: an `ft:` at a line's start, after a byte that cannot continue a word (a `-`
# included: `${VAR:-ft:...}`), or up to six bytes after a backslash. A superset of what that
# test accepts, so a file it leaves out is one `could_hold_id` rejects; `left:`, `draft:`
# and `shift:` are not read at all.
RG_FT_START = r"(?s-u:(?:^|[^A-Za-z0-9_.]|\\.{0,5})ft:)"
_TAIL_MARKERS = MARKERS[1:]  # the markers that end an ID's base: no boundary to check
_BYTE_MARKERS = tuple(marker.encode() for marker in _TAIL_MARKERS)
_PREFIXES = ("openai/", "openai:")
_REAL_ID = r"[A-Za-z0-9]{8}"
_PLACEHOLDER_ORGS = frozenset(
    {
        "my-org",
        "my_org",
        "myorg",
        "your-org",
        "your_org",
        "yourorg",
        "org",
        "org-name",
        "org_name",
        "orgname",
        "organization",
        "my-organization",
        "company",
        "my-company",
        "your-company",
        "acme",
        "example",
        "personal-org",
        "openai",  # `openai`: the docs' own examples
    }
)
_PLACEHOLDER_IDS = frozenset({"xxxxxxxx", "abcdefgh", "12345678", "abcd1234", "00000000", "abc12345"})


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    """The grammar's regexes are compiled on first use: most files hold no `ft:` at all."""
    return re.compile(pattern)


class IdMatch(Frozen):
    """A model ID found in a text: its offsets (end exclusive) and its parts."""

    start: int
    end: int
    model: ModelId


def has_marker(text: str) -> bool:
    """Cheap test: can this text hold a model ID at all?"""
    return any(marker in text for marker in MARKERS)


def could_hold_id(text: str | bytes) -> bool:
    """`has_marker`, but an `ft:` must not continue a word (`draft:`, `peft:`, `x.ft:`).

    For whole files, as text or as the bytes read (ASCII markers are the same bytes in
    UTF-8 and Latin-1): this is the prefilter's test, so it must never miss an ID the
    grammar finds, only the texts where `ft:` cannot start one.
    """
    if isinstance(text, bytes):
        markers, start, boundary = _BYTE_MARKERS, b"ft:", _BYTE_BOUNDARY
    else:
        markers, start, boundary = _TAIL_MARKERS, "ft:", _BOUNDARY  # type: ignore[assignment]
    if any(marker in text for marker in markers):  # type: ignore[operator]
        return True
    at = text.find(start)  # type: ignore[arg-type]
    while at >= 0:
        if at == 0 or boundary.match(text, at - 1) is None or _after_escape(text, at) or _defaulted(text, at):
            return True
        at = text.find(start, at + 3)  # type: ignore[arg-type]
    return False


def _after_escape(text: str | bytes, at: int) -> bool:
    """An escape just before, on the same line (`\\nft:`, `\\u00a0ft:` in the raw text of
    a JSON or YAML string): once decoded, the ID may start there."""
    before = text[max(0, at - 6) : at]
    if isinstance(before, bytes):  # on the same line: what the walk's ripgrep search can see
        return b"\\" in before.rpartition(b"\n")[2]
    return "\\" in before.rpartition("\n")[2]


def find_model_ids(text: str) -> Iterator[IdMatch]:
    """Yield every model ID in `text`, in order of position."""
    if not has_marker(text):
        return
    found: list[IdMatch] = []
    if "ft:" in text:
        found.extend(_current_ids(text))
    if ":ft-" in text:
        found.extend(_legacy_ids(text))
    if ".ft-" in text:
        found.extend(_azure_ids(text))
    found.sort(key=lambda m: m.start)
    yield from found


def parse_model_id(text: str) -> ModelId | None:
    """Parse `text` when the whole of it is one model ID."""
    for match in find_model_ids(text):
        if match.start == 0 and match.end == len(text):
            return match.model
    return None


def parse_partial(head: str) -> ModelId | None:
    """Parse the literal head of an ID built at run time (``f"ft:gpt-4o:{org}:..."``).

    The head must name the base and its colon: ``ft:<base>:``. Returns a `partial`
    ModelId whose `raw` is the head, or None when the base is not known.
    """
    match = _regex(_PARTIAL).match(head)
    if match is None or _is_mistral_base(match["base"]):
        return None
    return ModelId(raw=head, flavor="partial", base=match["base"], prefix=match["prefix"])


def _start(text: str, start: int) -> tuple[int, str | None] | None:
    """Where the ID found at `start` begins, a provider prefix included, and that prefix;
    None when it continues a word, number or dotted name (`left:`, `draft:`, `x.ft-`)."""
    prefix = None
    for candidate in _PREFIXES:
        if start >= len(candidate) and text.startswith(candidate, start - len(candidate)):
            start, prefix = start - len(candidate), candidate
            break
    if start > 0 and _BOUNDARY.match(text, start - 1) is not None and not _defaulted(text, start):
        return None
    return start, prefix


def _defaulted(text: str | bytes, at: int) -> bool:
    """Whether the ID at `at` is the default of a `${VAR:-...}` expansion."""
    before = text[max(0, at - 140) : at]
    if isinstance(before, bytes):
        before = before.decode("latin-1")
    return "${" in before and _regex(_DEFAULTED).search(before) is not None


def _current_ids(text: str) -> Iterator[IdMatch]:
    for match in _regex(_CURRENT).finditer(text):
        if (begin := _start(text, match.start())) is None:
            continue
        start, prefix = begin
        base = match["base"]
        if _is_mistral_base(base) or _regex(_MISTRAL_SHAPE).fullmatch(match["tail"]):
            continue
        raw = text[start : match.end()]
        if match["elided"]:
            elided = match["elided"]
            placeholder = elided == "..." or elided.startswith("<")
            model = ModelId(raw=raw, flavor="partial", base=base, prefix=prefix, placeholder=placeholder)
        else:
            org, suffix, ident = match["org"], match["suffix"], match["id"]
            model = ModelId(
                raw=raw,
                flavor="openai",
                base=base,
                org=org,
                suffix=suffix,
                id=ident,
                checkpoint=int(match["ckpt"]) if match["ckpt"] else None,
                prefix=prefix,
                placeholder=_is_placeholder(org, ident),
            )
        yield IdMatch(start, match.end(), model)


def _legacy_ids(text: str) -> Iterator[IdMatch]:
    for match in _regex(_LEGACY).finditer(text):
        if (begin := _start(text, match.start())) is None:
            continue
        start, prefix = begin
        model = ModelId(
            raw=text[start : match.end()],
            flavor="legacy",
            base=match["base"],
            org=match["org"],
            suffix=match["suffix"],
            id=match["ts"],
            prefix=prefix,
        )
        yield IdMatch(start, match.end(), model)


def _azure_ids(text: str) -> Iterator[IdMatch]:
    """`<base>.ft-<hex>`: the base is the whole run of `[a-z0-9.-]` before the first tail in
    it, starting with a letter, and not continuing a word. Linear: each character of a run
    is read once, however many tails it holds."""
    done = 0  # end of the last tail: a base never reaches back into it
    for tail in _regex(_AZURE_TAIL).finditer(text):
        anchor, start = tail.start(), tail.start()
        while start > done and text[start - 1] in _AZURE_BASE_CHARS:
            start -= 1
        first_in_run = start > done or start == 0 or text[start - 1] not in _AZURE_BASE_CHARS
        done = tail.end()
        if start == anchor or not first_in_run or not "a" <= text[start] <= "z":
            continue
        if _start(text, start) is None:
            continue
        model = ModelId(
            raw=text[start : tail.end()],
            flavor="azure",
            base=text[start:anchor],
            suffix=tail["suffix"],
            id=tail["hex"],
        )
        yield IdMatch(start, tail.end(), model)


def _is_mistral_base(base: str) -> bool:
    return base.startswith(_MISTRAL_BASES)


def _is_placeholder(org: str, ident: str) -> bool:
    if org.lower() in _PLACEHOLDER_ORGS:
        return True
    return not _regex(_REAL_ID).fullmatch(ident) or ident.lower() in _PLACEHOLDER_IDS or len(set(ident)) < 3
