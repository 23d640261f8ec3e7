"""Extensionless Python scripts, told by their content: in scripts/ and bin/, or anywhere
when they import OpenAI's SDK or an HTTP library."""

from __future__ import annotations

from ftscan.scan.scripts import is_python_script

PYTHON = 'from openai import OpenAI\nOpenAI().fine_tuning.jobs.create(model="gpt-4o-mini")\n'
SHELL = "openai api fine_tuning.jobs.create -t file-abc -m gpt-4o-mini\nexit 0\n"
PLAIN = "x = 1\nprint(x)\n"
REQUESTS = 'import requests\nrequests.post("https://api.openai.com/v1/fine_tuning/jobs", json={})\n'


def test_a_script_anywhere_that_imports_the_sdk_or_http_is_python():
    assert is_python_script("tools/retrain", PYTHON)
    assert is_python_script("retrain", REQUESTS)
    assert not is_python_script("tools/retrain", SHELL)  # mentions openai, imports nothing


def test_a_script_that_parses_in_a_scripts_directory_is_python():
    assert is_python_script("scripts/finetune", PYTHON)
    assert is_python_script("tools/bin/train", PYTHON)
    assert is_python_script("script/train", PYTHON)


def test_anything_else_stays_text():
    assert not is_python_script("scripts/finetune", SHELL)  # does not parse
    assert not is_python_script("scripts/finetune.txt", PYTHON)  # has an extension
    assert not is_python_script("src/finetune", PLAIN)  # not a scripts directory, imports nothing
    assert not is_python_script("finetune", PLAIN)
    assert not is_python_script("bin/empty", "  \n")
    assert not is_python_script("bin/nul", "x = 1\0\n")
    assert not is_python_script("bin/deep", "(" * 5000 + ")" * 5000)
