# as-of: 2026-11-22
import shared.ml.files
import shared.ml.files as files
from shared.ml.files import *

# ruleid: FT203
shared.ml.files.upload("a.jsonl")
# ok: FT203
files.upload("b.jsonl", purpose="assistants")
# ruleid: FT203
upload("c.jsonl")
