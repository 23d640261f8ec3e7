"""The pre-commit hooks, run by pre-commit itself from a snapshot of this checkout.

Slow: pre-commit builds its own environment for the hooks (`pip install` of ftscan and its
dependencies, from PyPI) once per module. The snapshot is the working tree as it is now,
uncommitted changes included, committed to a throwaway repository that serves as the hook
repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

pytestmark = pytest.mark.slow

BAD_ID = "ft:gpt-3.5-turbo-0125:northwind::9tt19es9"
ENV_ID = "ft:gpt-4o-mini-2024-07-18:northwind:support-v3:Bq7x2LmN"
ENV_PATTERN = r"(^|/)(\.env(\..*)?|.*\.env|\.envrc)$"


def fenced_blocks(markdown: str, section: str, language: str) -> list[str]:
    """The ```language blocks of one `## section` of a Markdown document."""
    match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    assert match, f"no section {section!r}"
    return re.findall(rf"^```{language}\n(.*?)^```", match.group(1), re.M | re.S)


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    """An environment where git and pre-commit see nothing of the user's or an outer hook's."""
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / "gitconfig"
    gitconfig.write_text("[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    clean.update(
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="ftscan tests",
        GIT_AUTHOR_EMAIL="tests@ftscan.invalid",
        GIT_COMMITTER_NAME="ftscan tests",
        GIT_COMMITTER_EMAIL="tests@ftscan.invalid",
        PRE_COMMIT_HOME=str(home / "pre-commit"),
        PRE_COMMIT_COLOR="never",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return clean


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory, env) -> tuple[str, str]:
    """(path, rev) of a repository holding this checkout's tracked and untracked files."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to test the pre-commit hooks")
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT, env=env)
    repo = tmp_path_factory.mktemp("hook-repo")
    for rel in sorted(set(filter(None, listed.split("\0")))):
        source = ROOT / rel
        if source.is_file() and not source.is_symlink():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / rel)
    git("init", "-q", cwd=repo, env=env)
    git("add", "-A", cwd=repo, env=env)
    git("commit", "-q", "-m", "snapshot", cwd=repo, env=env)
    return str(repo), git("rev-parse", "HEAD", cwd=repo, env=env).strip()


def readme_config(repo: str, rev: str, args: list[str] | None = None) -> str:
    """The README's `.pre-commit-config.yaml`, pointed at the snapshot."""
    (snippet,) = fenced_blocks((ROOT / "README.md").read_text(encoding="utf-8"), "pre-commit", "yaml")
    config = yaml.safe_load(snippet)
    (entry,) = config["repos"]
    assert entry["repo"] == "https://github.com/ftscan/ftscan" and entry["rev"]
    entry.update(repo=repo, rev=rev)
    if args:
        for hook in entry["hooks"]:
            hook["args"] = args
    return yaml.safe_dump(config, sort_keys=False)


@pytest.fixture
def project(tmp_path, env, hook_repo):
    """A git repository using the hooks: a file with a fine-tuned model ID, one without, a `.env`."""

    def make(args: list[str] | None = None) -> Path:
        root = tmp_path / "project"
        root.mkdir()
        (root / ".pre-commit-config.yaml").write_text(readme_config(*hook_repo, args), encoding="utf-8")
        (root / "app.py").write_text(f'"""Chat."""\n\nMODEL = "{BAD_ID}"\n', encoding="utf-8")
        (root / "clean.py").write_text('MODEL = "gpt-4o-mini"\n', encoding="utf-8")
        (root / ".env").write_text(f"# models\nSUPPORT_MODEL={ENV_ID}\n", encoding="utf-8")
        git("init", "-q", cwd=root, env=env)
        git("add", "-A", cwd=root, env=env)
        return root

    return make


def pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def hook_output(stdout: str) -> dict[str, str]:
    """What each hook printed, by hook id."""
    blocks = re.split(r"^\S.*?\.{3,}(?:\(no files to check\))?(?:Passed|Failed|Skipped)$", stdout, flags=re.M)
    found = (re.match(r"\s*- hook id: (\S+)\n", block) for block in blocks)
    return {m.group(1): block for m, block in zip(found, blocks, strict=True) if m}


