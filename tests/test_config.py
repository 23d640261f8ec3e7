"""Configuration files: discovery, every option, errors that name the file and the key."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import AS_OF

from ftscan.config import ConfigError, find_config, load_config

RETIRED = 'MODEL = "ft:gpt-3.5-turbo-0125:northwind::9tt19es9"\n'
LATER = 'MODEL = "ft:gpt-4o-mini-2024-07-18:northwind:support:Bq7x2LmN"\n'


def test_pyproject_table_is_found_from_a_subdirectory(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.ftscan]\nfail-on = "error"\n')
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    assert find_config(tmp_path / "src" / "pkg") == tmp_path / "pyproject.toml"


def test_nearest_file_wins_and_pyproject_without_table_is_skipped(tmp_path):
    (tmp_path / ".ftscan.toml").write_text('fail-on = "warning"\n')
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(tmp_path / "sub") == tmp_path / ".ftscan.toml"


def test_search_stops_at_the_repository_top(tmp_path):
    (tmp_path / "ftscan.toml").write_text('fail-on = "warning"\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_config(repo) is None


def test_every_key(tmp_path):
    path = tmp_path / "ftscan.toml"
    path.write_text(
        'exclude = ["tests/"]\ninclude = ["*.py"]\nrules = ["packs"]\ndisable = ["OP104"]\n'
        'fail-on = "warning"\nwarn-within = 30\nsarif-category = "backend"\nas-of = 2026-11-22\n'
        'max-file-size = 1000\ngitignore = false\njobs = 1\nbaseline = "ftscan-baseline.json"\n'
        '[per-path-ignores]\n"docs/**" = ["FT101", "FT104"]\n'
    )
    config = load_config(path)
    assert config.exclude == ("tests/",) and config.include == ("*.py",)
    assert config.rules == (tmp_path / "packs",)
    assert config.per_path_ignores == (("docs/**", ("FT101", "FT104")),)
    assert (config.fail_on, config.warn_within, config.sarif_category) == ("warning", 30, "backend")
    assert (config.as_of, config.max_file_size, config.gitignore, config.jobs) == (
        date(2026, 11, 22),
        1000,
        False,
        1,
    )
    assert config.baseline == tmp_path / "ftscan-baseline.json"


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('[tool.ftscan]\nfail_on = "error"\n', "tool.ftscan.fail_on", "unknown key"),
        ('[tool.ftscan]\nfail-on = "fatal"\n', "tool.ftscan.fail-on", "expected one of note, warning, error"),
        ('[tool.ftscan]\nwarn-within = "90"\n', "tool.ftscan.warn-within", "expected a whole number"),
        ('[tool.ftscan]\nexclude = "tests/"\n', "tool.ftscan.exclude", "expected a list of strings"),
        ('[tool.ftscan]\nas-of = "tomorrow"\n', "tool.ftscan.as-of", "expected a date"),
        (
            '[tool.ftscan.per-path-ignores]\n"a/*" = "FT101"\n',
            "tool.ftscan.per-path-ignores",
            "glob = [rule IDs]",
        ),
    ],
)
def test_errors_name_the_file_and_key(tmp_path, text, key, problem):
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == key and problem in caught.value.problem
    assert str(caught.value).startswith(f"{path}: {key}: ")


def test_cli_reports_a_config_error_with_exit_2(ftscan, tmp_path):
    (tmp_path / "ftscan.toml").write_text("fail-on = 3\n")
    result = ftscan("scan", str(tmp_path), "--root", str(tmp_path))
    assert result.returncode == 2
    assert f"config error: {tmp_path / 'ftscan.toml'}: fail-on: expected one of" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_options_apply_and_the_command_line_wins(ftscan, tmp_path):
    (tmp_path / "ftscan.toml").write_text('fail-on = "error"\nexclude = ["vendor/"]\nas-of = 2026-06-01\n')
    (tmp_path / "later.py").write_text(LATER)
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "old.py").write_text(RETIRED)
    result = ftscan("scan", str(tmp_path), "--root", str(tmp_path), "-f", "json")
    data = json.loads(result.stdout)
    assert data["as_of"] == "2026-06-01"
    assert [(f["path"], f["level"]) for f in data["findings"]] == [("later.py", "note")]
    assert result.returncode == 0  # a note is below fail-on = "error"
    override = ftscan("scan", str(tmp_path), "--root", str(tmp_path), "--fail-on", "note", "--as-of", AS_OF)
    assert override.returncode == 1 and "later.py:1:10: FT101 warning" in override.stdout


def test_per_path_ignores_suppress_but_keep(ftscan, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.ftscan.per-path-ignores]\n"docs/" = ["FT101"]\n')
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "example.py").write_text(RETIRED)
    result = ftscan("scan", str(tmp_path), "--root", str(tmp_path), "-f", "sarif", "--as-of", AS_OF)
    assert result.returncode == 0
    (finding,) = json.loads(result.stdout)["runs"][0]["results"]
    assert finding["suppressions"] == [
        {
            "kind": "external",
            "justification": "FT101 ignored for this path",
            "properties": {"source": f"{tmp_path / 'pyproject.toml'} per-path-ignores"},
        },
    ]


def test_no_config_flag(ftscan, tmp_path):
    (tmp_path / "ftscan.toml").write_text('fail-on = "error"\n')
    (tmp_path / "later.py").write_text(LATER)
    args = ("scan", str(tmp_path), "--root", str(tmp_path), "--as-of", AS_OF)
    assert ftscan(*args).returncode == 0
    assert ftscan(*args, "--no-config").returncode == 1
