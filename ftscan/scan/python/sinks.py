"""The sink decides: a command or an API path a program only shows is not a dependency; one
it runs is, wherever the string is written.

A string whose only use is to be shown to a person (`print`, `logging` and loggers,
`click.echo`, `rich`'s console, `warnings.warn`, `sys.stdout.write`, `help=` text, an
exception's message) is not an invocation: the commands, REST paths and call names in it
are not findings (an `ft:` ID in it stays, as in prose). A route the application serves
(`@app.post(...)`, `router.get(...)`) is its own, not a call to OpenAI. A string that is
executed (`os.system`, `subprocess.*`, `os.exec*`, `pexpect`, `asyncio.create_subprocess_*`) is,
reported at the string with the call that runs it (`run_by`); so is an argument list
(`["openai", "api", "fine_tuning.jobs.create", ...]`). A string bound to a name is judged
by every use of the name in its function: shown and run is run.

Read with CPython's `ast`, which is fast, and only in a file where the text finders found
a command or a path to judge.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache

from ftscan.frozen import replace
from ftscan.scan.positions import LineIndex
from ftscan.types import Evidence, EvidenceKind, ScanPatterns, Span

DISPLAY_CALLS = frozenset(
    {
        "print",
        "pprint",
        "pprint.pprint",
        "warnings.warn",
        "sys.stdout.write",
        "sys.stderr.write",
        "click.echo",
        "click.secho",
        "typer.echo",
        "typer.secho",
        "rich.print",
        "st.write",
        "st.markdown",
        "st.code",
        "st.text",
        "st.info",
    }
)
_LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "fatal"}
)
_CONSOLE_METHODS = frozenset({"print", "log", "rule", "out"})
EXEC_CALLS = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "pexpect.spawn",
        "pexpect.run",
        "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
        "sh.Command",
        "get_ipython.system",
    }
)
_EXEC_PREFIXES = ("os.exec", "os.spawn")
_EXEC_HINTS = ("subprocess", "os.exec", "os.spawn", "pexpect", "create_subprocess")
_HELP_KEYWORDS = frozenset({"help", "description", "epilog", "usage"})
_JUDGED = frozenset({EvidenceKind.CLI, EvidenceKind.REST_PATH})
DISPLAY, EXEC, SERVE = "display", "exec", "serve"
# A route an application serves (`@app.post("/v1/fine_tuning/jobs")` in an OpenAI-compatible
# proxy): the path is the application's own, not a call to OpenAI.
_ROUTE_METHODS = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "api_route", "add_url_rule", "add_api_route"}
)
_ROUTERS = ("app", "router", "api", "bp", "blueprint", "server", "routes")
# How a string is used: display or exec, the call that does it, and where that call is.
Use = tuple[str, str, str]


def _run_props(use: Use) -> tuple[tuple[str, str], ...]:
    """`run_by` names the call that runs a command; `run_at` is where it stands, for the
    finding's related location."""
    return (("run_by", use[1]), ("run_at", use[2]))


def judge(path: str, text: str, evidence: list[Evidence], patterns: ScanPatterns) -> list[Evidence]:
    """`evidence` without what is only shown, run strings marked, argument lists added."""
    argv = "openai" in text and any(hint in text for hint in _EXEC_HINTS)
    if not argv and not any(ev.kind in _JUDGED for ev in evidence):
        return evidence
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return evidence
    sinks = _Sinks(text)
    sinks.visit(tree)
    kept = []
    for ev in evidence:
        if ev.kind not in _JUDGED:
            kept.append(ev)
            continue
        use = sinks.use_of(ev.span)
        if use is None:
            kept.append(ev)
        elif use[0] == EXEC:
            kept.append(replace(ev, props=(*ev.props, *_run_props(use))))
        # shown only: not an invocation
    kept += _argument_lists(path, sinks, patterns)
    return kept


def _argument_lists(path: str, sinks: _Sinks, patterns: ScanPatterns) -> Iterator[Evidence]:
    """Commands run as a list of arguments: `subprocess.run(["openai", "api", ...])`."""
    from ftscan.scan.text import cli_arguments, find_cli

    for span, words, runner in sinks.argv:
        command = " ".join(words)
        for _start, end, value in find_cli(command, patterns):
            yield Evidence(
                kind=EvidenceKind.CLI,
                path=path,
                span=span,
                value=value,
                props=(*cli_arguments(command, end, False), *_run_props(runner)),
            )


