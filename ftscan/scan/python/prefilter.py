"""Can the tree add anything to a Python file? Cheap substring tests, so that a file in
which it could not is never parsed: no model ID marker, no call a glob could resolve to.
"""

from __future__ import annotations

import functools
import re

from ftscan.scan.python.modules import module_parts
from ftscan.scan.python.sdk import GUESS_ROOTS, UPLOAD_ROOTS
from ftscan.types import Helper, ScanPatterns

PARTIAL_HINT = re.compile(r"ft:[a-z0-9][a-z0-9.\-]*[a-z0-9]:")
FINE_TUNED_MODEL = "fine_tuned_model"
# An upload over HTTP (`http_uploads`): the files endpoint, a purpose, a client library.
_UPLOAD_URL = "/files"
_HTTP_ROOTS = ("requests", "httpx")
_GLOB_META = re.compile(r"[*?\[]")
# What `names` guesses an `openai` call from: a guess root and the attribute after it.
_GUESS_NAMES = tuple(sorted(GUESS_ROOTS | UPLOAD_ROOTS))
# After a guess root: a dot, here or first on the next line (inside brackets), or a line
# continuation or a comment after which the chain may go on. No repeated group, so the
# search stays linear whatever the file holds.
_TO_DOT = r"[ \t]*(?:[.\\#]|(?:\r\n|\r|\n)[ \t]*[.#])"
_SETTINGS_HINT = "BaseSettings"
# Comments and string literals in the order a reader meets them: a `#` in a string opens no
# comment, a quote in a comment no string. A backslash continues a one-line string over its
# line break. No repeated group inside a repeated group: the search stays linear.
_COMMENT_OR_STRING = re.compile(
    r"""(#[^\r\n]*)"""
    r"""|[rRbBuUfFtT]{0,2}(?:'{3}(?:\\[\s\S]|[^\\])*?'{3}|"{3}(?:\\[\s\S]|[^\\])*?"{3}"""
    r"""|'(?:\\(?:\r\n|[\s\S])|[^'\\\r\n])*'|"(?:\\(?:\r\n|[\s\S])|[^"\\\r\n])*")"""
)


def needs_tree(text: str, patterns: ScanPatterns) -> bool:
    """Can the tree add anything to a text that holds no model ID? Cheap substring tests."""
    if FINE_TUNED_MODEL in text or PARTIAL_HINT.search(text):
        return True
    if any(value in text for value in patterns.model_args):
        return True
    if patterns.env_vars and (_SETTINGS_HINT in text or any(name in text for name in patterns.env_vars)):
        return True
    if patterns.helpers and any(_may_call(text, helper) for helper in patterns.helpers):
        return True
    if not patterns.calls:
        return False
    return could_call(text, patterns.calls) or (
        _UPLOAD_URL in text and "purpose" in text and any(root in text for root in _HTTP_ROOTS)
    )


def _may_call(text: str, helper: Helper) -> bool:
    """Its name, and the name of its module that an import of it spells (`client` of
    `from .client import upload`, `from trainer import client`)."""
    module = module_parts(helper.path)
    return helper.name in text and (not module or module[-1] in text)


def only_in_comments(text: str, patterns: ScanPatterns) -> bool:
    """Does `needs_tree` pass `text` only for what its comments hold? (A notebook exported
    as a script keeps its prose as comments: "upload the files to OpenAI, then create...".)
    The tree reads no comment, so it can add nothing to such a file once it parses."""
    return not needs_tree(without_comments(text), patterns)


def without_comments(text: str) -> str:
    """`text` with each comment cut down to its `#`. Strings stay whole, and so does the `#`
    that `_guessable` reads as "the chain may go on"."""
    if "#" not in text:
        return text
    return _COMMENT_OR_STRING.sub(_cut_comment, text)


def _cut_comment(match: re.Match[str]) -> str:
    return "#" if match.group(1) is not None else match.group()


def could_call(text: str, calls: tuple[str, ...]) -> bool:
    """Could some call glob resolve in this text? Its names must all be there, whole
    (`fine_tuning_cloud_setting` holds no `fine_tuning`), and so must its root (`openai`,
    `litellm`) unless the call can be guessed: a guess root (`client.fine_tuning.`) then a
    dot. A root with a wildcard (a user's `*.fine_tuning.create`) needs no word.
    """
    seen: dict[str, bool] = {}  # the globs share most of their words

    def has(word: str) -> bool:
        if word not in seen:
            seen[word] = _has_word(text, word)
        return seen[word]

    for root, words in _call_words(calls):
        if all(has(word) for word in words) and (
            _GLOB_META.search(root) or has(root) or (root == "openai" and _guessable(text))
        ):
            return True
    return False


def _guessable(text: str) -> bool:
    """A name `names` guesses an `openai` call from, then a dot (`client.fine_tuning.`),
    maybe on the next line or after a continuation or a comment."""
    return any(
        not _continues_name(text, match.start())
        for name in _GUESS_NAMES
        if name in text
        for match in _followed(name, _TO_DOT).finditer(text)
    )


def _has_word(text: str, word: str) -> bool:
    """`word` in `text`, not as part of a longer name."""
    return word in text and any(
        not _continues_name(text, match.start()) for match in _followed(word, r"(?!\w)").finditer(text)
    )


def _continues_name(text: str, at: int) -> bool:
    """Does the character before `at` belong to a name? (A regex look-behind in front
    would stop `re` from skipping ahead to the literal: it checks every position.)"""
    return at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")


@functools.lru_cache(maxsize=256)
def _followed(word: str, tail: str) -> re.Pattern[str]:
    """`word`, then `tail`: the literal leads, so `re` can skip ahead to it."""
    return re.compile(re.escape(word) + tail)


@functools.lru_cache(maxsize=16)
def _call_words(calls: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each call glob's root and the names it needs in a file's text.

    A segment with a wildcard (`*Engine`, `[!c]*`) needs only its literal runs, as parts of
    some name: they are not required whole.
    """
    result = []
    for glob in calls:
        root, *segments = glob.split(".")
        result.append((root, tuple(seg for seg in segments if seg and not _GLOB_META.search(seg))))
    return tuple(result)
