"""An inventory read back from its JSON (`ftscan inventory -f json`), for `inventory merge`.

The reverse of `json_out`: every field is checked for its type as it is read, and a file
that is not an inventory of this version, or holds a field of the wrong type, is an
`InventoryError` naming the file and the field (`models[3].locations[0].line`). The files
come from other machines (an estate's matrix jobs), so each is read with a size cap.

A file `{"ftscan_inventory_version": N, "not_scanned": {"repository": ..., "reason": ...}}`
stands for a repository that could not be scanned (a workflow writes one when a checkout
fails): it reads as an empty inventory of that repository, marked not scanned.

What is derived again rather than read: a place's `link` and `detail`, a recipe's
`rebuildable`, the summary, the `organization` and `unreferenced_models` copies.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from ftscan.inventory.json_out import INVENTORY_VERSION
from ftscan.inventory.plan import (
    STATUSES,
    Deadline,
    Inventory,
    Job,
    Mention,
    Model,
    ModelOnline,
    Online,
    Organization,
    Pipeline,
    Place,
    Recipe,
    Repository,
    Schedule,
    TrainingSet,
    UnreferencedModel,
    not_scanned,
)
from ftscan.inventory.repository import COMMIT, URL, is_repository_name
from ftscan.types import EARLIEST_DAY, LATEST_DAY, LEVELS
from ftscan.untrusted.bounded_read import MIB, TooLarge, read_bounded

MAX_INVENTORY_BYTES = 512 * MIB
NOT_SCANNED = "not_scanned"
T = TypeVar("T")
_MISSING = object()


class InventoryError(Exception):
    """A file that is not a usable inventory; the message names the file and the field."""


def read_inventory(path: Path) -> Inventory:
    """The inventory in the JSON file at `path`."""
    try:
        data = read_bounded(path, MAX_INVENTORY_BYTES, "inventory")
    except TooLarge as error:
        raise InventoryError(f"{path}: {error}") from None
    except OSError as error:
        raise InventoryError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise InventoryError(f"{path}: not JSON ({error})") from None
    return parse_inventory(document, str(path))


def parse_inventory(document: Any, source: str) -> Inventory:
    """The inventory in a decoded JSON document; `source` names it in errors."""
    top = _Object(document, source, "")
    version = top.get("ftscan_inventory_version", int)
    if NOT_SCANNED in top and version == INVENTORY_VERSION:
        marker = top.object(NOT_SCANNED)
        return not_scanned(_repository_name(marker, "repository"), marker.get("reason", str))
    if version != INVENTORY_VERSION:
        raise InventoryError(
            f"{source}: an inventory of format version {version}; this ftscan reads version "
            f"{INVENTORY_VERSION} (make both with the same ftscan)"
        )
    return Inventory(
        as_of=top.day("as_of"),
        tool_version=top.object("tool").get("version", str),
        warn_within=top.get("warn_within", int),
        redacted=top.get("redacted", bool),
        codeowners=top.optional("codeowners", str),
        training_end=_deadline(top.nullable_object("training_end")),
        models=tuple(_model(m) for m in top.objects("models")),
        pipelines=tuple(_pipeline(p) for p in top.objects("pipelines")),
        training_data=tuple(
            TrainingSet(_place(t.object("place")), t.get("format", str), t.optional("records_sampled", int))
            for t in top.objects("training_data")
        ),
        mentions=tuple(_mention(m) for m in top.objects("mentions")),
        online=_online(top) if "online" in top else None,
        repositories=tuple(_repository(r) for r in top.objects("repositories")),
        estate=top.get("estate", bool),
        packs=tuple((p.get("name", str), p.get("version", str)) for p in top.objects("packs")),
    )


class _Object:
    """A JSON object with its place in the document, read field by field."""

    def __init__(self, value: Any, source: str, where: str) -> None:
        if not isinstance(value, dict):
            raise InventoryError(f"{source}: {where or 'the document'}: expected an object")
        self.value, self.source, self.where = value, source, where

    def __contains__(self, key: str) -> bool:
        return key in self.value

    def _path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _fail(self, key: str, wanted: str) -> InventoryError:
        return InventoryError(f"{self.source}: {self._path(key)}: expected {wanted}")

    def get(self, key: str, kind: type[T]) -> T:
        value = self.value.get(key, _MISSING)
        if not _is(value, kind):
            raise self._fail(key, _names(kind))
        return value  # type: ignore[no-any-return]

    def optional(self, key: str, kind: type[T]) -> T | None:
        value = self.value.get(key)
        if value is not None and not _is(value, kind):
            raise self._fail(key, f"{_names(kind)} or null")
        return value  # type: ignore[no-any-return]

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.value.get(key, ())
        if not isinstance(values, list) or not all(_is(v, str) for v in values):
            raise self._fail(key, "a list of strings")
        return tuple(values)

    def day(self, key: str) -> date:
        found = self.optional_day(key)
        if found is None:
            raise self._fail(key, "a date, YYYY-MM-DD")
        return found

    def optional_day(self, key: str) -> date | None:
        value = self.optional(key, str)
        if value is None:
            return None
        try:
            found = date.fromisoformat(value)
        except ValueError:
            raise self._fail(key, "a date, YYYY-MM-DD") from None
        if not EARLIEST_DAY <= found <= LATEST_DAY:
            raise self._fail(key, f"a date from {EARLIEST_DAY} to {LATEST_DAY}")
        return found

    def object(self, key: str) -> _Object:
        return _Object(self.value.get(key), self.source, self._path(key))

    def nullable_object(self, key: str) -> _Object | None:
        value = self.value.get(key)
        return None if value is None else _Object(value, self.source, self._path(key))

    def objects(self, key: str, at_least: int = 0) -> list[_Object]:
        values = self.value.get(key, [])
        if not isinstance(values, list) or len(values) < at_least:
            raise self._fail(key, f"a list of at least {at_least}" if at_least else "a list")
        return [_Object(v, self.source, f"{self._path(key)}[{i}]") for i, v in enumerate(values)]

    def choice(self, key: str, allowed: tuple[str | None, ...]) -> Any:
        value = self.value.get(key)
        if value not in allowed:
            raise self._fail(key, "one of " + ", ".join("null" if a is None else a for a in allowed))
        return value


def _is(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is str:
        return isinstance(value, str) and (value.isascii() or _writable(value))
    return isinstance(value, kind)


def _writable(text: str) -> bool:
    """Text every format can write: no lone surrogate but a file name's own bytes."""
    try:
        text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True


