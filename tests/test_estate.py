"""The estate: inventories of several repositories merged, scanned together, and joined with
several OpenAI organizations (two local stubs of the API, never the network).

fixtures/estate holds three repositories (see its README): the production support API, the
training repository that makes the support model, and a research repository.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import AS_OF, FIXTURES, ROOT
from openai_stub import Organization, Stub, job, model
from test_inventory import browse

ESTATE = FIXTURES / "estate"
REPOSITORIES = ("support-api", "ml-training", "research-notebooks")
SUPPORT = "ft:gpt-4o-mini-2024-07-18:northwind:support-v3:Bq7x2LmN"
TRIAGE = "ft:gpt-4.1-mini-2025-04-14:northwind:triage:Tr1ag3Xy"
LEGACY = "ft:gpt-4o-mini-2024-07-18:northwind:support-v2:Old0v2Zz"  # named in code, held by no one
SUMMARIES = "ft:gpt-4o-2024-08-06:northwind-research:summaries:Rs3arch1"
BILLING = "ft:gpt-4o-mini-2024-07-18:northwind:billing:Zz9Yy8Xw"  # held, named nowhere: an orphan
NOW = "2026-11-22T12:00:00Z"
KEYS = {
    "OPENAI_PROD_KEY": "sk-test-prod-Zq8rT3vW9yX2aB5cD7eF1gH4",
    "OPENAI_PROD_ADMIN_KEY": "sk-admin-prod-Lm3nO5pQ7rS9tU1vW3xY5",
    "OPENAI_RESEARCH_KEY": "sk-test-research-Hj4kL6mN8pQ0rS2tU4",
    "OPENAI_RESEARCH_ADMIN_KEY": "sk-admin-research-Vw6xY8zA0bC2dE4fG6",
}
ORGANIZATIONS = """
[[tool.ftscan.organizations]]
name = "production"
api_key_env = "OPENAI_PROD_KEY"
admin_key_env = "OPENAI_PROD_ADMIN_KEY"
base_url_env = "OPENAI_PROD_BASE_URL"

