# Partial IDs stay partial: neither FT101 nor FT104.
# the model looks like ft:gpt-4o-mini-... in the logs
# ok: FT101, FT104
MODEL = "ft:gpt-4o-mini-…"
# ok: FT101, FT104
LOGGED = "loaded ft:gpt-4o-mini-2024-07-18:northw"
# A placeholder with the full shape is one.
# ruleid: FT104:note
EXAMPLE = "ft:gpt-4o-mini:my-org:custom-suffix:id"
