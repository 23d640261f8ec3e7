"""tree-sitter parsing of JavaScript and TypeScript, and offsets between bytes and characters.

tree-sitter is error tolerant: a region that does not parse becomes an ERROR (or a MISSING)
node and the rest of the file keeps its structure. The grammars are imported on the first
file that needs one, so a run whose files cannot match never loads them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ftscan.scan.trees import Node, Offsets, describe_errors, error_regions

__all__ = ["Node", "Offsets", "describe_errors", "dialect_of", "error_regions", "parse"]


@cache
def _parser(dialect: str) -> Any:
    from tree_sitter import Language, Parser

    if dialect == "javascript":
        import tree_sitter_javascript as grammar

        language = grammar.language()
    else:
        import tree_sitter_typescript as grammar

        language = grammar.language_tsx() if dialect == "tsx" else grammar.language_typescript()
    return Parser(Language(language))


def dialect_of(path: str) -> str:
    """`.ts .mts .cts` are TypeScript, `.tsx` TSX; every other extension is JavaScript (with JSX)."""
    suffix = path.rsplit(".", 1)[-1].lower()
    if suffix in ("ts", "mts", "cts"):
        return "typescript"
    return "tsx" if suffix == "tsx" else "javascript"


def parse(path: str, data: bytes) -> Any:
    """The tree of `data` parsed as the dialect `path` names."""
    return _parser(dialect_of(path)).parse(data)
