"""`ftscan inventory --online` against a local stub of OpenAI's API: no network.

The stub (`openai_stub`) serves the documented shapes and pages every list; the CLI reaches
it through OPENAI_BASE_URL. "Now" is pinned with FTSCAN_ONLINE_NOW (usage windows end at the
fetch) and retries wait FTSCAN_ONLINE_BACKOFF seconds, so the tests are fast and dated.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AS_OF, FIXTURES, ROOT
from openai_stub import Organization, Stub, job, model, stamp

EVERYWHERE = FIXTURES / "everywhere"
API_KEY = "sk-test-Zq8rT3vW9yX2aB5cD7eF1gH4jK6mN0pQ"
ADMIN_KEY = "sk-admin-Lm3nO5pQ7rS9tU1vW3xY5zA7bC9dE1fG"
NOW = "2026-11-22T12:00:00Z"
SUPPORT = "ft:gpt-4o-mini-2024-07-18:northwind:support-v3:Bq7x2LmN"
ESCALATION = "ft:gpt-4o-2024-08-06:northwind:escalation:Kd82hQz1"
TRIAGE = "ft:gpt-4.1-mini-2025-04-14:northwind:triage:Pq8Rs7Tu"
TYPO = "ft:gpt-4.1-2025-04-14:northwind:x:Ab12Cd34"  # in the code, not in the organization
BILLING = "ft:gpt-4o-mini-2024-07-18:northwind:billing:Zz9Yy8Xw"  # in the organization, not in the code
OTHERS = (
    "ft:o4-mini-2025-04-16:northwind:grader:Mn3Op4Qr",
    "ft:gpt-4.1-2025-04-14:northwind:support-helm:Hl9Jk8Lm",
    "ft:gpt-4.1-nano-2025-04-14:northwind:fallback:Nn7Mm6Ll",
    "ft:gpt-3.5-turbo-0125:northwind::9tt19es9",
)


def organization() -> Organization:
    """Five jobs (three pages), ten models (five pages), one deleted file, usage in both windows."""
    return Organization(
        api_key=API_KEY,
        admin_key=ADMIN_KEY,
        jobs=[
            job("ftjob-billing", BILLING, "gpt-4o-mini-2024-07-18", "2026-08-01", "file-billing"),
            job("ftjob-failed", None, "gpt-4o-mini-2024-07-18", "2026-07-20", "file-train2", status="failed"),
            job("ftjob-support", SUPPORT, "gpt-4o-mini-2024-07-18", "2026-03-02", "file-train1", "file-val1"),
            job("ftjob-escalation", ESCALATION, "gpt-4o-2024-08-06", "2025-11-10", "file-gone"),
            job("ftjob-triage", TRIAGE, "gpt-4.1-mini-2025-04-14", "2025-09-01", "file-triage"),
        ],
        models=[
            model("gpt-4o-mini", "2024-07-18"),
            model(SUPPORT, "2026-03-02"),
            model(SUPPORT + ":ckpt-step-100", "2026-03-02"),
            model(ESCALATION, "2025-11-10"),
            model(TRIAGE, "2025-09-01"),
            model(BILLING, "2026-08-01"),
            *(model(m, "2025-06-01") for m in OTHERS),
        ],
        files={"file-train1", "file-val1", "file-billing", "file-triage", "file-train2"},
        usage={
            "2026-11-20": {SUPPORT: 5, "gpt-4o-mini-2024-07-18": 40},
            "2026-11-01": {SUPPORT + ":ckpt-step-100": 2, TRIAGE: 1},
            "2026-10-01": {SUPPORT: 7},
            "2026-09-01": {BILLING: 3},
            "2026-06-15": {ESCALATION: 9},  # inside the 60 days before the 2026-07-02 gate
        },
    )


@pytest.fixture
def stub():
    server = Stub(organization())
    yield server
    server.close()


def online(
    stub: Stub | None, tmp_path: Path, *args: str, env: dict[str, str] | None = None, repo: Path = EVERYWHERE
) -> subprocess.CompletedProcess[str]:
    """`ftscan inventory REPO --online ARGS` with the stub's URL and both keys (unless `env`
    says otherwise), the cache in `tmp_path`."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    environ.update(
        OPENAI_API_KEY=API_KEY,
        OPENAI_ADMIN_KEY=ADMIN_KEY,
        FTSCAN_ONLINE_NOW=NOW,
        FTSCAN_ONLINE_BACKOFF="0.001",
        FTSCAN_CACHE_DIR=str(tmp_path / "cache"),
    )
    if stub is not None:
        environ["OPENAI_BASE_URL"] = stub.base_url
    for name, value in (env or {}).items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ftscan",
            "inventory",
            str(repo),
            "--root",
            str(repo),
            "--as-of",
            AS_OF,
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environ,
    )


