"""Fine-tuning calls made through a helper another module of the tree defines.

```python
# trainer/client.py
def upload(path, purpose):
    return client.files.create(file=open(path, "rb"), purpose=purpose)

# trainer/run.py
from .client import upload
upload("data/train.jsonl", purpose="fine-tune")     # the upload happens here
```

The module that defines the helper exports it (`forwarding.exported`: its parameters, the
keywords it forwards, the call it reaches); this module finds the calls of it in another
file. A name is resolved through the file's imports, relative ones against the file's own
package (`from .client import upload`, `from trainer import client as api` then
`api.upload(...)`, `from trainer.client import *`). An imported module path names a
helper's file when it is a tail of that file's path taken as a module (`trainer.client` is
`src/trainer/client.py`); of several such files the one nearest the caller wins. A call
that gives a forwarded parameter a string (a literal, a name bound to one, or the
parameter's default) is reported as the helper's call, at the call, with the helper named
in `via` and its call's place in `reaches`. A name the file defines itself is its own,
never an import; a call that passes its own parameter on is not followed further.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

import libcst as cst

from ftscan.scan.python.binder import CallSite
from ftscan.scan.python.forwarding import Found
from ftscan.scan.python.modules import module_parts
from ftscan.scan.python.stand_ins import patch_target
from ftscan.scan.python.syntax import dotted_name
from ftscan.scan.python.values import Function, Values
from ftscan.types import Helper

# Nodes whose children may be (or hold) import statements.
_HOLDS_STATEMENTS = (
    cst.Module,
    cst.IndentedBlock,
    cst.SimpleStatementLine,
    cst.BaseCompoundStatement,
    cst.Else,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.Finally,
)


class ImportedHelpers:
    """Calls, in one file, of helpers other files of the tree define."""

    def __init__(self, path: str, module: cst.Module, helpers: tuple[Helper, ...]) -> None:
        self.path = path
        self._helpers: dict[str, list[Helper]] = {}
        for helper in helpers:
            if helper.path != path:
                self._helpers.setdefault(helper.name, []).append(helper)
        # local name -> the dotted name it imports, and that name as written (`.client.upload`)
        self._names: dict[str, tuple[str, str]] = {}
        self._stars: list[tuple[str, str]] = []  # modules imported with `*`, likewise
        if self._helpers:
            self._read_imports(module)

    def calls(
        self, calls: list[CallSite], functions: dict[int, Function], values: Values
    ) -> Iterator[tuple[CallSite, Found]]:
        """Each call of an imported helper that gives a forwarded keyword a known string."""
        if not self._helpers:
            return
        own = {function.name for function in functions.values()}
        patched = [t for site in calls if (t := patch_target(site))]
        for site in calls:
            written = dotted_name(site.func)
            if written is None:
                continue
            for helper, imported, shown in self._resolve(written, own):
                found = _through(helper, shown, site, values)
                if found is not None:
                    yield site, _as_double(found) if _patched(imported, written, patched) else found

    def _resolve(self, written: str, own: set[str]) -> Iterator[tuple[Helper, str, str]]:
        """The helper a call's callee names, with the dotted name it imports, absolute and
        as written."""
        head, _, rest = written.partition(".")
        tail = f".{rest}" if rest else ""
        if head in own:
            return
        if head in self._names:
            imported, shown = self._names[head]
            modules = [((imported + tail).rpartition(".")[0], (shown + tail).rpartition(".")[0])]
        elif not rest and self._stars:
            modules = self._stars
        else:
            return
        name = written.rpartition(".")[2]
        for module, shown in modules:
            helper = self._nearest(name, tuple(module.split(".")) if module else ())
            if helper is not None:
                yield helper, _joined(module, name), _joined(shown, name)
                return

    def _nearest(self, name: str, module: tuple[str, ...]) -> Helper | None:
        """Of the helpers called `name` in a file whose module path ends with `module`, the
        one whose file shares the most directories with the caller."""
        if not module:
            return None
        found = [h for h in self._helpers.get(name, ()) if module_parts(h.path)[-len(module) :] == module]
        if not found:
            return None
        here = PurePosixPath(self.path).parent.parts
        return max(found, key=lambda h: (_shared(here, PurePosixPath(h.path).parent.parts), h.path))

    def _read_imports(self, module: cst.Module) -> None:
        package = module_parts(self.path)
        if PurePosixPath(self.path).stem != "__init__":
            package = package[:-1]
        for node in _imports(module):
            if isinstance(node, cst.Import):
                for alias in node.names:
                    name = dotted_name(alias.name)
                    if name is None:
                        continue
                    local = alias.asname.name if alias.asname else None
                    if isinstance(local, cst.Name):
                        self._names[local.value] = (name, name)
                    else:
                        head = name.partition(".")[0]
                        self._names[head] = (head, head)
                continue
            base = _absolute(node, package)
            if base is None:
                continue
            shown = "." * len(node.relative) + (dotted_name(node.module) or "" if node.module else "")
            if isinstance(node.names, cst.ImportStar):
                self._stars.append((base, shown))
                continue
            for alias in node.names:
                local = alias.asname.name if alias.asname else alias.name
                if isinstance(local, cst.Name) and isinstance(alias.name, cst.Name):
                    name = alias.name.value
                    self._names[local.value] = (_joined(base, name), _joined(shown, name))


def _joined(module: str, name: str) -> str:
    """`trainer.client` + `upload`; `.` + `client` is `.client`, not `..client`."""
    return f"{module}{name}" if not module or module.endswith(".") else f"{module}.{name}"


def _through(helper: Helper, imported: str, site: CallSite, values: Values) -> Found | None:
    """The helper's call with the keywords this call gives it, or None when it gives none."""
    bound = _bind(helper.params, site.node)
    if bound is None:
        return None
    defaults = dict(helper.defaults)
    known = []
    for keyword, param in helper.forwards:
        expr = bound.get(param)
        value = values.value(expr, site.scope) if expr is not None else defaults.get(param)
        if value is not None:
            known.append((f"arg:{keyword}", value))
    if not known:
        return None
    span = helper.sink
    reaches = f"{helper.path}:{span.line}:{span.column}:{span.end_line}:{span.end_column}"
    props = (*helper.props, *known, ("via", imported), ("reaches", reaches))
    return helper.call, helper.confidence, props


