"""What ftscan knows of the SDKs a Python file may call: OpenAI's clients and wrappers, the
other providers' SDKs that look alike, and where a call on an unknown receiver may be guessed
to be OpenAI's. Facts only, shared by the binder and the resolver."""

from __future__ import annotations

# `openai.<name>` classes whose instances are clients, and the client ftscan reports.
CLIENT_CLASSES = {
    "OpenAI": "OpenAI",
    "AsyncOpenAI": "AsyncOpenAI",
    "AzureOpenAI": "AzureOpenAI",
    "AsyncAzureOpenAI": "AsyncAzureOpenAI",
    "Client": "OpenAI",
    "AsyncClient": "AsyncOpenAI",
}
WRAPPER_ATTRS = frozenset({"with_raw_response", "with_streaming_response"})
WRAPPER_CALLS = frozenset({"with_options", "copy"})  # methods that return the same client
OTHER_SDKS = frozenset({"mistralai", "together", "fireworks", "groq", "anthropic", "cohere"})
KNOWN_SDKS = OTHER_SDKS | {"openai"}
# Where the chain of an unresolved receiver may start for ftscan to guess it is OpenAI's;
# the generic upload roots only with `purpose="fine-tune"` among the keywords.
GUESS_ROOTS = frozenset({"fine_tuning", "fine_tunes", "FineTune", "FineTuningJob", "beta"})
UPLOAD_ROOTS = frozenset({"files", "uploads", "File"})
# Functions whose result is a mapping of environment-like variables, and its name.
MAPPING_FUNCTIONS = {
    "dotenv.dotenv_values": "dotenv.dotenv_values()",
    "dotenv.main.dotenv_values": "dotenv.dotenv_values()",
}
_OPENAI_HOSTS = ("openai.com", "azure")
# What `from openai import *` binds.
STAR_NAMES = (*CLIENT_CLASSES, "FineTune", "FineTuningJob", "File", "Model")


def is_azure_url(url: str) -> bool:
    """An Azure OpenAI endpoint: an `*.azure.com` host, or Azure's `/openai/v1` path."""
    lowered = url.lower()
    return ".azure.com" in lowered or "/openai/v1" in lowered


def is_other_provider(url: str) -> bool:
    """A `base_url` that names neither OpenAI nor Azure."""
    lowered = url.lower()
    return not any(host in lowered for host in _OPENAI_HOSTS)


# Modules whose objects are test doubles (`unittest.mock.MagicMock`, `mock.create_autospec`).
MOCK_MODULES = ("unittest.mock.", "mock.")
