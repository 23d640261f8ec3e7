"""ftscan: find every OpenAI fine-tuning dependency in a repository before its deadline."""

__version__ = "0.1.0"
