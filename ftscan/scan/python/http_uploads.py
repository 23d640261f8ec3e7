"""Training files uploaded by hand, over HTTP: `requests`/`httpx` to the files endpoint.

```python
requests.post(f"{BASE}/v1/files", headers=auth, files={"file": f}, data={"purpose": "fine-tune"})
```

A `post` or `put` of `requests` or `httpx` (module functions, sessions and clients) whose
URL's literal text ends in `/files` and whose `data=`, `files=` (a `(None, "fine-tune")`
part too) or `json=` dict sets `purpose` to `fine-tune` is reported as the SDK's
`openai.files.create`. A URL on another host (Together, Fireworks) is another provider's; a
URL whose host cannot be read from the file (`f"{BASE}/files"`) is a medium-confidence guess.
"""

from __future__ import annotations

import re

import libcst as cst

from ftscan.scan.python.binder import CallSite, Scope
from ftscan.scan.python.sdk import is_other_provider
from ftscan.scan.python.syntax import literal_string
from ftscan.scan.python.values import Values
from ftscan.types import Confidence, Props

HTTP_ROOTS = frozenset({"requests", "httpx"})
_METHODS = frozenset({"post", "put"})
_BODIES = ("data", "files", "json")
_FILES_URL = re.compile(r"/files/?$")
_HOST = re.compile(r"^[a-z]+://([^/]+)", re.IGNORECASE)
_UPLOAD = "openai.files.create"


def http_upload(site: CallSite, values: Values) -> tuple[str, Confidence, Props] | None:
    """`openai.files.create`, its confidence and props, for an upload of training data."""
    value = site.value
    if value is None or value.root not in HTTP_ROOTS or value.qname.rpartition(".")[2] not in _METHODS:
        return None
    call = site.node
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
    url = positional[0] if positional else keywords.get("url")
    text = _text(url, values, site.scope) if url is not None else None
    if text is None or not _FILES_URL.search(text):
        return None
    purpose = next(
        (found for body in _BODIES if (found := _purpose(keywords.get(body), values, site.scope))), None
    )
    if purpose is None or purpose.replace("_", "-") != "fine-tune":
        return None
    host = _HOST.match(text)
    props: Props = (("via", value.qname), ("arg:purpose", purpose))
    if host is not None and is_other_provider(host[1]):
        props += (("provider", "other"),)
    return _UPLOAD, "high" if host is not None else "medium", props


def _purpose(body: cst.BaseExpression | None, values: Values, scope: Scope) -> str | None:
    """The `purpose` a request body's dict sets: a string, or a multipart `(None, "...")`."""
    body = values.dict_of(body, scope)
    if body is None:
        return None
    for element in body.elements:
        if isinstance(element, cst.DictElement) and literal_string(element.key) == "purpose":
            part = element.value
            if isinstance(part, cst.Tuple) and len(part.elements) >= 2:
                part = part.elements[1].value
            return values.value(part, scope)
    return None


def _text(expr: cst.BaseExpression, values: Values, scope: Scope) -> str | None:
    """The literal text of a URL, `{}` for each part computed at run time."""
    if isinstance(expr, cst.FormattedString):
        return "".join(
            part.value if isinstance(part, cst.FormattedStringText) else "{}" for part in expr.parts
        )
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        left, right = _text(expr.left, values, scope), _text(expr.right, values, scope)
        return (left if left is not None else "{}") + (right if right is not None else "{}")
    return values.value(expr, scope)
