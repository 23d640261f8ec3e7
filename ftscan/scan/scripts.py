"""Python scripts without the `.py` extension, told by their content.

The walk names an extensionless file Python when its shebang says so. A file without one
is Python when it parses as Python and either stands in a `scripts` or `bin` directory
(`scripts/train`, `bin/finetune`) or, anywhere in the tree, imports OpenAI's SDK or an HTTP
library (`tools/retrain` with `import openai`); otherwise it stays text, without a word
(it may be a shell script or a license).
"""

from __future__ import annotations

import ast
import posixpath
import re
import warnings

SCRIPT_DIRS = frozenset({"scripts", "script", "bin"})
_IMPORTS = re.compile(
    r"^[ \t]*(?:from|import)[ \t]+(?:openai|requests|httpx|aiohttp|urllib|litellm|http\.client)\b", re.M
)


def is_python_script(rel: str, text: str) -> bool:
    """An extensionless file whose text parses as Python 3, in a scripts directory or
    importing an SDK or HTTP library."""
    parent, name = posixpath.split(rel)
    if "." in name or not text.strip():
        return False
    if posixpath.basename(parent) not in SCRIPT_DIRS and _IMPORTS.search(text) is None:
        return False
    try:
        with warnings.catch_warnings():  # `"\d"` and the like warn while compiling
            warnings.simplefilter("ignore")
            ast.parse(text, filename=name)
    except Exception:  # a syntax error, NUL bytes, nesting too deep: not Python
        return False
    return True
