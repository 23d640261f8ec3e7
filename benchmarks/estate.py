"""Synthetic estates: N repository inventories for `ftscan inventory merge` to join.

    python benchmarks/estate.py DIR --repos 1000

writes DIR/repo-0001.json ... DIR/repo-1000.json, each the inventory of one repository of a
company: three models every repository calls (the production models), six of its own, and
a location of each in each of its eight applications (about 63 KB a repository). The
template is made by ftscan itself from fixtures/estate/support-api and then varied, so the
documents are what `ftscan inventory -f json` writes. Then, for the time and memory of a
merge against the number of repositories:

    /usr/bin/time -v ftscan inventory merge DIR/*.json -f json -o /dev/null

(`benchmarks/RESULTS.md` has the figures for 100 and 1,000 repositories.)
"""

from __future__ import annotations

import argparse
import copy
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "fixtures" / "estate" / "support-api"
SHARED = 3  # models every repository calls
OWN = 6  # models only this repository calls
APPLICATIONS = 8  # places per model: one in each application


def template(as_of: str) -> dict:
    """A real inventory, as ftscan writes it, to vary."""
    command = [sys.executable, "-m", "ftscan", "inventory", str(TEMPLATE), "--root", str(TEMPLATE)]
    command += ["--repo", "acme/template", "--as-of", as_of, "-f", "json"]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def repository(base: dict, index: int) -> dict:
    """The inventory of repository `index`: shared and own models, each in every application."""
    name = f"acme/repo-{index:04d}"
    document = copy.deepcopy(base)
    document["repositories"][0].update(name=name, commit=f"{index:040x}", url=None)
    model = base["models"][0]
    place = model["locations"][0]
    models = []
    for number in range(SHARED + OWN):
        suffix = f"shared-{number}" if number < SHARED else f"r{index}-{number}"
        ident = f"ft:gpt-4o-mini-2024-07-18:acme:{suffix}:Ab12Cd34"
        locations = []
        for app in range(APPLICATIONS):
            spot = dict(place, path=f"svc-{app}/app/models.py", line=10 + number, application=f"svc-{app}")
            locations.append(dict(spot, value=ident, link=f"svc-{app}/app/models.py#L{10 + number}"))
        models.append(
            dict(
                copy.deepcopy(model),
                id=ident,
                suffix=suffix,
                org="acme",
                locations=locations,
                applications=[f"svc-{app}" for app in range(APPLICATIONS)],
                repositories=[name],
            )
        )
    document["models"] = models
    document["summary"]["models"] = len(models)
    return document


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument("--repos", type=int, default=100)
    parser.add_argument("--as-of", default="2026-11-22")
    args = parser.parse_args()
    args.directory.mkdir(parents=True, exist_ok=True)
    base = template(args.as_of)
    for index in range(1, args.repos + 1):
        path = args.directory / f"repo-{index:04d}.json"
        document = repository(base, index)
        path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in args.directory.glob("repo-*.json"))
    print(f"{args.repos} inventories, {total / 2**20:.1f} MiB, in {args.directory}")


if __name__ == "__main__":
    main()
