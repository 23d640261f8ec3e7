# as-of: 2026-11-22
"""A src layout: imported as `shared.ml.files`."""

import openai


def upload(path, purpose="fine-tune"):
    # ok: FT203
    return openai.files.create(file=open(path, "rb"), purpose=purpose)
