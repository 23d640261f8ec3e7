"""Extensionless Python scripts in scripts/ and bin/, told by their content."""

from __future__ import annotations

from ftscan.scan.scripts import is_python_script

PYTHON = 'from openai import OpenAI\nOpenAI().fine_tuning.jobs.create(model="gpt-4o-mini")\n'
SHELL = "openai api fine_tuning.jobs.create -t file-abc -m gpt-4o-mini\nexit 0\n"


def test_a_script_that_parses_in_a_scripts_directory_is_python():
    assert is_python_script("scripts/finetune", PYTHON)
    assert is_python_script("tools/bin/train", PYTHON)
    assert is_python_script("script/train", PYTHON)


def test_anything_else_stays_text():
    assert not is_python_script("scripts/finetune", SHELL)  # does not parse
    assert not is_python_script("scripts/finetune.txt", PYTHON)  # has an extension
    assert not is_python_script("src/finetune", PYTHON)  # not a scripts directory
    assert not is_python_script("finetune", PYTHON)
    assert not is_python_script("bin/empty", "  \n")
    assert not is_python_script("bin/nul", "x = 1\0\n")
    assert not is_python_script("bin/deep", "(" * 5000 + ")" * 5000)