def joined(stub: Stub, tmp_path: Path, *args: str, **kwargs) -> dict:
    out = tmp_path / "inventory.json"
    result = online(stub, tmp_path, "--online", "-f", "json", "-o", str(out), *args, **kwargs)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def by_id(document: dict) -> dict[str, dict]:
    return {m["id"]: m for m in document["models"]}


def test_joined_json(stub, tmp_path):
    document = joined(stub, tmp_path)
    models = by_id(document)
    assert document["online"] == {"complete": True, "fetched_at": "2026-11-22T12:00:00Z", "notices": []}
    assert models[SUPPORT]["online"] == {
        "organization": "default",
        "known": True,
        "exists": True,
        "job_id": "ftjob-support",
        "created": "2026-03-02",
        "training_file_stored": True,
        "last_used": "2026-11-20",
        "requests_30d": 5 + 2,  # its checkpoint's calls count for it
    }
    assert models[ESCALATION]["online"] == {
        "organization": "default",
        "known": True,
        "exists": True,
        "job_id": "ftjob-escalation",
        "created": "2025-11-10",
        "training_file_stored": False,
        "last_used": None,
        "requests_30d": 0,  # its last call is older than 90 days
    }
    assert models[TRIAGE]["online"]["last_used"] == "2026-11-01"
    assert models[TYPO]["online"] == {
        "organization": None,
        "known": True,
        "exists": False,
        "job_id": None,
        "created": None,
        "training_file_stored": None,
        "last_used": None,
        "requests_30d": 0,
    }
    for other in OTHERS:
        assert models[other]["online"]["exists"] is True and models[other]["online"]["job_id"] is None
    assert document["unreferenced_models"] == [
        {
            "organization": "default",
            "model": BILLING,
            "base": "gpt-4o-mini-2024-07-18",
            "created": "2026-08-01",
            "last_used": "2026-09-01",
            "requests_30d": 0,
            "inference_end": {
                "milestone": "inference-2027-01-14",
                "date": "2027-01-14",
                "status": "reported",
                "effect": "fine-tunes of gpt-4o, gpt-4o-mini, gpt-4.1 and gpt-4.1-mini stop serving",
            },
        }
    ]
    assert document["organization"] == {
        "name": "default",
        "can_create_jobs": True,
        "reason": "inferred: fine-tuned-model inference on 2026-06-15, within the 60 days before the "
        "2026-07-02 gate",
        "last_fine_tuned_inference": "2026-11-20",
        "training_files_kept": 5,  # of six: file-gone was deleted
    }
    (only,) = document["organizations"]
    assert only == {**document["organization"], "unreferenced_models": document["unreferenced_models"]}
    assert document["models_held_by_no_organization"] == [TYPO]
    # the offline fields are untouched
    assert document["ftscan_inventory_version"] == 2 and len(document["models"]) == 8


