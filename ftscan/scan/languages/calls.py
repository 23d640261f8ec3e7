"""SDK calls in a parsed file, named as the rules name them, from the packs' `sdks` data.

A call matches an SDK's entry when its chain ends with the entry's names
(`FineTuning.Jobs.New` for `p.client.FineTuning.Jobs.New(ctx, ...)`). In a file that holds
one of the SDK's markers (its import path, its client class) the match is sure; elsewhere
only an entry of two names or more counts, as a guess (`resolved: guess`, medium
confidence): a bare method name such as `CreateFineTuningJob` may be the application's own.
A call to a function the file defines itself, on itself, is the application's own too.
A call in a test file that builds mocks or fakes is a test double: a note at most.
"""

from __future__ import annotations

from collections.abc import Iterator

from ftscan.rules.globs import glob_set
from ftscan.scan.languages.facts import Facts, argument_name
from ftscan.scan.trees import Node
from ftscan.types import Chain, Confidence, Evidence, EvidenceKind, Props, ScanPatterns, SdkSurface

# The arguments whose value a finding carries (`arg:model` dates a job by its base).
CARRIED = ("model", "base_model", "training_file", "validation_file", "suffix", "purpose")
_ALIASES = {"training_file_id": "training_file", "validation_file_id": "validation_file"}
_DOUBLES = ("mock", "Mock", "fake", "Fake", "stub", "Stub", "double(")
_TUNE = "fine-tune"
_CREATES = ("fine_tuning.jobs.create", "FineTune.create", "FineTuningJob.create")


def sdk_calls(facts: Facts, patterns: ScanPatterns) -> Iterator[Evidence]:
    if not patterns.calls:
        return
    wanted = glob_set(patterns.calls).fullmatch
    sdks = [sdk for sdk in patterns.sdks if facts.kind in sdk.languages]
    if not sdks:
        return
    used = {sdk.name for sdk in sdks if any(marker in facts.text for marker in sdk.markers)}
    double = facts.is_test() and any(word in facts.text for word in _DOUBLES)
    for call, args in facts.calls():
        chains, last = facts.chains_of(call)
        if last is None:
            continue
        found = _match(chains, sdks, used)
        if found is None:
            continue
        sdk, qname, needs, sure = found
        if not wanted(qname) or _own(facts, chains[0], call.start_byte):
            continue
        carried = _arguments(facts, sdk, chains[0][-1], args)
        keys = set(carried) | set(facts.pairs(args))
        if needs and not keys & set(needs):
            continue
        if not sure and qname.endswith(_CREATES) and not keys & {"model", "base_model", "training_file"}:
            continue  # a guess must show what it trains: `jobs().create(id)` is another `create`
        yield _evidence(facts, sdk, qname, last, carried, sure, double)


def _match(
    chains: list[Chain], sdks: list[SdkSurface], used: set[str]
) -> tuple[SdkSurface, str, tuple[str, ...], bool] | None:
    """The SDK entry a call's chain ends with: the longest, an SDK the file uses first."""
    best = None
    for sdk in sorted(sdks, key=lambda s: s.name not in used):
        sure = sdk.name in used
        for chain in chains:
            for key, qname, needs in sdk.calls:
                ends = len(chain) >= len(key) and chain[-len(key) :] == key and (sure or len(key) > 1)
                if ends and (best is None or len(key) > best[0]):
                    best = (len(key), sdk, qname, needs, sure)
    return None if best is None else best[1:]


def _own(facts: Facts, chain: Chain, at: int) -> bool:
    """A call of a method the file defines, on nothing, on itself or on a value of a type
    the file defines (`r.CreateFineTuningJob(...)` where `r` is the file's `Registry`)."""
    return chain[-1] in facts.defined and facts.receiver_is_own(chain, at)


def _arguments(facts: Facts, sdk: SdkSurface, method: str, args: Node | None) -> dict[str, str]:
    """The carried arguments whose value is known: keyed, or positional by the SDK's
    `arguments`, and the purpose wherever a `fine-tune` stands in the arguments."""
    carried: dict[str, str] = {}
    for key, node in facts.pairs(args).items():
        key = _ALIASES.get(key, key)
        value = facts.value(node)
        if key in CARRIED and value is not None:
            carried.setdefault(key, value)
    names = dict(sdk.arguments).get(method, ())
    for name, node in zip(names, facts.positional(args), strict=False):
        value = facts.value(node)
        if value is not None:
            carried.setdefault(argument_name(name), value)
    if "purpose" not in carried and any(value == _TUNE for value in facts.values_in(args)):
        carried["purpose"] = _TUNE
    return carried


def _evidence(
    facts: Facts,
    sdk: SdkSurface,
    qname: str,
    at: Node,
    carried: dict[str, str],
    sure: bool,
    double: bool,
) -> Evidence:
    confidence: Confidence = "high" if sure else "medium"
    props: Props = tuple((f"arg:{key}", value) for key, value in sorted(carried.items()))
    azure = any(marker in facts.text for marker in sdk.azure)
    props += (("client", "AzureOpenAI" if azure else "OpenAI"),)
    if double:
        confidence = "low"
        props += (("context", "test-double"),)
    props += (("language", facts.kind),)
    if any(marker in facts.text for marker in sdk.others):
        confidence = "low"
        props += (("provider", "other"),)
    if not sure:
        props += (("resolved", "guess"),)
    props += (("sdk", sdk.name),)
    return Evidence(
        kind=EvidenceKind.API_CALL,
        path=facts.path,
        span=facts.span(at),
        value=qname,
        confidence=confidence,
        props=props,
    )
