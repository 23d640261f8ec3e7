"""Parsing Python with libcst, safely, and the positions of chosen nodes.

Safety: libcst's native parser recurses as deep as the code nests and can overflow the
stack of the process. It runs on a thread with a large stack, and bracket nesting deeper
than CPython itself accepts is refused, so no input text can crash a scan.

Time: libcst's parser takes time quadratic in the length of an operator chain
(`a - a - ... - a`, `a.b.c...`, `f()()()...`): 2,000 terms take a second, a megabyte of
them hours, and it holds the interpreter lock meanwhile. Sources whose chains would cost
more than `_MAX_CHAIN_COST` are refused before parsing, measured by one linear pass.

Speed: positions come from one code-generation pass that notes only the nodes asked for
(libcst's position metadata is about ten times slower).
"""

from __future__ import annotations

import ast
import functools
import itertools
import re
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TypeVar

import libcst as cst

from ftscan.scan.positions import LineIndex

try:  # libcst's code generator, the one its own position provider drives
    from libcst._nodes.internal import CodegenState
except ImportError:  # pragma: no cover - fall back on the public, slower provider
    CodegenState = None

_MAX_BRACKET_DEPTH = 200  # CPython's own limit; libcst's parser can crash far deeper
_BIG_STACK = 512 * 1024 * 1024  # for long `elif` or operator chains: virtual memory only
_DEEP_RECURSION = 100_000  # for generating code of such chains, on that stack
_STACK_LOCK = threading.Lock()
_RECURSION_LOCK = threading.Lock()
_BRACKET_STEP = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}
_NOT_BRACKET = re.compile(r"[^()\[\]{}]+")
_ERROR_AT = re.compile(r"error at (\d+):")
# Tokens that build chains, for `_chain_cost`: strings and comments are skipped whole.
_CHAIN_TOKEN = re.compile(
    r"""(?P<skip>\#[^\r\n]*|\\(?:\r\n?|\n)"""
    r"""|[rRbBuUfFtT]{0,2}(?:'{3}(?:\\.|[^\\])*?'{3}|"{3}(?:\\.|[^\\])*?"{3}"""
    r"""|'(?:\\.|[^'\\\r\n])*'|"(?:\\.|[^"\\\r\n])*"))"""
    r"""|(?P<name>[^\W\d]\w*|\d[\w.]*)"""
    r"""|(?P<open>[(\[{])|(?P<close>[)\]}])|(?P<end>[,;]|\r\n?|\n)"""
    r"""|(?P<op>\*\*|//|<<|>>|->|[-+*/%@&|^~.])"""
)
_CHAIN_WORDS = frozenset({"not", "lambda", "if", "await"})
# The sum over expressions of (operators in one chain) squared that libcst is allowed: about
# three seconds. The most chained real code seen (sympy's generated polynomial tables) costs
# 2.8e7. A source shorter than the square root cannot exceed it and is not measured.
_MAX_CHAIN_COST = 50_000_000

T = TypeVar("T")
Offsets = tuple[int, int]  # start, end (exclusive) in the parsed source


class Unparsable(Exception):
    """The file is not Python libcst can read; the message says why."""


# --- parsing ---------------------------------------------------------------------------


def parse(source: str) -> cst.Module:
    """Parse on a thread with a large stack: deep code then fails instead of crashing."""
    refused = _refusal(source)
    if refused:
        raise Unparsable(refused)
    try:
        return _on_big_stack(functools.partial(cst.parse_module, source))
    except cst.ParserSyntaxError as error:
        raise Unparsable(_syntax_message(error, source)) from None


def parses_as_python(source: str) -> bool:
    """Would `parse` read `source`? Asked of CPython's own parser, about ten times faster
    than libcst's, whose grammar covers CPython's; a source CPython refuses (syntax of a
    newer Python, or none) is left to `parse` to judge."""
    if _refusal(source):
        return False
    try:
        with warnings.catch_warnings():  # `"\d"` warns when compiled
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # ValueError: a NUL
        return False
    return True


def _refusal(source: str) -> str | None:
    """Why `parse` refuses `source` before parsing, if it does: see the module's docstring."""
    depth = _bracket_depth(source)
    if depth > _MAX_BRACKET_DEPTH:
        return f"not parsed as Python (brackets nested {depth} deep)"
    if len(source) ** 2 > _MAX_CHAIN_COST and _chain_cost(source) > _MAX_CHAIN_COST:
        return "not parsed as Python (operator chains too long to analyse in time)"
    return None


def _on_big_stack(function: Callable[[], T], recursion_limit: int | None = None) -> T:
    """`function()` run on a thread with a large stack, with a higher recursion limit if asked.

    The recursion limit is the interpreter's: it is raised only while that thread runs, by
    one such thread at a time, and restored after. Where no such thread can be started,
    `function()` runs in place, with the usual limit.
    """
    outcome: list[tuple[bool, object]] = []

    def run() -> None:
        try:
            with _recursion_limit(recursion_limit):
                outcome.append((True, function()))
        except Exception as error:  # handed back to the calling thread
            outcome.append((False, error))

    thread = threading.Thread(target=run, daemon=True)
    if not _start_with_big_stack(thread):
        return function()
    try:
        thread.join()
    except BaseException:
        # A time limit or ^C interrupted the wait: let the thread finish (its work is
        # bounded beforehand) before going on, so that it never runs on, abandoned, with
        # the raised recursion limit in force for code on the normal stack.
        thread.join()
        raise
    if not outcome:
        raise Unparsable("not analysed (the worker thread stopped)")
    done, result = outcome[0]
    if not done:
        raise result  # type: ignore[misc]
    return result  # type: ignore[return-value]


