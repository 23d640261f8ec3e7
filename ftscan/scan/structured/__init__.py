"""Configuration and data files: `.env` (`dotenv`), YAML, JSON and TOML (`documents`),
JSON Lines (`jsonl`), each model ID with its key path and the variable it sets (`context`).
"""