def _patched(imported: str, written: str, targets: list[str]) -> bool:
    """Whether a test patches the helper, its module's contents or the name it is called by
    (`patch("trainer.client.upload")`, `patch("trainer.client.client")`, `patch("app.upload")`)."""
    module = imported.rpartition(".")[0]
    return any(t == imported or t.startswith(f"{module}.") or t.endswith(f".{written}") for t in targets)


def _as_double(found: Found) -> Found:
    qname, _confidence, props = found
    return qname, "low", (*props, ("context", "test-double"))


def _bind(params: tuple[str, ...], call: cst.Call) -> dict[str, cst.BaseExpression] | None:
    """Parameter name -> the argument given for it; None when `*args` or `**kwargs` hide it."""
    if any(arg.star for arg in call.args):
        return None
    bound: dict[str, cst.BaseExpression] = {}
    index = 0
    for arg in call.args:
        if arg.keyword is not None:
            bound[arg.keyword.value] = arg.value
        elif index < len(params):
            bound[params[index]] = arg.value
            index += 1
    return bound


def _absolute(node: cst.ImportFrom, package: tuple[str, ...]) -> str | None:
    """The module a `from ... import` reads, relative ones resolved against `package`;
    None when it climbs above the tree."""
    module = dotted_name(node.module) if node.module is not None else ""
    if module is None:
        return None
    level = len(node.relative)
    if level == 0:
        return module
    if level - 1 > len(package):
        return None
    parts = package[: len(package) - (level - 1)]
    return ".".join((*parts, *([module] if module else [])))


def _imports(module: cst.Module) -> Iterator[cst.Import | cst.ImportFrom]:
    """Every import statement, at any depth (in a function, under `try:` or `if`)."""
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            yield node
        elif isinstance(node, _HOLDS_STATEMENTS):
            stack.extend(reversed(node.children))


def _shared(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count