def _start_with_big_stack(thread: threading.Thread) -> bool:
    """Start `thread` with a large stack; False where the platform refuses one."""
    with _STACK_LOCK:  # the size applies to every thread started meanwhile
        try:
            previous = threading.stack_size(_BIG_STACK)
        except (ValueError, RuntimeError):
            return False
        try:
            thread.start()
        except RuntimeError:
            return False
        finally:
            threading.stack_size(previous)
    return True


@contextmanager
def _recursion_limit(limit: int | None) -> Iterator[None]:
    """Raise the interpreter's recursion limit to `limit` meanwhile (one caller at a time)."""
    if limit is None:
        yield
        return
    with _RECURSION_LOCK:
        previous = sys.getrecursionlimit()
        sys.setrecursionlimit(max(previous, limit))
        try:
            yield
        finally:
            sys.setrecursionlimit(previous)


def _bracket_depth(source: str) -> int:
    """How deep brackets nest, those in strings and comments included: an upper bound."""
    if sum(source.count(bracket) for bracket in "([{") <= _MAX_BRACKET_DEPTH:
        return 0
    return max(itertools.accumulate(map(_BRACKET_STEP.__getitem__, _NOT_BRACKET.sub("", source))))


def _chain_cost(source: str) -> int:
    """An upper bound of libcst's quadratic work: for each comma-free stretch of an
    expression, the operators, dots, calls and subscripts in it, squared; summed."""
    total = count = 0
    stack: list[int] = []
    previous = None
    for token in _CHAIN_TOKEN.finditer(source):
        kind = token.lastgroup
        if kind == "skip":
            continue
        if kind == "name":
            count += token.group() in _CHAIN_WORDS
        elif kind == "op":
            count += 1
        elif kind == "open":
            count += previous in ("name", "close")  # a call or a subscript
            stack.append(count)
            count = 0
        elif kind == "close":
            total += count * count
            count = stack.pop() if stack else 0
        elif not stack or token.group() in ",;":  # a line break inside brackets ends nothing
            total += count * count
            count = 0
        previous = kind
    return total + count * count


def _syntax_message(error: cst.ParserSyntaxError, source: str) -> str:
    detail = error.message.partition("\n")[0]
    found = _ERROR_AT.search(detail)
    if found:
        return f"not valid Python 3 (syntax error at line {found[1]})"
    detail = detail.removeprefix("tokenizer error: ")
    nul = source.find("\0")
    if nul >= 0 and "\\0" in detail:
        detail = f"a NUL character at line {source.count(chr(10), 0, nul) + 1}"
    return f"not valid Python 3 ({detail})"


# --- positions -------------------------------------------------------------------------


class _Recorder:
    """Notes where one node's code starts and ends while it is generated."""

    __slots__ = ("key", "start", "state")

    def __init__(self, state: _OffsetState, key: int) -> None:
        self.state, self.key, self.start = state, key, 0

    def __enter__(self) -> None:
        self.start = self.state.offset

    def __exit__(self, *exc: object) -> None:
        self.state.found[self.key] = (self.start, self.state.offset)


if CodegenState is not None:

    class _OffsetState(CodegenState):
        """libcst's code generator, counting characters and noting the target nodes."""

        def __init__(self, module: cst.Module, targets: set[int]) -> None:
            super().__init__(module.default_indent, module.default_newline)
            self.offset = 0
            self.targets = targets
            self.found: dict[int, Offsets] = {}

        def add_token(self, value: str) -> None:
            self.tokens.append(value)
            self.offset += len(value)

        def add_indent_tokens(self) -> None:
            self.tokens.extend(self.indent_tokens)
            self.offset += sum(map(len, self.indent_tokens))

        def pop_trailing_newline(self) -> None:
            if self.tokens:
                self.offset -= len(self.tokens.pop())

        def record_syntactic_position(
            self,
            node: cst.CSTNode,
            *,
            start_node: cst.CSTNode | None = None,
            end_node: cst.CSTNode | None = None,
        ) -> AbstractContextManager[None]:
            key = id(node)
            return _Recorder(self, key) if key in self.targets else nullcontext()


def node_offsets(module: cst.Module, nodes: list[cst.CSTNode], source: str) -> dict[int, Offsets]:
    """Offsets of `nodes` in `source`, by `id()`: syntactic, so without parentheses."""
    if not nodes:
        return {}
    targets = {id(node) for node in nodes}
    if CodegenState is None:  # pragma: no cover
        return _metadata_offsets(module, targets, source)
    state = _OffsetState(module, targets)
    try:
        module._codegen(state)
    except RecursionError:  # a deep tree: once more, with room to recurse
        state = _OffsetState(module, targets)
        _on_big_stack(functools.partial(module._codegen, state), _DEEP_RECURSION)
    # libcst drops blank lines before a last line of blanks (`x\n\n  \n` comes back as
    # `x\n  \n`); no node lies in that tail, so only the text before it must agree.
    if not source.startswith("".join(state.tokens).rstrip()):
        raise Unparsable("not analysed (the parsed tree does not reproduce the file)")
    return state.found


def _metadata_offsets(  # pragma: no cover
    module: cst.Module, targets: set[int], source: str
) -> dict[int, Offsets]:
    from libcst.metadata import MetadataWrapper, PositionProvider

    starts = LineIndex(source).starts
    ranges = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return {
        id(node): (starts[r.start.line - 1] + r.start.column, starts[r.end.line - 1] + r.end.column)
        for node, r in ranges.items()
        if id(node) in targets
    }
