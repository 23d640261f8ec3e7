# as-of: 2026-11-22
"""pytest's monkeypatch replaces the helper's client: a test double's call, a note at most."""

from trainer.client import launch


def test_launch(monkeypatch):
    monkeypatch.setattr("trainer.client.client", object())
    # ruleid: FT201:note, FT206:note
    launch("gpt-4o-mini-2024-07-18", "file-abc")
