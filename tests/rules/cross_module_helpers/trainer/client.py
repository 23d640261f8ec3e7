# as-of: 2026-11-22
"""Helpers the rest of the tree calls: their purpose and base come from the callers."""

from openai import OpenAI

client = OpenAI()


def upload(path, purpose):
    with open(path, "rb") as f:
        # ok: FT203
        return client.files.create(file=f, purpose=purpose)


def launch(base, training_file, suffix=None):
    # ruleid: FT201
    return client.fine_tuning.jobs.create(model=base, training_file=training_file, suffix=suffix)


def upload_all(paths, purpose):
    """Passes its purpose on to `upload`: its callers' purpose reaches the upload."""
    return [upload(path, purpose) for path in paths]


class Uploader:
    def upload(self, path, purpose):
        # ok: FT203
        return client.files.create(file=open(path, "rb"), purpose=purpose)
