"""The walk stage: from the paths given to the files to scan, each with its kind."""

from ftscan.walk.kinds import file_kind
from ftscan.walk.reference import DEFAULT_MAX_BYTES, Target, Walker

__all__ = ["DEFAULT_MAX_BYTES", "Target", "Walker", "file_kind"]