def test_every_list_is_read_to_its_last_page(stub, tmp_path):
    joined(stub, tmp_path)
    calls = stub.org.calls
    jobs = [query for path, query, _ in calls if path == "fine_tuning/jobs"]
    assert [q.get("after") for q in jobs] == [None, "ftjob-failed", "ftjob-escalation"]
    models = [query.get("after") for path, query, _ in calls if path == "models"]
    assert len(models) == 5 and models[0] is None
    usage = [q for path, q, _ in calls if path == "organization/usage/completions"]
    # 90 days: 3 pages; the 60 days before the 2026-07-02 gate: 2 pages
    assert [q.get("page") for q in usage] == [None, "31", "62", None, "31"]
    assert {q["start_time"] for q in usage} == {
        str(stamp("2026-08-24")),
        str(stamp("2026-05-03")),
    }
    files = sorted(path for path, _, _ in calls if path.startswith("files/"))
    assert files == [
        "files/file-billing",
        "files/file-gone",
        "files/file-train1",
        "files/file-train2",
        "files/file-triage",
        "files/file-val1",
    ]
    assert {who for path, _, who in calls if path.startswith("organization/")} == {"admin"}
    assert {who for path, _, who in calls if not path.startswith("organization/")} == {"api"}


def test_429_is_retried_then_succeeds(stub, tmp_path):
    stub.org.faults["fine_tuning/jobs"] = [429, 429]
    stub.org.faults["models"] = [503]
    document = joined(stub, tmp_path)
    assert document["online"]["complete"] is True
    jobs = [q.get("after") for path, q, _ in stub.org.calls if path == "fine_tuning/jobs"]
    assert jobs[:3] == [None, None, None] and len(jobs) == 5
    assert by_id(document)[SUPPORT]["online"]["job_id"] == "ftjob-support"


def test_500_on_usage_is_incomplete_but_written(stub, tmp_path):
    stub.org.always["organization/usage/completions"] = 500
    document = joined(stub, tmp_path)
    assert document["online"]["complete"] is False
    assert document["online"]["notices"] == [
        "GET /v1/organization/usage/completions: HTTP 500 after 5 tries: left unknown",
        "GET /v1/organization/usage/completions: HTTP 500 after 5 tries: left unknown",
    ]
    assert by_id(document)[SUPPORT]["online"]["last_used"] is None
    assert by_id(document)[SUPPORT]["online"]["requests_30d"] is None
    assert by_id(document)[SUPPORT]["online"]["exists"] is True  # the rest was read
    assert document["organization"]["can_create_jobs"] is None
    assert document["organization"]["reason"].startswith("unknown: ")


def test_timeout_per_call(stub, tmp_path):
    stub.org.faults["models"] = [1.5] * 5
    document = joined(stub, tmp_path, "--online-timeout", "0.3")
    assert document["online"]["complete"] is False
    assert "GET /v1/models: no answer within the timeout: left unknown" in document["online"]["notices"]
    assert by_id(document)[SUPPORT]["online"]["exists"] is False  # unknown: nothing says it exists
    out = tmp_path / "inventory.md"
    stub.org.faults["models"] = [1.5] * 5
    assert online(stub, tmp_path, "--online", "--online-timeout", "0.3", "-o", str(out)).returncode == 0
    markdown = out.read_text(encoding="utf-8")
    assert "not in the organization" not in markdown  # unknown is not flagged
    row = next(line for line in markdown.splitlines() if line.startswith(f"| `{TYPO}`"))
    assert row.endswith("| unknown | not in the last 90 days | 0 |")


def test_rejected_key_exits_2_naming_the_variable(stub, tmp_path):
    out = tmp_path / "inventory.json"
    result = online(
        stub,
        tmp_path,
        "--online",
        "-f",
        "json",
        "-o",
        str(out),
        env={"OPENAI_API_KEY": "sk-wrong-Hh4Jj6Kk8Ll0Mm2Nn4Pp6Qq8"},
    )
    assert result.returncode == 2
    assert result.stderr == (
        "Error: GET /v1/fine_tuning/jobs: the key in OPENAI_API_KEY was rejected (401)\n"
    )
    assert not out.exists()  # nothing half-written
    assert "sk-wrong" not in result.stdout + result.stderr


def test_rejected_admin_key_names_its_variable(stub, tmp_path):
    result = online(stub, tmp_path, "--online", env={"OPENAI_ADMIN_KEY": "sk-admin-wrong-0000"})
    assert result.returncode == 2
    assert "the key in OPENAI_ADMIN_KEY was rejected (401)" in result.stderr
    assert "sk-admin-wrong" not in result.stdout + result.stderr


