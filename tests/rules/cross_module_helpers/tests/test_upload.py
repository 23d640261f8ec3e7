# as-of: 2026-11-22
"""The helper's client is patched: a test double's call, a note at most."""

from unittest.mock import patch

from trainer.client import upload


@patch("trainer.client.client")
def test_upload(client):
    # ruleid: FT203:note
    upload("x.jsonl", "fine-tune")

