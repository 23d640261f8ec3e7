"""The JavaScript/TypeScript scanner on small real sources: env reads, text-only files, offsets."""

from __future__ import annotations

import pytest

from ftscan.frozen import replace
from ftscan.rules.load import load_packs
from ftscan.rules.needles import derive_patterns
from ftscan.scan import could_match, scan_source
from ftscan.types import EvidenceKind

PACKS = load_packs()
PATTERNS = derive_patterns(PACKS, [r for p in PACKS for r in p.rules])
JOB = 'await client.fineTuning.jobs.create({ model: "gpt-4o-mini", training_file: "f" });\n'


def calls(path: str, text: str) -> list[tuple[int, str]]:
    result = scan_source(path, text, "javascript", PATTERNS)
    return [(e.span.line, e.value) for e in result.evidence if e.kind == EvidenceKind.API_CALL]


@pytest.mark.parametrize(
    ("source", "column"),
    [
        ("const m = process.env.SUPPORT_MODEL;", 23),
        ('const m = process.env["SUPPORT_MODEL"] ?? "gpt-4o";', 23),
        ("const { SUPPORT_MODEL: m = 'x' } = process.env;", 9),
        ("const { SUPPORT_MODEL = 'x' } = process.env;", 9),
        ("const m = import.meta.env.SUPPORT_MODEL;", 27),
        ('const m = Deno.env.get("SUPPORT_MODEL");', 24),
    ],
)
def test_env_reads(source: str, column: int) -> None:
    patterns = replace(PATTERNS, env_vars=frozenset({"SUPPORT_MODEL"}), needles=("SUPPORT_MODEL",))
    result = scan_source("app.ts", source, "javascript", patterns)
    (read,) = [e for e in result.evidence if e.kind == EvidenceKind.ENV_READ]
    assert (read.value, read.span.line, read.span.column) == ("SUPPORT_MODEL", 1, column)


def test_env_writes_and_other_objects_are_not_reads() -> None:
    patterns = replace(PATTERNS, env_vars=frozenset({"SUPPORT_MODEL"}), needles=("SUPPORT_MODEL",))
    source = 'process.env.SUPPORT_MODEL = "x";\nconfig.env.SUPPORT_MODEL;\n'
    result = scan_source("app.js", source, "javascript", patterns)
    assert [e for e in result.evidence if e.kind == EvidenceKind.ENV_READ] == []


def test_the_node_spelling_passes_the_prefilter_and_lookalikes_report_nothing() -> None:
    assert could_match(b"client.fineTuning.jobs.list()", PATTERNS)
    assert calls("db.ts", "db.fineTuningJobs.findMany();\nif (flags.fineTuning) go();\n") == []


def test_declarations_and_minified_bundles_are_text_only() -> None:
    assert calls("types/sdk.d.ts", JOB) == []
    assert calls("vendor.min.js", JOB) == []
    assert calls("bundle.js", JOB.rstrip("\n") + " " * 5001 + "\n") == []
    assert calls("train.mjs", JOB) == [(1, "openai.fine_tuning.jobs.create")]


def test_columns_count_code_points_after_non_ascii_text() -> None:
    model = "ft:gpt-4o-mini-2024-07-18:northwind:support:Bq7x2LmN"
    source = f'const note = "café ☕";\nconst id = "{model}"; // é\n'
    result = scan_source("a.ts", "// ünïcode ☕\n" + source + JOB, "javascript", PATTERNS)
    found = {e.kind: e.span for e in result.evidence}
    assert (found[EvidenceKind.MODEL_ID].line, found[EvidenceKind.MODEL_ID].column) == (3, 13)
    assert (found[EvidenceKind.API_CALL].line, found[EvidenceKind.API_CALL].column) == (4, 7)


def test_hostile_nesting_keeps_the_text_findings() -> None:
    model = '"ft:gpt-4o-mini-2024-07-18:northwind:support:Bq7x2LmN"'
    nested = "f({ model: " + "{ a:\n" * 3000 + model + "}" * 3000 + "});\n"
    result = scan_source("deep.ts", nested, "javascript", PATTERNS)
    assert [(e.kind, e.span.line) for e in result.evidence] == [(EvidenceKind.MODEL_ID, 3001)]
    aliases = "const a0 = new OpenAI();\n" + "".join(f"const a{i + 1} = a{i};\n" for i in range(3000))
    result = scan_source("alias.js", aliases + "a3000.fineTuning.jobs.create({});\n", "javascript", PATTERNS)
    assert [(n.kind, n.message) for n in result.notifications] == [
        ("parse-error", "nested too deeply to analyse; scanned as plain text")
    ]
