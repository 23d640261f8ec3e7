"""One pure renderer per output format: `render(findings, run) -> str`.

`REPORTERS` maps a format name to the module that renders it; a module is imported only
when its format is asked for (SARIF's object model costs more to import than a scan).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module

from ftscan.types import Finding, RunInfo

Renderer = Callable[[Sequence[Finding], RunInfo], str]

REPORTERS: dict[str, str] = {
    "text": "ftscan.report.text",
    "json": "ftscan.report.json_report",
    "sarif": "ftscan.report.sarif",
    "github": "ftscan.report.github",
    "markdown": "ftscan.report.markdown",
}


def renderer(name: str) -> Renderer:
    return import_module(REPORTERS[name]).render  # type: ignore[no-any-return]