def test_hooks_file_declares_both_hooks():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"ftscan", "ftscan-env"}
    for hook in hooks.values():
        assert hook["entry"].startswith("ftscan scan") and "--as-of" not in hook["entry"]
        assert hook["language"] == "python" and hook["require_serial"] is False
        assert hook.get("pass_filenames", True) and "args" not in hook
    assert hooks["ftscan-env"]["files"] == ENV_PATTERN == hooks["ftscan"]["exclude"]
    (snippet,) = fenced_blocks((ROOT / "README.md").read_text(encoding="utf-8"), "pre-commit", "yaml")
    assert [h["id"] for h in yaml.safe_load(snippet)["repos"][0]["hooks"]] == list(hooks)
    for name in (".env", "deploy/.env.production", "prod.env", ".envrc"):
        assert re.search(ENV_PATTERN, name), name
    for name in ("env.py", "environment.yml", ".envoy/config.yaml"):
        assert not re.search(ENV_PATTERN, name), name


def test_all_files_fail_and_name_file_line_rule(project, env):
    root = project()
    result = pre_commit("run", "--all-files", cwd=root, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    hooks = hook_output(result.stdout)
    assert re.search(r"^app\.py:3:10: FT101 \w+ .*" + re.escape(BAD_ID), hooks["ftscan"], re.M)
    assert "clean.py" not in result.stdout
    assert ".env" not in hooks["ftscan"], "a .env file is the ftscan-env hook's"
    assert re.search(r"^\.env:2:15: FT101 \w+ .*" + re.escape(ENV_ID), hooks["ftscan-env"], re.M)


def test_clean_file_alone_passes(project, env):
    root = project()
    result = pre_commit("run", "--files", "clean.py", cwd=root, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^ftscan \(OpenAI.*Passed$", result.stdout, re.M)
    assert re.search(r"^ftscan \(\.env files\).*Skipped$", result.stdout, re.M)


def test_env_hook_on_env_file_only(project, env):
    root = project()
    result = pre_commit("run", "ftscan-env", "--files", ".env", "clean.py", cwd=root, env=env)
    assert result.returncode == 1
    assert re.search(r"^\.env:2:15: FT101 ", result.stdout, re.M)
    assert "clean.py" not in result.stdout
    result = pre_commit("run", "ftscan", "--files", ".env", cwd=root, env=env)
    assert result.returncode == 0 and "Skipped" in result.stdout


def test_args_reach_ftscan(project, env):
    """`args` from the config are passed through (here a fixed date and a threshold)."""
    root = project(args=["--as-of", "2026-11-22", "--fail-on", "error"])
    placeholder = 'PLACEHOLDER = "ft:gpt-4o-mini:my-org:custom-suffix:id"\n'
    (root / "clean.py").write_text(placeholder, encoding="utf-8")
    git("add", "-A", cwd=root, env=env)
    result = pre_commit("run", "--files", "clean.py", cwd=root, env=env)
    assert result.returncode == 0, result.stdout  # a note, below --fail-on error
    result = pre_commit("run", "--files", "app.py", cwd=root, env=env)
    assert result.returncode == 1
    assert "app.py:3:10: FT101 error" in result.stdout and "30 days ago" in result.stdout


def test_parallel_batches_report_every_file_once(project, env):
    root = project()
    for i in range(24):
        (root / f"m{i:02}.py").write_text(f'MODEL_{i} = "{BAD_ID}"\n', encoding="utf-8")
    git("add", "-A", cwd=root, env=env)
    result = pre_commit("run", "ftscan", "--all-files", cwd=root, env=env)
    assert result.returncode == 1
    reported = re.findall(r"^(\S+\.py):\d+:\d+: FT101 ", result.stdout, re.M)
    assert sorted(reported) == sorted(["app.py", *(f"m{i:02}.py" for i in range(24))])


def test_git_commit_runs_the_hooks(project, env):
    root = project()
    installed = pre_commit("install", cwd=root, env=env)
    assert installed.returncode == 0, installed.stderr
    git("reset", "-q", cwd=root, env=env)
    git("add", "app.py", cwd=root, env=env)
    bad = subprocess.run(
        ["git", "commit", "-m", "use a fine-tuned model"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert bad.returncode != 0
    assert re.search(r"^app\.py:3:10: FT101 ", bad.stdout + bad.stderr, re.M)
    git("reset", "-q", cwd=root, env=env)
    git("add", "clean.py", ".pre-commit-config.yaml", cwd=root, env=env)
    good = subprocess.run(
        ["git", "commit", "-m", "a clean file"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert git("log", "--format=%s", cwd=root, env=env).splitlines() == ["a clean file"]
