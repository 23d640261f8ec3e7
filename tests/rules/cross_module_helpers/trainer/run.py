# as-of: 2026-11-22
from trainer import client as api
from trainer.client import Uploader

from .client import launch, upload, upload_all

PURPOSE = "fine-tune"

# ruleid: FT203
data = upload("data/train.jsonl", purpose="fine-tune")
# ruleid: FT203
extra = upload("data/extra.jsonl", PURPOSE)
# ok: FT203
other = upload("data/batch.jsonl", "batch")
# ok: FT203
unknown = upload("data/x.jsonl", purpose_from_elsewhere)
# ruleid: FT203
every = upload_all(["a.jsonl", "b.jsonl"], "fine-tune")
# ruleid: FT201:warning, FT206:warning
launch("gpt-4o-mini-2024-07-18", data.id)
# ruleid: FT201:warning, FT206:error
api.launch(base="gpt-3.5-turbo-0125", training_file="file-abc")
# ok: FT201
launch(*sys.argv[1:])
# ok: FT203 (a method: called on an instance, not through an import)
Uploader().upload("data/y.jsonl", "fine-tune")