def _names(kind: type) -> str:
    return {str: "a string", int: "a whole number", bool: "true or false"}.get(kind, kind.__name__)


def _deadline(found: _Object | None) -> Deadline | None:
    if found is None:
        return None
    return Deadline(
        key=found.get("milestone", str),
        date=found.optional_day("date"),
        status=found.get("status", str),
        effect=found.get("effect", str),
    )


def _place(found: _Object) -> Place:
    return Place(
        path=found.get("path", str),
        line=found.get("line", int),
        column=found.get("column", int),
        file_kind=found.get("file_kind", str),
        application=found.get("application", str),
        owners=found.strings("owners"),
        rule_id=found.get("rule_id", str),
        level=found.choice("level", LEVELS),
        value=found.get("value", str),
        confidence=found.get("confidence", str),
        env_var=found.optional("env_var", str),
        key_path=found.optional("key_path", str),
        cell=found.optional("cell", str),
        set_in=found.optional("set_in", str),
        call=found.optional("call", str),
        keyword=found.optional("keyword", str),
        context=found.optional("context", str),
        checkpoint=found.optional("checkpoint", int),
        checkpoint_at_run_time=found.get("checkpoint_at_run_time", bool),
        file=found.optional("file", str),
    )


def _places(found: _Object, key: str) -> tuple[Place, ...]:
    return tuple(_place(p) for p in found.objects(key))


def _model(found: _Object) -> Model:
    recipe = found.object("recipe")
    online = found.nullable_object("online")
    return Model(
        id=found.get("id", str),
        flavor=found.get("flavor", str),
        base=found.get("base", str),
        org=found.optional("org", str),
        suffix=found.optional("suffix", str),
        checkpoints=tuple(_ints(found, "checkpoints")),
        inference_end=_deadline(found.nullable_object("inference_end")),
        training_end=_deadline(found.nullable_object("training_end")),
        days_left=found.optional("days_left", int),
        status=found.choice("status", STATUSES),
        level=found.choice("level", LEVELS),
        locations=_places(found, "locations"),
        mentions=_places(found, "mentions"),
        applications=found.strings("applications"),
        owners=found.strings("owners"),
        recipe=Recipe(
            pipelines=recipe.strings("pipelines"),
            training_data=recipe.strings("training_data"),
            training_files=recipe.strings("training_files"),
            found_by=recipe.choice("found_by", (None, "job suffix and base", "online job")),
        ),
        online=_model_online(online) if online is not None else None,
        repositories=found.strings("repositories"),
    )