class _Sinks(ast.NodeVisitor):
    """Every string literal's span with the sink it reaches, directly or through a name."""

    def __init__(self, text: str) -> None:
        self.lines = LineIndex(text)
        self.text_lines = text.splitlines(keepends=True)
        self.literals: list[tuple[Span, str | None, Use | None]] = []  # span, name, direct use
        self.name_uses: dict[tuple[int, str], list[Use]] = {}
        self.argv: list[tuple[Span, list[str], Use]] = []
        self.lists: dict[tuple[int, str], ast.List | ast.Tuple] = {}  # `cmd = ["openai", ...]`
        self.scope = 0
        self.scopes = 0

    # ------------------------------------------------------------------ scopes

    def _scoped(self, node: ast.AST) -> None:
        outer = self.scope
        self.scopes += 1
        self.scope = self.scopes
        self.generic_visit(node)
        self.scope = outer

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _scoped

    # ------------------------------------------------------------------ uses

    def visit_Assign(self, node: ast.Assign) -> None:
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if isinstance(node.value, ast.List | ast.Tuple) and names:
            self.lists[(self.scope, names[0])] = node.value
        for literal in _strings(node.value):
            self.literals.append((self._span(literal), f"{self.scope}:{names[0]}" if names else None, None))
        self.visit(node.value)

    def visit_Raise(self, node: ast.Raise) -> None:
        if isinstance(node.exc, ast.Call):
            self._arguments(node.exc, (DISPLAY, "an exception's message", ""))
            return
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        callee = _dotted(node.func)
        kind = _sink(callee)
        if kind is None:
            help_text = [k for k in node.keywords if k.arg in _HELP_KEYWORDS]
            for keyword in help_text:
                for literal in _strings(keyword.value):
                    self.literals.append((self._span(literal), None, (DISPLAY, f"{keyword.arg}= text", "")))
            self.generic_visit(node)
            return
        at = self._span(node.func)
        use = (kind, f"`{callee}`", f"{at.line}:{at.column}:{at.end_line}:{at.end_column}")
        if kind == EXEC and node.args:
            first = node.args[0]
            if isinstance(first, ast.Name):
                first = self.lists.get((self.scope, first.id), first)
            if isinstance(first, ast.List | ast.Tuple):
                words = [
                    e.value for e in first.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
                ]
                if words and len(words) == len(first.elts):
                    self.argv.append((self._span(first), words, use))
        self._arguments(node, use)

    def _arguments(self, call: ast.Call, use: Use) -> None:
        for arg in (*call.args, *(k.value for k in call.keywords)):
            for literal in _strings(arg):
                self.literals.append((self._span(literal), None, use))
            for name in _names(arg):
                self.name_uses.setdefault((self.scope, name), []).append(use)
            self.visit(arg)

    # ------------------------------------------------------------------ answers

    def use_of(self, span: Span) -> Use | None:
        """How the string holding `span` is used: (`exec` or `display`, where), or None when
        it is used otherwise, or not known."""
        for literal, name, direct in self.literals:
            if not _within(span, literal):
                continue
            uses = [direct] if direct else []
            if name is not None:
                scope, _, bound = name.partition(":")
                uses += self.name_uses.get((int(scope), bound), [])
            run = next((u for u in uses if u[0] == EXEC), None)
            if run is not None:
                return run
            if uses and all(u[0] in (DISPLAY, SERVE) for u in uses):
                return uses[0]
            return None
        return None

    def _span(self, node: ast.AST) -> Span:
        start = self._offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self._offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return self.lines.span(start, end)

    def _offset(self, line: int, byte_column: int) -> int:
        """`ast` counts columns in UTF-8 bytes; ftscan in characters."""
        text = self.text_lines[line - 1] if line - 1 < len(self.text_lines) else ""
        column = len(text.encode("utf-8")[:byte_column].decode("utf-8", "replace"))
        return self.lines.starts[line - 1] + column


def _within(inner: Span, outer: Span) -> bool:
    return (inner.line, inner.column) >= (outer.line, outer.column) and (
        inner.end_line,
        inner.end_column,
    ) <= (
        outer.end_line,
        outer.end_column,
    )


def _strings(node: ast.AST) -> Iterator[ast.AST]:
    """The string literals an expression is made of (`"a" + x`, f-strings, `"%s" % x`)."""
    if (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr):
        yield node
    elif isinstance(node, ast.BinOp):
        yield from _strings(node.left)
        yield from _strings(node.right)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        yield from _strings(node.func.value)


def _names(node: ast.AST) -> Iterator[str]:
    """The names an argument is made of (`cmd`, `cmd + " --x"`, `f"{cmd}"`)."""
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.BinOp):
        yield from _names(node.left)
        yield from _names(node.right)
    elif isinstance(node, ast.JoinedStr):
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                yield from _names(value.value)
    elif isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            yield from _names(element)


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):  # `get_ipython().system(...)`, `logging.getLogger().info(...)`
        parts.append(_dotted(node.func))
    return ".".join(reversed(parts))


@cache
def _sink(callee: str) -> str | None:
    if callee in EXEC_CALLS or callee.startswith(_EXEC_PREFIXES):
        return EXEC
    if callee in DISPLAY_CALLS:
        return DISPLAY
    head, _, method = callee.rpartition(".")
    receiver = head.rpartition(".")[2].lower()
    if method in _LOG_METHODS and ("log" in receiver or receiver.endswith("getlogger")):
        return DISPLAY
    if method in _CONSOLE_METHODS and "console" in receiver:
        return DISPLAY
    if method in _ROUTE_METHODS and receiver.endswith(_ROUTERS):
        return SERVE
    return None