[[tool.ftscan.organizations]]
name = "research"
api_key_env = "OPENAI_RESEARCH_KEY"
admin_key_env = "OPENAI_RESEARCH_ADMIN_KEY"
base_url_env = "OPENAI_RESEARCH_BASE_URL"
"""


def ftscan(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    environ.update(FTSCAN_ONLINE_NOW=NOW, FTSCAN_ONLINE_BACKOFF="0.001", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "ftscan", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=environ,
    )


@pytest.fixture(scope="module")
def inventories(tmp_path_factory) -> list[Path]:
    """Each repository's inventory, as an estate's matrix job makes it."""
    out = tmp_path_factory.mktemp("inventories")
    found = []
    for name in REPOSITORIES:
        path = out / f"{name}.json"
        repo = ESTATE / name
        result = ftscan(
            "inventory", str(repo), "--root", str(repo), "--repo", f"acme/{name}", "--as-of", AS_OF,
            "-f", "json", "-o", str(path),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        found.append(path)
    return found


def merged(inputs: list[Path], *args: str, env: dict[str, str] | None = None) -> dict:
    result = ftscan("inventory", "merge", *map(str, inputs), "-f", "json", *args, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def by_id(document: dict) -> dict[str, dict]:
    return {m["id"]: m for m in document["models"]}


# -- merging ---------------------------------------------------------------------------------


def test_merging_in_any_order_gives_the_same_bytes(inventories):
    for fmt in ("json", "markdown", "html", "csv", "ics"):
        outputs = {
            ftscan("inventory", "merge", *map(str, order), "-f", fmt).stdout
            for order in itertools.permutations(inventories)
        }
        assert len(outputs) == 1, fmt
        assert outputs.pop()


def test_the_estate_names_every_repository_application_and_recipe(inventories):
    estate = merged(inventories)
    assert estate["estate"] is True and estate["ftscan_inventory_version"] == 2
    assert [(r["name"], r["scanned"]) for r in estate["repositories"]] == [
        ("acme/ml-training", True),
        ("acme/research-notebooks", True),
        ("acme/support-api", True),
    ]
    models = by_id(estate)
    support = models[SUPPORT]
    assert support["repositories"] == ["acme/research-notebooks", "acme/support-api"]
    assert support["applications"] == ["acme/research-notebooks", "acme/support-api"]
    assert [p["path"] for p in support["locations"]] == [
        "acme/research-notebooks:summaries.py",
        "acme/support-api:app/models.py",
    ]
    # Used in two repositories, trained in a third: the job's suffix and base make its ID, and
    # the file that job uploads is its training set. The other training set is not its recipe.
    assert support["recipe"] == {
        "found_by": "job suffix and base",
        "rebuildable": True,
        "pipelines": ["acme/ml-training:train_support.py"],
        "training_data": ["acme/ml-training:data/support.jsonl"],
        "training_files": [],
    }
    assert models[TRIAGE]["recipe"]["found_by"] is None  # offline, nothing tells: unknown
    (pipeline,) = estate["pipelines"]
    assert (pipeline["path"], pipeline["repository"], pipeline["models"]) == (
        "acme/ml-training:train_support.py",
        "acme/ml-training",
        [LEGACY, SUPPORT],  # the models on its base, whichever repository uses them
    )
    assert [t["place"]["path"] for t in estate["training_data"]] == [
        "acme/ml-training:data/support.jsonl",
        "acme/ml-training:data/triage.jsonl",
    ]
    markdown = ftscan("inventory", "merge", *map(str, inventories)).stdout
    assert "As of 2026-11-22: 3 repositories, 4 fine-tuned models" in markdown
    assert "| `acme/support-api` | " in markdown.partition("### Repositories")[2]


def test_an_estate_merges_again_and_a_repository_twice_is_refused(inventories, tmp_path):
    first = tmp_path / "first.json"
    first.write_text(ftscan("inventory", "merge", *map(str, inventories[:2]), "-f", "json").stdout)
    again = merged([first, inventories[2]])
    assert again == merged(inventories)  # merging is associative
    result = ftscan("inventory", "merge", str(first), str(inventories[0]))
    assert result.returncode == 2
    assert f"merge error: {inventories[0]}: repository 'acme/support-api' is in two of the inventories" in (
        result.stderr
    )


def test_refusals_name_the_file_and_the_field(inventories, tmp_path):
    document = json.loads(inventories[0].read_text())
    old = tmp_path / "old.json"
    old.write_text(json.dumps({**document, "ftscan_inventory_version": 1}))
    result = ftscan("inventory", "merge", str(old), str(inventories[1]))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{old}: an inventory of format version 1; this ftscan reads version 2" in result.stderr

    broken = tmp_path / "broken.json"
    document["models"][0]["locations"][0]["line"] = "seven"
    broken.write_text(json.dumps(document))
    result = ftscan("inventory", "merge", str(broken))
    assert f"{broken}: models[0].locations[0].line: expected a whole number" in result.stderr

    later = tmp_path / "later.json"
    later.write_text(json.dumps({**json.loads(inventories[1].read_text()), "as_of": "2026-11-23"}))
    result = ftscan("inventory", "merge", str(inventories[0]), str(later))
    assert "dated differently (2026-11-22, 2026-11-23): give the estate's date with --as-of" in result.stderr
    dated = merged([inventories[0], later], "--as-of", "2026-12-06")
    assert dated["as_of"] == "2026-12-06" and by_id(dated)[SUPPORT]["days_left"] == 39  # counted again

    packs = tmp_path / "packs.json"
    other = json.loads(inventories[1].read_text())
    other["packs"][0]["version"] = "2099.01.01"
    packs.write_text(json.dumps(other))
    result = ftscan("inventory", "merge", str(inventories[0]), str(packs))
    assert f"{packs}: the inventories were dated by different rule packs" in result.stderr
    assert result.returncode == 2

    redacted = tmp_path / "redacted.json"
    redacted.write_text(json.dumps({**json.loads(inventories[2].read_text()), "redacted": True}))
    result = ftscan("inventory", "merge", str(redacted))
    assert f"{redacted}: a redacted inventory cannot be merged" in result.stderr
    result = ftscan("inventory", "merge", str(tmp_path / "missing.json"))
    assert result.returncode == 2 and "does not exist" in result.stderr


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (
            ("repositories", 0, "url"),
            "javascript:alert(1)//",
            "repositories[0].url: expected https://host/owner/name",
        ),
        (("repositories", 0, "commit"), "HEAD", "repositories[0].commit: expected a commit"),
        (("repositories", 0, "name"), "acme/a:b", "repositories[0].name: expected a repository name"),
        (("models", 0, "level"), "critical", "models[0].level: expected one of"),
        (("pipelines", 0, "jobs"), [], "pipelines[0].jobs: expected a list of at least 1"),
        (
            ("models", 0, "inference_end", "date"),
            "9999-12-31",
            "models[0].inference_end.date: expected a date from 1970-01-01 to 2199-12-31",
        ),
        (("models", 0, "id"), "ft:\ud800", "models[0].id: expected a string"),
    ],
)
def test_a_hostile_inventory_is_refused_naming_the_field(inventories, tmp_path, where, value, message):
    """What an inventory JSON carries reaches links, tables and calendars: a field that no
    ftscan writes is an error naming it, never a link to another scheme or a crash."""
    document = json.loads(inventories[0].read_text())
    if where[0] == "pipelines" and not document["pipelines"]:
        document = json.loads(inventories[1].read_text())
    holder = document
    for key in where[:-1]:
        holder = holder[key]
    holder[where[-1]] = value
    hostile = _write(tmp_path / "hostile.json", json.dumps(document))  # a lone surrogate as `\ud800`
    for fmt in ("json", "html", "ics"):
        result = ftscan("inventory", "merge", str(hostile), "-f", fmt)
        assert (
            result.returncode == 2
            and "Traceback" not in result.stderr
            and "internal error" not in result.stderr
        )
        assert f"{hostile}: {message}" in result.stderr, result.stderr


# -- repositories that could not be scanned -----------------------------------------------------


def test_a_repository_not_scanned_is_listed_and_the_exit_says_so(inventories, tmp_path):
    marker = tmp_path / "acme__gone.json"
    marker.write_text(
        json.dumps(
            {
                "ftscan_inventory_version": 2,
                "not_scanned": {"repository": "acme/gone", "reason": "could not be checked out"},
            }
        )
    )
    out = tmp_path / "estate.json"
    result = ftscan("inventory", "merge", *map(str, inventories), str(marker), "-f", "json", "-o", str(out))
    assert result.returncode == 3
    assert "the estate is incomplete: not scanned: acme/gone" in result.stderr
    estate = json.loads(out.read_text())
    gone = next(r for r in estate["repositories"] if r["name"] == "acme/gone")
    assert gone == {
        "name": "acme/gone",
        "commit": None,
        "url": None,
        "directory": None,
        "codeowners": None,
        "scanned": False,
        "reason": "could not be checked out",
    }
    assert by_id(estate) == by_id(merged(inventories))  # the rest as without it
    markdown = ftscan("inventory", "merge", str(out)).stdout
    assert "| `acme/gone` | **not scanned**: could not be checked out | | |" in markdown
    assert "3 repositories" not in markdown and "4 repositories (1 not scanned)" in markdown


def test_repos_file_scans_each_and_lists_what_it_could_not(inventories, tmp_path):
    for name in REPOSITORIES:  # outside any work tree, so each is named by its directory
        shutil.copytree(ESTATE / name, tmp_path / name)
    listing = tmp_path / "repos.txt"
    lines = ["# the estate", *REPOSITORIES, "", str(tmp_path / "gone")]
    listing.write_text("\n".join(lines) + "\n")
    out = tmp_path / "estate.json"
    result = ftscan(
        "inventory", "--repos", str(listing), "--as-of", AS_OF, "-f", "json", "-o", str(out), "-j", "2",
        "--progress",
    )  # fmt: skip
    assert result.returncode == 3, result.stderr
    assert "ftscan: 4/4 repositories" in result.stderr
    estate = json.loads(out.read_text())
    names = {r["name"]: r for r in estate["repositories"]}
    assert names["gone"]["scanned"] is False and names["gone"]["reason"] == "not a directory on this machine"
    # Named by directory (no git remote): the same models, places and recipes as the merge.
    renamed = json.loads(json.dumps(merged(inventories)).replace("acme/", ""))
    assert by_id(estate) == by_id(renamed)
    result = ftscan("inventory", "--repos", str(listing), str(tmp_path))
    assert result.returncode == 2 and "--repos lists the repositories" in result.stderr


def test_two_checkouts_of_one_name_are_both_listed_and_the_first_is_scanned(tmp_path):
    """Two clones of one repository (or a checkout whose `origin` claims another's name):
    the first listed is scanned, the other listed as not scanned, saying why; a symlink to
    a listed checkout is the same checkout."""
    for where in ("a/api", "b/api"):
        shutil.copytree(ESTATE / "support-api", tmp_path / where)
    os.symlink(tmp_path / "a" / "api", tmp_path / "alias")
    listing = _write(tmp_path / "repos.txt", "a/api\nalias\nb/api\nmissing/api\n")
    out = tmp_path / "estate.json"
    result = ftscan("inventory", "--repos", str(listing), "--as-of", AS_OF, "-f", "json", "-o", str(out))
    assert result.returncode == 3, result.stderr
    names = {r["name"]: r for r in json.loads(out.read_text())["repositories"]}
    assert names["api"]["scanned"] is True
    assert names["api (2)"]["scanned"] is False and "b/api: named 'api', as" in names["api (2)"]["reason"]
    assert names["api (3)"]["reason"] == "not a directory on this machine"
    assert len(names) == 3
    assert ftscan("inventory", "--repo", "a:b", str(tmp_path / "a" / "api")).returncode == 2


# -- several organizations -------------------------------------------------------------------------


def production() -> Organization:
    return Organization(
        api_key=KEYS["OPENAI_PROD_KEY"],
        admin_key=KEYS["OPENAI_PROD_ADMIN_KEY"],
        jobs=[
            job("ftjob-billing", BILLING, "gpt-4o-mini-2024-07-18", "2026-08-01", "file-billing"),
            job("ftjob-triage", TRIAGE, "gpt-4.1-mini-2025-04-14", "2026-06-01", "file-triage"),
            job("ftjob-support", SUPPORT, "gpt-4o-mini-2024-07-18", "2026-03-02", "file-support"),
        ],
        models=[model(SUPPORT, "2026-03-02"), model(TRIAGE, "2026-06-01"), model(BILLING, "2026-08-01")],
        files={"file-support", "file-triage", "file-billing"},
        filenames={
            "file-support": "support.jsonl",
            "file-triage": "triage.jsonl",
            "file-billing": "billing.jsonl",
        },
        usage={"2026-11-20": {SUPPORT: 12, TRIAGE: 3}, "2026-06-20": {SUPPORT: 4}},
    )


def research() -> Organization:
    return Organization(
        api_key=KEYS["OPENAI_RESEARCH_KEY"],
        admin_key=KEYS["OPENAI_RESEARCH_ADMIN_KEY"],
        jobs=[job("ftjob-summaries", SUMMARIES, "gpt-4o-2024-08-06", "2026-02-10", "file-summaries")],
        models=[model(SUMMARIES, "2026-02-10")],
        files=set(),  # its training file was deleted
        usage={"2026-10-02": {SUMMARIES: 1}},  # nothing in the 60 days before the 2026-07-02 gate
    )


@pytest.fixture
def organizations(tmp_path) -> Iterator[tuple[dict[str, str], Path]]:
    """Both stubs running, the environment that reaches them, and the configuration naming them."""
    stubs = Stub(production()), Stub(research())
    config = tmp_path / "organizations.toml"
    config.write_text(ORGANIZATIONS.replace("[[tool.ftscan.", "[["), encoding="utf-8")
    env = {**KEYS, "OPENAI_PROD_BASE_URL": stubs[0].base_url, "OPENAI_RESEARCH_BASE_URL": stubs[1].base_url}
    try:
        yield env, config
    finally:
        for stub in stubs:
            stub.close()


def test_two_organizations_for_the_estate(inventories, organizations):
    env, config = organizations
    estate = merged(inventories, "--online", "--config", str(config), env=env)
    orgs = {o["name"]: o for o in estate["organizations"]}
    assert list(orgs) == ["production", "research"]
    assert (orgs["production"]["can_create_jobs"], orgs["research"]["can_create_jobs"]) == (True, False)
    assert orgs["research"]["reason"].startswith("inferred: no fine-tuned-model inference from 2026-05-03")
    assert (
        orgs["production"]["last_fine_tuned_inference"],
        orgs["research"]["last_fine_tuned_inference"],
    ) == (
        "2026-11-20",
        "2026-10-02",
    )
    assert (orgs["production"]["training_files_kept"], orgs["research"]["training_files_kept"]) == (3, 0)
    models = by_id(estate)
    assert {m: models[m]["online"]["organization"] for m in (SUPPORT, TRIAGE, SUMMARIES)} == {
        SUPPORT: "production",
        TRIAGE: "production",
        SUMMARIES: "research",
    }
    assert models[SUMMARIES]["online"]["training_file_stored"] is False  # deleted in research
    assert models[SUPPORT]["online"]["requests_30d"] == 12
    # The orphan is the fine-tune no repository of the estate names; the summaries model, named
    # only in research-notebooks, is not one.
    assert [(u["organization"], u["model"]) for u in estate["unreferenced_models"]] == [
        ("production", BILLING)
    ]
    assert orgs["research"]["unreferenced_models"] == []
    assert estate["models_held_by_no_organization"] == [LEGACY]
    # The triage model's job is in no repository: the organization's job names its training
    # file, whose name is one of the estate's training sets.
    assert models[TRIAGE]["recipe"] == {
        "found_by": "online job",
        "rebuildable": True,
        "pipelines": [],
        "training_data": ["acme/ml-training:data/triage.jsonl"],
        "training_files": ["triage.jsonl"],
    }
    assert models[SUPPORT]["recipe"]["found_by"] == "job suffix and base"  # the code's, first
    assert models[SUMMARIES]["recipe"]["found_by"] is None  # its file is gone: nothing to match
    rendered = json.dumps(estate)
    assert not any(key in rendered for key in KEYS.values())


def test_one_repository_alone_sees_an_orphan_that_the_estate_does_not(organizations, tmp_path):
    env, config = organizations
    repo = ESTATE / "support-api"
    result = ftscan(
        "inventory", str(repo), "--root", str(repo), "--as-of", AS_OF, "--online", "--config", str(config),
        "-f", "json", env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    alone = json.loads(result.stdout)
    assert [u["model"] for u in alone["unreferenced_models"]] == [BILLING, SUMMARIES]


def test_the_estate_page_in_chromium(inventories, organizations, tmp_path):
    """Organizations, repositories and filters; the timeline reads the next 90 days; no table
    wider than a 1280-pixel window."""
    env, config = organizations
    page = tmp_path / "estate.html"
    result = ftscan(
        "inventory", "merge", *map(str, inventories), "--online", "--config", str(config), "-f", "html",
        "-o", str(page), env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    html = page.read_text()
    probe = (
        "<script>document.documentElement.setAttribute('data-overflow', Array.prototype.filter.call("
        "document.querySelectorAll('table'), function (t) { return t.getBoundingClientRect().right > "
        "window.innerWidth; }).map(function (t) { return t.id; }).join(' ') || 'none');</script>"
    )
    page.write_text(html.replace("</body>", probe + "</body>"))
    dom = browse(page, tmp_path / "profile", "--dump-dom", "--window-size=1280,900")
    assert 'data-overflow="none"' in dom, re.search(r'data-overflow="[^"]*"', dom)
    assert 'id="organization-table"' in dom and 'id="repository-table"' in dom
    for name in ("repository", "organization", "owner", "application", "status"):
        assert f'id="filter-{name}"' in dom
    assert '<option value="acme/ml-training">acme/ml-training</option>' in dom
    assert '<option value="research">research</option>' in dom
    filtered = browse(page, tmp_path / "profile", "--dump-dom", fragment="#organization=research")
    assert "1 of 4 models shown" in filtered
    timeline = dom[dom.index("<svg") : dom.index("</svg>")]
    assert "Deadlines in the 90 days from 2026-11-22 to 2027-02-20" in timeline
    assert ">passed</text>" in timeline and ">later</text>" in timeline


# -- configuration and repository names -------------------------------------------------------


def test_organizations_are_read_only_from_a_named_configuration(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "pyproject.toml").write_text(ORGANIZATIONS)
    (tree / "app.py").write_text(f'MODEL = "{SUPPORT}"\n')
    result = ftscan("inventory", str(tree), "--root", str(tree), "--online", cwd=tree)
    assert result.returncode == 2
    assert "organizations are read only from a configuration named with --config" in result.stderr
    result = ftscan(
        "inventory", str(tree), "--root", str(tree), "--online", "--config", str(tree / "pyproject.toml")
    )
    assert result.returncode == 2 and "--online needs an API key in OPENAI_PROD_KEY" in result.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('[[organizations]]\nname = "x"\napi_key_env = "$(curl evil)"\n')
    result = ftscan(
        "inventory", "merge", str(_write(tmp_path / "x.json", "{}")), "--online", "--config", str(bad)
    )
    assert "organizations[0].api_key_env: expected the name of an environment variable" in result.stderr


def test_a_repository_is_named_from_its_remote_without_its_credentials(tmp_path):
    repo = tmp_path / "checkout"
    repo.mkdir()
    (repo / "app.py").write_text(f'MODEL = "{SUPPORT}"\n')
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run(
        [*git, "remote", "add", "origin", "https://x-access-token:ghs_secret123@github.com/acme/api.git"],
        check=True,
    )
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "init"], check=True)
    commit = subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    result = ftscan("inventory", str(repo), "--root", str(repo), "--as-of", AS_OF, "-f", "json")
    document = json.loads(result.stdout)
    assert document["repositories"][0] == {
        "name": "acme/api",
        "commit": commit,
        "url": "https://github.com/acme/api",
        "directory": None,
        "codeowners": None,
        "scanned": True,
        "reason": None,
    }
    assert "ghs_secret123" not in result.stdout + result.stderr
    estate = merged([_write(tmp_path / "api.json", result.stdout)], "-f", "json")
    assert estate["models"][0]["locations"][0]["path"] == "acme/api:app.py"
    page = ftscan("inventory", "merge", str(tmp_path / "api.json"), "-f", "html").stdout
    assert f'href="https://github.com/acme/api/blob/{commit}/app.py#L1"' in page


def test_parts_of_one_monorepo_are_repositories_of_their_own(tmp_path):
    """Two directories of one work tree, scanned with --repos, are two repositories named
    by their path below the top; links keep the path."""
    repo = tmp_path / "mono"
    for part in ("services/api", "training"):
        (repo / part).mkdir(parents=True)
        (repo / part / "app.py").write_text(f'MODEL = "{SUPPORT}"\n')
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "remote", "add", "origin", "git@github.com:acme/mono.git"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "init"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    commit = head.stdout.strip()
    listing = _write(tmp_path / "repos.txt", "mono/services/api\nmono/training\n")
    result = ftscan("inventory", "--repos", str(listing), "--as-of", AS_OF, "-f", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [(r["name"], r["directory"]) for r in document["repositories"]] == [
        ("acme/mono/services/api", "services/api"),
        ("acme/mono/training", "training"),
    ]
    assert [place["path"] for place in document["models"][0]["locations"]] == [
        "acme/mono/services/api:app.py",
        "acme/mono/training:app.py",
    ]
    estate = _write(tmp_path / "estate.json", result.stdout)
    page = ftscan("inventory", "merge", str(estate), "-f", "html").stdout
    assert f'href="https://github.com/acme/mono/blob/{commit}/services/api/app.py#L1"' in page


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path
