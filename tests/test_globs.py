"""Glob sets match exactly what `fnmatch.fnmatchcase` matches, with or without a regex."""

from __future__ import annotations

import fnmatch

from hypothesis import given
from hypothesis import strategies as st

from ftscan.rules.globs import GlobSet, glob_set
from ftscan.rules.load import load_packs

NAME = st.text(alphabet="ab.*_\n", max_size=12)
PARTS = ["a", "b", ".", "_", "*", "**", "?", "[ab]", "[!a]", "\n"]
GLOB = st.lists(st.sampled_from(PARTS), max_size=8).map("".join)


@given(globs=st.lists(GLOB, max_size=4), name=NAME)
def test_a_glob_set_matches_as_fnmatchcase_does(globs: list[str], name: str) -> None:
    assert GlobSet(globs).fullmatch(name) == any(fnmatch.fnmatchcase(name, glob) for glob in globs)


def test_the_shipped_call_globs() -> None:
    calls = tuple(dict.fromkeys(c for p in load_packs() for r in p.rules for m in r.matches for c in m.calls))
    globs = glob_set(calls)
    names = [
        "openai.fine_tuning.jobs.create", "openai.FineTune.create", "litellm.create_fine_tuning_job",
        "llama_index.finetuning.OpenAIFinetuneEngine", "openai.files.create", "openai.FineTuningJob.list",
        "openai.FineTuningJobs", "openai.chat.completions.create", "openai.fine_tuning",
        "xopenai.files.create", "",
    ]  # fmt: skip
    for name in names:
        assert globs.fullmatch(name) == any(fnmatch.fnmatchcase(name, c) for c in calls), name
    assert globs.fullmatch("openai.fine_tuning.jobs.create")
    assert not globs.fullmatch("openai.chat.completions.create")


def test_a_set_of_call_globs_is_built_once_and_matches_whole_names() -> None:
    globs = glob_set(("openai.fine_tuning.*",))
    assert globs.fullmatch("openai.fine_tuning.jobs.create")
    assert not globs.fullmatch("openai.files.create")
    assert not globs.fullmatch("x.openai.fine_tuning.jobs.create")
    assert globs is glob_set(("openai.fine_tuning.*",))  # built once
