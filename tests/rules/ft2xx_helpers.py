# as-of: 2026-11-22
import argparse

import click
import httpx
import requests
from openai import OpenAI

client = OpenAI()
PURPOSE = "fine-tune"


def upload_file(path, purpose):
    with open(path, "rb") as f:
        # ok: FT203
        return client.files.create(file=f, purpose=purpose)


def upload_default(path, purpose="fine-tune", *, kind=None):
    # ok: FT203
    return client.files.create(file=open(path, "rb"), purpose=purpose)


def upload_twice(path, purpose):
    # ruleid: FT203:warning
    return upload_file(path, purpose=purpose), upload_file(path, "fine-tune")


# ruleid: FT203:warning
upload_file("train.jsonl", "fine-tune")
# ruleid: FT203:warning
upload_file(purpose="fine-tune", path="train.jsonl")
# ruleid: FT203:warning
upload_file("train.jsonl", PURPOSE)
# ruleid: FT203:warning
upload_default("train.jsonl")
# ruleid: FT203:warning
upload_twice("train.jsonl", "fine-tune")
# ok: FT203
upload_file("batch.jsonl", "batch")
# ok: FT203
upload_default("batch.jsonl", "batch")
# ok: FT203
upload_file(*["train.jsonl", "fine-tune"])


def start(model, training_file):
    # ruleid: FT201:warning
    return client.fine_tuning.jobs.create(model=model, training_file=training_file)


# ruleid: FT201:warning, FT206:error
start("gpt-3.5-turbo-0125", "file-abc")
# ruleid: FT201:warning
start(model_from_config, "file-abc")
# ok: FT201, FT206
start(model_from_config, file_from_config)


def same_scope(c):
    purpose = "fine-tune"
    # ruleid: FT203:warning
    c.files.create(file=open("t.jsonl", "rb"), purpose=purpose)
    kind = "fine-tune"
    kind = "batch"
    # ok: FT203
    c.files.create(file=open("t.jsonl", "rb"), purpose=kind)


def shadowed(purpose):
    # ok: FT203
    client.files.create(file=open("t.jsonl", "rb"), purpose=purpose)


@click.command()
@click.option("--purpose", "-p", default="fine-tune")
def cli(purpose):
    # ruleid: FT203:warning
    client.files.create(file=open("t.jsonl", "rb"), purpose=purpose)


parser = argparse.ArgumentParser()
parser.add_argument("-p", "--file-purpose", default="fine-tune")
args = parser.parse_args()
# ruleid: FT203:warning
client.files.create(file=open("t.jsonl", "rb"), purpose=args.file_purpose)


def cancel(api, job_id):
    jobs = api.fine_tuning.jobs
    # ruleid: FT202:note
    jobs.cancel(job_id)
    ft = api.fine_tuning
    # ruleid: FT202:note
    ft.jobs.list_events(job_id)


# ruleid: FT203:warning
requests.post("https://api.openai.com/v1/files", files={"file": open("t.jsonl", "rb")}, data={"purpose": "fine-tune"})
# ruleid: FT203:warning
httpx.Client().post(url=BASE + "/files", files={"file": f, "purpose": (None, "fine-tune")})
# ok: FT203
requests.post("https://api.fireworks.ai/v1/files", data={"purpose": "fine-tune"})
# ok: FT203
requests.get("https://api.openai.com/v1/files", params={"purpose": "fine-tune"})
# ok: FT203
requests.post("https://api.openai.com/v1/files/file-abc/content", data={"purpose": "fine-tune"})

LABELS = {
    # ruleid: FT101:warning
    "ft:gpt-4o-mini-2024-07-18:acme-ai:support:7p4lURel": "support",
    # ok: FT101
    "ft:gpt-4o-mini-2024-07-18:": "any fine-tune of gpt-4o-mini",
}


def upload_for_fine_tuning(file_path):
    url = "https://api.openai.com/v1/files"
    files = {"purpose": (None, "fine-tune"), "file": (file_path, open(file_path, "rb"), "application/json")}
    # ruleid: FT203:warning
    return requests.post(url, headers={}, files=files)


def upload_batch(file_path):
    files = {"purpose": (None, "batch"), "file": open(file_path, "rb")}
    # ok: FT203
    return requests.post("https://api.openai.com/v1/files", files=files)


# Wrappers that pass a value through: `cast(...)`, `str(...)`, parentheses.
from typing import Literal, cast


def upload_cast(path, purpose="fine-tune"):
    return client.files.create(file=open(path, "rb"), purpose=cast(Literal["fine-tune"], purpose))


def upload_str(path, purpose: str = "fine-tune"):
    return client.files.create(file=open(path, "rb"), purpose=str(purpose))


# ruleid: FT203:warning
upload_cast("train.jsonl")
# ruleid: FT203:warning
upload_str("train.jsonl")
# ok: FT203
upload_str("batch.jsonl", "batch")
