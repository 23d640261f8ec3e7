"""The sink decides: what a program shows is not a dependency; what it runs is."""
import logging
import os
import subprocess

import click

log = logging.getLogger(__name__)
# ok: FT201, OP104
print("Next: openai api fine_tuning.jobs.create -t train.jsonl -m gpt-4o-mini")
# ok: FT301, OP104
log.info("run: openai api fine_tunes.create -t data.jsonl -m curie")
# ruleid: FT201:warning, OP104:error
subprocess.run(["openai", "api", "fine_tuning.jobs.create", "-t", "x.jsonl"])


def train(path):
    # ruleid: FT301:error, OP104:error
    cmd = f"openai api fine_tunes.create -t {path} -m davinci"
    print(cmd)  # shown and run: run
    os.system(cmd)


def hint(path):
    # ok: FT201, OP104
    cmd = f"openai api fine_tuning.jobs.create -t {path}"
    click.echo(f"Run: {cmd}")
    # ok: FT205
    raise RuntimeError("POST /v1/fine_tuning/jobs yourself")


# ok: FT301, OP104
@click.option("--x", help="see openai api fine_tunes.list")
def cli(x):
    # ruleid: FT301:error, OP104:error
    argv = ["openai", "api", "fine_tunes.list"]
    subprocess.check_call(argv)  # reported at the command it runs


# A concrete ID in a printed string stays: a pointer to a real model.
# ruleid: FT101:warning
print("serving ft:gpt-4o-mini-2024-07-18:northwind:support-v3:Bq7x2LmN")
