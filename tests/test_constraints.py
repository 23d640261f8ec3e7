"""The committed lock pins every dependency, at versions that pyproject.toml still admits."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        assert match, f"constraints.txt: not an exact pin: {line!r}"
        found[canonicalize_name(match[1])] = match[2]
    return found


def requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = list(project["project"]["dependencies"])
    for extra in project["project"].get("optional-dependencies", {}).values():
        listed.extend(extra)
    listed.extend(project["build-system"]["requires"])
    return [Requirement(text) for text in listed]


def test_every_requirement_is_pinned_within_its_range():
    pinned = pins()
    for requirement in requirements():
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue  # e.g. tomli, only below Python 3.11
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is in pyproject.toml but not pinned in constraints.txt"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"constraints.txt pins {requirement.name}=={pinned[name]}, outside pyproject.toml's "
            f"{requirement.specifier}"
        )


def test_ci_installs_from_the_lock():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -c constraints.txt" in ci
    assert 'PIP_CONSTRAINT="$PWD/constraints.txt"' in ci
