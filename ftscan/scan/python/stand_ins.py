"""Calls that look like fine-tuning but are not OpenAI's: test doubles and local students.

- A test double: a call on a `MagicMock()`/`Mock()`/`create_autospec(...)` object, any OpenAI
  call in a file that patches OpenAI (`patch("openai.OpenAI")`, `patch("app.trainer.OpenAI")`,
  `patch.object(openai...)`, `mocker.patch(...)`), and DSPy's `BootstrapFinetune` in a file
  that builds a `DummyLM`.
  Still reported, at low confidence (a note at most), with `context: test-double`.
- DSPy's `BootstrapFinetune` whose student is not an OpenAI model: a file that builds an LM
  on a `LocalProvider` (`dspy.LM("openai/local:...", provider=LocalProvider())`) or whose
  `dspy.LM(...)` models all name another provider (`ollama_chat/...`). Its props say
  `provider: other`, which the rules leave out as they do for another provider's client.
"""

from __future__ import annotations

import libcst as cst

from ftscan.frozen import Frozen
from ftscan.scan.python.binder import CallSite, Value
from ftscan.scan.python.sdk import CLIENT_CLASSES, MOCK_MODULES
from ftscan.scan.python.syntax import dotted_name, literal_string

_DOUBLE_NAMES = frozenset({"MagicMock", "Mock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock"})
_DUMMY_LMS = frozenset({"DummyLM"})
_PATCHES = frozenset({"patch", "patch.object", "patch.multiple", "patch.dict", "monkeypatch.setattr"})
_DSPY_LMS = frozenset({"LM", "OpenAI", "GPT3"})
_LOCAL_PROVIDERS = frozenset({"LocalProvider", "ArborProvider"})
_OPENAI_PREFIXES = ("openai/", "azure/", "gpt-", "o1", "o3", "o4", "ft:")
_LOCAL_OPENAI = "openai/local:"


class StandIns(Frozen):
    """What the file tells of doubles and DSPy students, from its resolved calls."""

    patches_openai: bool = False  # `patch("openai...")` somewhere in the file
    dummy_lm: bool = False  # a `DummyLM(...)` is built
    local_student: bool = False  # DSPy LMs on a local provider, or none of them OpenAI's

    @classmethod
    def of(cls, calls: list[CallSite]) -> StandIns:
        patches = dummy = local = False
        lms: list[bool] = []  # for each `dspy.LM(...)`: is its model OpenAI's?
        for site in calls:
            value, written = site.value, dotted_name(site.func) or ""
            qname = value.qname if value is not None else written
            last = qname.rpartition(".")[2]
            if _is_patch(qname, written) and _patches_openai(site):
                patches = True
            dummy = dummy or last in _DUMMY_LMS
            local = local or last in _LOCAL_PROVIDERS
            if last in _DSPY_LMS and qname.startswith("dspy."):
                lms.append(_openai_model(site.node))
        return cls(patches, dummy, local or (bool(lms) and not any(lms)))

    def double(self, site: CallSite, qname: str) -> bool:
        """Is this call, matched as `qname`, made on a test double?"""
        if site.value is not None and _is_double(site.value):
            return True
        if self.dummy_lm and qname.startswith("dspy."):
            return True
        return self.patches_openai and qname.startswith("openai.")

    def elsewhere(self, qname: str) -> bool:
        """A DSPy fine-tune of a student that OpenAI does not train."""
        return self.local_student and qname.startswith("dspy.") and qname.endswith("BootstrapFinetune")


def _is_double(value: Value) -> bool:
    parts = value.qname.split(".")
    return value.qname.startswith(MOCK_MODULES) or any(part in _DOUBLE_NAMES for part in parts)


def patch_target(site: CallSite) -> str | None:
    """The dotted target of `patch("trainer.client.client")` or `monkeypatch.setattr(
    "trainer.client.client", ...)`, as a call or a decorator; None for anything else."""
    written = dotted_name(site.func) or ""
    qname = site.value.qname if site.value is not None else written
    if not _is_patch(qname, written):
        return None
    args = [arg.value for arg in site.node.args if arg.keyword is None and not arg.star]
    return literal_string(args[0]) if args else None


def _is_patch(qname: str, written: str) -> bool:
    name = qname if qname.startswith(MOCK_MODULES) else written
    return any(name == patch or name.endswith(f".{patch}") for patch in _PATCHES)


def _patches_openai(site: CallSite) -> bool:
    """`patch("openai.OpenAI")`, `patch.object(openai.resources..., "create")`."""
    args = [arg.value for arg in site.node.args if arg.keyword is None and not arg.star]
    if not args:
        return False
    target = literal_string(args[0])
    if target is not None:  # `openai.OpenAI`, `app.trainer.OpenAI`, `app.openai_client`
        return any(part.startswith("openai") or part in CLIENT_CLASSES for part in target.split("."))
    name = dotted_name(args[0]) or ""  # `patch.object(client.fine_tuning.jobs, "create")`
    return name.split(".")[0] == "openai" or "fine_tuning" in name.split(".") or "client" in name.split(".")


def _openai_model(call: cst.Call) -> bool:
    """Does a `dspy.LM(model, ...)` name an OpenAI model (unknown counts as OpenAI's)?"""
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
    provider = keywords.get("provider")
    built = provider.func if isinstance(provider, cst.Call) else provider
    if built is not None and (dotted_name(built) or "").rpartition(".")[2] in _LOCAL_PROVIDERS:
        return False
    expr = positional[0] if positional else keywords.get("model")
    model = _head(expr) if expr is not None else None
    if model is None:
        return True
    if model.startswith(_LOCAL_OPENAI):
        return False
    return "/" not in model or model.startswith(_OPENAI_PREFIXES)


def _head(expr: cst.BaseExpression) -> str | None:
    """A literal, or the literal start of an f-string (`f"openai/local:{name}"`)."""
    if isinstance(expr, cst.FormattedString):
        first = expr.parts[0] if expr.parts else None
        return first.value if isinstance(first, cst.FormattedStringText) else None
    return literal_string(expr)