def test_no_admin_key(stub, tmp_path):
    document = joined(stub, tmp_path, env={"OPENAI_ADMIN_KEY": None})
    assert document["online"]["complete"] is True
    assert document["online"]["notices"] == [
        "OPENAI_ADMIN_KEY is not set: usage (last use, requests in 30 days, the organization's right "
        "to train) was not read"
    ]
    online_fields = by_id(document)[SUPPORT]["online"]
    assert (online_fields["last_used"], online_fields["requests_30d"]) == (None, None)
    assert document["organization"]["can_create_jobs"] is None
    assert document["unreferenced_models"][0]["requests_30d"] is None
    assert not [p for p, _, _ in stub.org.calls if p.startswith("organization/")]


def test_no_api_key_or_client_message(tmp_path):
    result = online(None, tmp_path, "--online", env={"OPENAI_API_KEY": None})
    assert result.returncode == 2
    assert result.stderr == "Error: --online needs an API key in OPENAI_API_KEY (it is not set)\n"


def test_offline_by_default_makes_no_call(stub, tmp_path):
    out = tmp_path / "inventory.json"
    result = online(stub, tmp_path, "-f", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert stub.org.calls == []
    document = json.loads(out.read_text())
    assert "online" not in document and "online" not in document["models"][0]


def test_no_key_value_anywhere(stub, tmp_path):
    """Every format, the cache, FTSCAN_DEBUG, a failing call and a rejected key: no key."""
    stub.org.always["organization/usage/completions"] = 502
    seen = []
    for fmt in ("markdown", "csv", "json", "html", "ics"):
        out = tmp_path / f"inventory.{fmt}"
        result = online(
            stub, tmp_path, "--online", "--cache", "-f", fmt, "-o", str(out), env={"FTSCAN_DEBUG": "1"}
        )
        assert result.returncode == 0, result.stderr
        seen += [result.stdout, result.stderr, out.read_text(encoding="utf-8")]
        result = online(stub, tmp_path, "--online", "-f", fmt, env={"FTSCAN_DEBUG": "1"})
        seen += [result.stdout, result.stderr]
    result = online(
        stub, tmp_path, "--online", env={"FTSCAN_DEBUG": "1", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    )
    seen += [result.stdout, result.stderr]
    stub.org.always.clear()
    rejected = online(
        stub, tmp_path, "--online", env={"FTSCAN_DEBUG": "1", "OPENAI_ADMIN_KEY": API_KEY + "x"}
    )
    assert rejected.returncode == 2
    seen += [rejected.stdout, rejected.stderr]
    cached = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert cached  # the cache was written
    seen += [p.read_bytes().decode("utf-8", "replace") for p in cached]
    text = "\n".join(seen)
    for key in (API_KEY, ADMIN_KEY):
        for part in (key, key[3:], key[-12:]):
            assert part not in text


def test_redact_org_hides_online_slugs(stub, tmp_path):
    for fmt in ("markdown", "csv", "json", "html", "ics"):
        out = tmp_path / f"inventory.{fmt}"
        result = online(stub, tmp_path, "--online", "--redact-org", "-f", fmt, "-o", str(out))
        assert result.returncode == 0, result.stderr
        text = out.read_text(encoding="utf-8")
        assert "northwind:" not in text.lower() and "Zz9Yy8Xw" in text, fmt


def test_markdown_and_csv_gain_the_columns(stub, tmp_path):
    out = tmp_path / "inventory.md"
    assert online(stub, tmp_path, "--online", "-o", str(out)).returncode == 0
    markdown = out.read_text(encoding="utf-8")
    assert "### The organization" in markdown
    assert (
        "- can create fine-tuning jobs: yes (inferred: fine-tuned-model inference on 2026-06-15" in markdown
    )
    assert ("| in the organization | last used | requests, 30 days |") in markdown
    row = next(line for line in markdown.splitlines() if line.startswith(f"| `{TYPO}`"))
    assert row.endswith(
        "| **in no organization read: deleted, another organization's, or a typo** "
        "| not in the last 90 days | 0 |"
    )
    row = next(line for line in markdown.splitlines() if line.startswith(f"| `{SUPPORT}`"))
    assert row.endswith("| yes | 2026-11-20 | 7 |")
    assert "### In the organization, named in no scanned file" in markdown
    assert (
        f"| `{BILLING}` | `gpt-4o-mini-2024-07-18` | 2026-08-01 | 2026-09-01 | 0 "
        "| 2027-01-14 (in 53 days, reported) |"
    ) in markdown
    assert (
        "- in the organization: training file deleted" not in markdown
        and "job `ftjob-escalation`, created 2025-11-10, training file deleted" in markdown
    )

    out = tmp_path / "inventory.csv"
    assert online(stub, tmp_path, "--online", "-f", "csv", "-o", str(out)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    typo = next(r for r in rows if r["model"] == TYPO)
    assert (typo["in_organization"], typo["job_id"], typo["requests_30d"]) == ("no", "", "0")
    support = next(r for r in rows if r["model"] == SUPPORT)
    assert (
        support["in_organization"],
        support["job_id"],
        support["training_file_stored"],
        support["last_used"],
        support["requests_30d"],
    ) == ("yes", "ftjob-support", "yes", "2026-11-20", "7")
    out = tmp_path / "inventory.ics"
    assert online(stub, tmp_path, "--online", "-f", "ics", "-o", str(out)).returncode == 0
    ics = out.read_bytes().decode("utf-8").replace("\r\n ", "")
    assert f"SUMMARY:{BILLING} stops serving\r\n" in ics
    assert (
        "Organization's side: yes\\, job ftjob-support\\, created 2026-03-02\\, training file stored" in ics
    )
    billing = [r for r in rows if r["role"] == "unreferenced"]
    assert [(r["model"], r["last_used"], r["inference_end"]) for r in billing] == [
        (BILLING, "2026-09-01", "2027-01-14")
    ]


def test_a_key_no_header_can_carry_is_refused_by_name(tmp_path):
    result = online(None, tmp_path, "--online", env={"OPENAI_API_KEY": "sk-caf\u00e9-Zq8rT3vW9yX2"})
    assert result.returncode == 2
    assert result.stderr == (
        "Error: OPENAI_API_KEY holds characters an API key cannot have (spaces, quotes, non-ASCII)\n"
    )


def test_joined_html_in_chromium(stub, tmp_path):
    """`ftscan inventory fixtures/everywhere --online` renders the joined page."""
    from test_inventory import browse

    page = tmp_path / "inventory.html"
    result = online(stub, tmp_path, "--online", "-f", "html", "-o", str(page))
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert re.findall(r"https?://[^\s\"'<>]+", html) == ["http://www.w3.org/2000/svg"]  # no call out
    dom = browse(page, tmp_path / "profile", "--dump-dom")
    assert 'data-filters="ready"' in dom
    assert "8 of 8 models shown" in dom
    assert '<section id="organization">' in dom
    assert re.search(r'id="can-create-jobs">Can create fine-tuning jobs: yes <span class="muted">', dom)
    assert "<th>In the organization</th>" in dom
    assert dom.count('<td class="online">') == 8
    typo = dom[dom.index(f'<code class="id">{TYPO}</code>') :]
    typo = typo[: typo.index("</tr>")]
    assert "in no organization read: deleted, another organization's, or a typo" in typo
    timeline = dom[dom.index("<svg") : dom.index("</svg>")]
    marks = re.findall(r'<line class="lastuse"[^>]*><title>last used ([\d-]+)</title>', timeline)
    assert sorted(marks) == ["2026-11-01", "2026-11-20"]  # triage and support-v3
    unreferenced = dom[dom.index('<section id="unreferenced">') :]
    assert f'<code class="id">{BILLING}</code>' in unreferenced
    shot = tmp_path / "inventory.png"
    browse(page, tmp_path / "profile", f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_files_that_fail_for_good_are_not_all_waited_for(stub, tmp_path):
    stub.org.always["files"] = 503
    document = joined(stub, tmp_path)
    files = [path for path, _, _ in stub.org.calls if path.startswith("files/")]
    assert files == ["files/file-billing"] * 5  # the first file, retried; the rest not asked
    assert document["online"]["complete"] is False
    assert document["online"]["notices"] == [
        "GET /v1/files/file-billing: HTTP 503 after 5 tries: left unknown",
        "5 more training or validation file(s) not read: left unknown",
    ]
    assert by_id(document)[SUPPORT]["online"]["training_file_stored"] is None
    assert by_id(document)[SUPPORT]["online"]["last_used"] == "2026-11-20"  # usage still read


def test_backoff_honours_retry_after_and_the_key_stays_out_of_reprs():
    from datetime import datetime, timedelta, timezone
    from email.utils import format_datetime

    from ftscan.online.http import MAX_WAIT, Api, key_from_env

    api = Api(1.0, {}, backoff=0.5)
    try:
        assert api._wait(0, "2") == 2.0
        assert api._wait(0, "3600") == MAX_WAIT
        later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
        assert 25 <= api._wait(0, later) <= 30
        assert 0.5 <= api._wait(0, None) <= 0.625 and 2.0 <= api._wait(2, "soon") <= 2.5
    finally:
        api.close()
    key = key_from_env("OPENAI_API_KEY", {"OPENAI_API_KEY": API_KEY})
    assert repr(key) == "<key from OPENAI_API_KEY>" and API_KEY not in f"{key!s} {key!r}"


def test_organization_that_lost_the_right_to_train(stub, tmp_path):
    del stub.org.usage["2026-06-15"]  # no fine-tuned-model inference from 2026-05-03 to 2026-07-02
    document = joined(stub, tmp_path)
    assert document["organization"] == {
        "name": "default",
        "can_create_jobs": False,
        "reason": "inferred: no fine-tuned-model inference from 2026-05-03 to 2026-07-02, so since "
        "2026-07-02 the organization cannot create jobs",
        "last_fine_tuned_inference": "2026-11-20",
        "training_files_kept": 5,  # of six: file-gone was deleted
    }


def test_organization_that_never_trained(stub, tmp_path):
    stub.org.jobs = []
    document = joined(stub, tmp_path)
    assert document["organization"]["can_create_jobs"] is False
    assert document["organization"]["reason"] == (
        "inferred: the organization has no fine-tuning job, and since 2026-05-07 an organization that "
        "never ran one cannot create one"
    )


def test_after_the_training_end_no_organization_can_train(stub, tmp_path):
    document = joined(stub, tmp_path, env={"FTSCAN_ONLINE_NOW": "2027-02-01T00:00:00Z"})
    assert document["organization"]["can_create_jobs"] is False
    assert document["organization"]["reason"] == "inferred: no organization can create jobs since 2027-01-06"


def test_a_failed_run_keeps_the_previous_report(stub, tmp_path):
    out = tmp_path / "inventory.json"
    out.write_text("the previous inventory\n")
    result = online(
        stub, tmp_path, "--online", "-f", "json", "-o", str(out), env={"OPENAI_API_KEY": "sk-nope-1"}
    )
    assert result.returncode == 2
    assert out.read_text() == "the previous inventory\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".inventory")) == []


def test_missing_http_client_exits_2_with_the_install_command(tmp_path):
    """Without the `online` extra (httpx blocked from importing), before any scan."""
    code = (
        "import sys; sys.modules['httpx'] = None; from ftscan.cli import main; "
        f"sys.argv = ['ftscan', 'inventory', {str(EVERYWHERE)!r}, '--online']; main()"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    environ["OPENAI_API_KEY"] = API_KEY
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=environ,
    )
    assert result.returncode == 2
    assert result.stderr == "Error: --online needs the optional HTTP client: pip install 'ftscan[online]'\n"
    assert result.stdout == ""
