# as-of: 2026-11-22
"""A function of its own that shares a helper's name: not the helper."""


def upload(path, purpose):
    print(path, purpose)


# ok: FT203
upload("data/train.jsonl", "fine-tune")