def _ints(found: _Object, key: str) -> list[int]:
    values = found.value.get(key, [])
    if not isinstance(values, list) or not all(_is(v, int) for v in values):
        raise found._fail(key, "a list of whole numbers")
    return values


def _model_online(found: _Object) -> ModelOnline:
    return ModelOnline(
        exists=found.get("exists", bool),
        job_id=found.optional("job_id", str),
        created=found.optional_day("created"),
        training_file_stored=found.optional("training_file_stored", bool),
        last_used=found.optional_day("last_used"),
        requests_30d=found.optional("requests_30d", int),
        known=found.get("known", bool),
        organization=found.optional("organization", str),
    )


def _schedule(found: _Object, trigger: Callable[[_Object], str]) -> Schedule:
    return Schedule(
        by=found.get("by", str),
        line=found.get("line", int),
        schedule=found.optional("schedule", str) or "",
        trigger=trigger(found),
    )


def _pipeline(found: _Object) -> Pipeline:
    return Pipeline(
        path=found.get("path", str),
        file_kind=found.get("file_kind", str),
        application=found.get("application", str),
        owners=found.strings("owners"),
        jobs=tuple(_job(j) for j in found.objects("jobs", at_least=1)),
        bases=found.strings("bases"),
        training_end=_deadline(found.nullable_object("training_end")),
        days_left=found.optional("days_left", int),
        status=found.choice("status", STATUSES),
        training_data=found.strings("training_data"),
        models=found.strings("models"),
        uploads=_places(found, "uploads"),
        scheduled=tuple(_schedule(s, lambda _s: "schedule") for s in found.objects("scheduled")),
        triggers=tuple(_schedule(t, lambda t: t.get("trigger", str)) for t in found.objects("triggers")),
        repository=found.optional("repository", str),
    )


def _job(found: _Object) -> Job:
    return Job(
        place=_place(found.object("place")),
        base=found.optional("base", str),
        base_end=_deadline(found.nullable_object("base_end")),
        training_file=found.optional("training_file", str),
        validation_file=found.optional("validation_file", str),
        suffix=found.optional("suffix", str),
    )


def _mention(found: _Object) -> Mention:
    return Mention(
        id=found.get("id", str),
        base=found.optional("base", str),
        reason=found.choice("reason", ("placeholder", "low confidence only", "model from a job")),
        inference_end=_deadline(found.nullable_object("inference_end")),
        places=_places(found, "places"),
    )


def _repository(found: _Object) -> Repository:
    commit, url = found.optional("commit", str), found.optional("url", str)
    if commit is not None and not COMMIT.fullmatch(commit):
        raise found._fail("commit", "a commit, 40 or 64 hexadecimal digits")
    if url is not None and not URL.fullmatch(url):
        raise found._fail("url", "https://host/owner/name")
    return Repository(
        name=_repository_name(found, "name"),
        commit=commit,
        url=url,
        directory=found.optional("directory", str),
        codeowners=found.optional("codeowners", str),
        scanned=found.get("scanned", bool),
        reason=found.optional("reason", str),
    )


def _repository_name(found: _Object, key: str) -> str:
    """A repository's name: printable, and without `:`, which separates it from a path."""
    name = found.get(key, str)
    if not is_repository_name(name):
        raise found._fail(key, "a repository name: printable, without ':'")
    return name


def _online(top: _Object) -> Online:
    online = top.object("online")
    return Online(
        complete=online.get("complete", bool),
        fetched_at=online.get("fetched_at", str),
        notices=online.strings("notices"),
        organizations=tuple(_organization(o) for o in top.objects("organizations", at_least=1)),
        unheld=top.strings("models_held_by_no_organization"),
    )


def _organization(found: _Object) -> Organization:
    can = found.value.get("can_create_jobs")
    if can is not None and not isinstance(can, bool):
        raise found._fail("can_create_jobs", "true, false or null")
    return Organization(
        can_create_jobs=can,
        reason=found.get("reason", str),
        last_fine_tuned_inference=found.optional_day("last_fine_tuned_inference"),
        name=found.get("name", str),
        unreferenced=tuple(_unreferenced(u) for u in found.objects("unreferenced_models")),
        training_files_kept=found.optional("training_files_kept", int),
    )


def _unreferenced(found: _Object) -> UnreferencedModel:
    return UnreferencedModel(
        model=found.get("model", str),
        base=found.get("base", str),
        created=found.optional_day("created"),
        last_used=found.optional_day("last_used"),
        requests_30d=found.optional("requests_30d", int),
        inference_end=_deadline(found.nullable_object("inference_end")),
        organization=found.optional("organization", str),
    )
