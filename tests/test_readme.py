"""The README's snippets work as written."""

from __future__ import annotations

import json
import re

from conftest import AS_OF, ROOT, run_ftscan

from ftscan.config import load_config
from ftscan.pipeline.examples import run_examples
from ftscan.rules.load import load_packs

README = (ROOT / "README.md").read_text()


def block(language: str, containing: str) -> str:
    for match in re.finditer(rf"```{language}\n(.*?)```", README, re.S):
        if containing in match[1]:
            return match[1]
    raise AssertionError(f"no ```{language} block with {containing!r} in README.md")


def test_setup_commands_come_first():
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, re.S)
    assert commands[:2] == [
        "pip install . && ftscan scan fixtures/demo --as-of 2026-11-22",
        "pip install -c constraints.txt -e '.[test]' && python -m pytest",
    ]
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci


def test_configuration_snippet_loads(tmp_path):
    (tmp_path / "pyproject.toml").write_text(block("toml", "[tool.ftscan]"))
    config = load_config(tmp_path / "pyproject.toml")
    assert config.fail_on == "warning" and config.per_path_ignores == (("docs/", ("FT101", "FT104")),)


def test_ignore_snippet_suppresses_both_rules(tmp_path):
    header = "from openai import OpenAI\nclient = OpenAI()\nfile_id = 'file-1'\n"
    code = header + block("python", "ftscan: ignore")
    (tmp_path / "train.py").write_text(code)
    result = run_ftscan("scan", str(tmp_path), "--root", str(tmp_path), "-f", "json", "--as-of", AS_OF)
    data = json.loads(result.stdout)
    assert data["findings"] == []
    assert sorted(f["rule_id"] for f in data["suppressed"]) == ["FT201", "FT206"]
    assert result.returncode == 0


def test_custom_pack_snippet_loads_and_its_example_passes(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text(block("yaml", "pack: acme-internal"))
    packs = load_packs([path])
    results = run_examples(packs, ["ACME1"])
    assert results and all(r.passed for r in results), [r.describe() for r in results]
