"""Inventories of several repositories merged into one estate inventory.

Each inventory is folded in as it comes and then dropped, so an estate of a thousand
repositories holds one parsed document at a time besides what the estate itself keeps.
In the estate every path is `repo:path` and every application `repo:app` (the root
application is the repository's name). A model named in several repositories is one
model with every location, application, owner and repository; its recipe is every
repository's; days and statuses are counted again from the estate's as-of date.

The result does not depend on the order of the inputs: everything is sorted at the end.
Inventories of different rule packs, warn-within settings or (without `as_of`) dates are
refused, as are redacted ones (merge first, then `--redact-org`) and two inventories of
the same repository. An input that is itself an estate keeps its paths, so merging is
associative. The organizations' side is not merged: `inventory merge --online` reads it
once for the estate; a single input keeps its own (an estate rendered in another format).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from ftscan import __version__
from ftscan.inventory.build import same_base, status
from ftscan.inventory.plan import (
    Deadline,
    Inventory,
    Mention,
    Model,
    Online,
    Pipeline,
    Place,
    Recipe,
    Repository,
    Schedule,
    TrainingSet,
)
from ftscan.inventory.recipe import Source, offline_recipe
from ftscan.types import LEVELS


class MergeError(Exception):
    """Inventories that cannot be merged; the message says why and what to do.
    `about_input`: the input being added is the one at fault (the caller names it)."""

    def __init__(self, message: str, about_input: bool = True) -> None:
        super().__init__(message)
        self.about_input = about_input


def merge_inventories(inventories: Iterable[Inventory], as_of: date | None = None) -> Inventory:
    """One estate inventory of every repository in `inventories`, dated `as_of` (by default
    the date they share)."""
    estate = _Estate()
    for inventory in inventories:
        estate.add(inventory)
    return estate.result(as_of)


@dataclass
class _ModelParts:
    first: Model
    locations: dict[tuple[str, int, int], Place] = field(default_factory=dict)
    mentions: dict[tuple[str, int, int], Place] = field(default_factory=dict)
    checkpoints: set[int] = field(default_factory=set)
    levels: set[str] = field(default_factory=set)
    recipes: list[Recipe] = field(default_factory=list)
    repositories: set[str] = field(default_factory=set)


@dataclass
class _Estate:
    repositories: dict[str, Repository] = field(default_factory=dict)
    dates: set[date] = field(default_factory=set)
    warn_within: set[int] = field(default_factory=set)
    packs: tuple[tuple[str, str], ...] | None = None
    training_end: Deadline | None = None
    inputs: int = 0
    online: Online | None = None  # the only input's, kept when it is the only one
    models: dict[str, _ModelParts] = field(default_factory=dict)
    pipelines: list[Pipeline] = field(default_factory=list)
    training_data: list[TrainingSet] = field(default_factory=list)
    mentions: dict[tuple[str, str], tuple[Mention, dict[tuple[str, int, int], Place]]] = field(
        default_factory=dict
    )

    def add(self, inventory: Inventory) -> None:
        self.inputs += 1
        self.online = inventory.online
        for repository in inventory.repositories:
            if repository.name in self.repositories:
                raise MergeError(f"repository {repository.name!r} is in two of the inventories")
            self.repositories[repository.name] = repository
        if not any(r.scanned for r in inventory.repositories) and inventory.repositories:
            return  # a marker for a repository not scanned: no data
        if inventory.redacted:
            raise MergeError("a redacted inventory cannot be merged: merge the originals, with --redact-org")
        if inventory.estate:
            prefix = _Prefix(None)
        elif len(inventory.repositories) == 1:
            prefix = _Prefix(inventory.repositories[0].name)
        else:
            raise MergeError("an inventory names no repository: make it with `ftscan inventory --repo NAME`")
        if self.packs is None:
            self.packs = inventory.packs
        elif inventory.packs != self.packs:
            raise MergeError(
                f"the inventories were dated by different rule packs ({_packs(self.packs)}; "
                f"{_packs(inventory.packs)}): make them all with the same ftscan"
            )
        self.dates.add(inventory.as_of)
        self.warn_within.add(inventory.warn_within)
        self.training_end = self.training_end or inventory.training_end
        for model in inventory.models:
            self._add_model(model, prefix)
        self.pipelines += [prefix.pipeline(p) for p in inventory.pipelines]
        self.training_data += [replace(t, place=prefix.place(t.place)) for t in inventory.training_data]
        for mention in inventory.mentions:
            held = self.mentions.setdefault((mention.reason, mention.id), (mention, {}))[1]
            for place in mention.places:
                moved = prefix.place(place)
                held.setdefault(_key(moved), moved)

    def _add_model(self, model: Model, prefix: _Prefix) -> None:
        parts = self.models.setdefault(model.id, _ModelParts(first=model))
        for place in model.locations:
            moved = prefix.place(place)
            parts.locations.setdefault(_key(moved), moved)
        for place in model.mentions:
            moved = prefix.place(place)
            parts.mentions.setdefault(_key(moved), moved)
        parts.checkpoints.update(model.checkpoints)
        parts.levels.add(model.level)
        parts.recipes.append(prefix.recipe(model.recipe))
        parts.repositories.update(model.repositories or ((prefix.repo,) if prefix.repo else ()))

    def result(self, as_of: date | None) -> Inventory:
        if as_of is None:
            if len(self.dates) > 1:
                dates = ", ".join(sorted(d.isoformat() for d in self.dates))
                raise MergeError(
                    f"the inventories are dated differently ({dates}): give the estate's date with --as-of",
                    about_input=False,
                )
            as_of = next(iter(self.dates), None) or date.today()
        if len(self.warn_within) > 1:
            distances = ", ".join(map(str, sorted(self.warn_within)))
            raise MergeError(
                f"the inventories warn at different distances ({distances} days): make them with the "
                "same --warn-within",
                about_input=False,
            )
        warn_within = next(iter(self.warn_within), 90)
        alone = self.inputs == 1
        sources = [(p.path, p.jobs, p.uploads) for p in self.pipelines]
        training_sets = sorted(t.place.path for t in self.training_data)
        models = sorted(
            (
                self._model(parts, as_of, warn_within, alone, sources, training_sets)
                for parts in self.models.values()
            ),
            key=lambda m: (
                m.inference_end.date if m.inference_end and m.inference_end.date else date.max,
                m.id,
            ),
        )
        days, state = status(self.training_end, as_of, warn_within)
        pipelines = [
            replace(
                p,
                days_left=days,
                status=state,
                models=tuple(m.id for m in models if any(same_base(b, m.base) for b in p.bases)),
            )
            for p in self.pipelines
        ]
        pipelines.sort(key=lambda p: (not p.scheduled, p.path))
        mentions = [
            replace(mention, places=_sorted(places.values())) for mention, places in self.mentions.values()
        ]
        mentions.sort(
            key=lambda m: (m.places[0].path if m.places else "", m.places[0].line if m.places else 0, m.id)
        )
        return Inventory(
            as_of=as_of,
            tool_version=__version__,
            warn_within=warn_within,
            redacted=False,
            codeowners=None,
            training_end=self.training_end,
            models=tuple(models),
            pipelines=tuple(pipelines),
            training_data=tuple(sorted(self.training_data, key=lambda t: t.place.path)),
            mentions=tuple(mentions),
            repositories=tuple(sorted(self.repositories.values(), key=lambda r: r.name)),
            estate=True,
            packs=self.packs or (),
            online=self.online if alone else None,
        )

    def _model(
        self,
        parts: _ModelParts,
        as_of: date,
        warn_within: int,
        alone: bool,
        sources: list[Source],
        training_sets: list[str],
    ) -> Model:
        """One model of the estate; its recipe looked for among every repository's jobs (a
        model used in one repository is often trained in another), else what the inputs
        found (an Azure job, an organization's)."""
        first = parts.first
        recipe = offline_recipe(first.base, first.suffix, sources, training_sets, same_base)
        if recipe.found_by is None:
            recipe = _recipe(parts.recipes)
        locations = _sorted(parts.locations.values())
        days, state = status(first.inference_end, as_of, warn_within)
        return replace(
            first,
            checkpoints=tuple(sorted(parts.checkpoints)),
            days_left=days,
            status=state,
            level=max(parts.levels, key=LEVELS.index),
            locations=locations,
            mentions=_sorted(parts.mentions.values()),
            applications=tuple(sorted({p.application for p in locations})),
            owners=tuple(sorted({o for p in locations for o in p.owners})),
            recipe=recipe,
            online=first.online if alone else None,
            repositories=tuple(sorted(parts.repositories)),
        )


@dataclass(frozen=True)
class _Prefix:
    """Writes one repository's paths and applications as the estate's (`repo:path`); for
    an estate's own inventory (`repo` None), leaves them as they are."""

    repo: str | None

    def path(self, path: str) -> str:
        return f"{self.repo}:{path}" if self.repo else path

    def application(self, application: str) -> str:
        if not self.repo:
            return application
        return self.repo if application == "." else f"{self.repo}:{application}"

    def place(self, place: Place) -> Place:
        if not self.repo:
            return place
        return replace(
            place,
            path=self.path(place.path),
            application=self.application(place.application),
            set_in=self.path(place.set_in) if place.set_in else None,
        )

    def recipe(self, recipe: Recipe) -> Recipe:
        return replace(
            recipe,
            pipelines=tuple(map(self.path, recipe.pipelines)),
            training_data=tuple(map(self.path, recipe.training_data)),
        )

    def pipeline(self, pipeline: Pipeline) -> Pipeline:
        return replace(
            pipeline,
            path=self.path(pipeline.path),
            application=self.application(pipeline.application),
            jobs=tuple(replace(j, place=self.place(j.place)) for j in pipeline.jobs),
            training_data=tuple(map(self.path, pipeline.training_data)),
            uploads=tuple(map(self.place, pipeline.uploads)),
            scheduled=tuple(map(self.schedule, pipeline.scheduled)),
            triggers=tuple(map(self.schedule, pipeline.triggers)),
            repository=pipeline.repository or self.repo,
        )

    def schedule(self, schedule: Schedule) -> Schedule:
        return replace(schedule, by=self.path(schedule.by))


def _recipe(recipes: list[Recipe]) -> Recipe:
    """Every repository's recipe for a model: the jobs found, what they are given."""
    found = [r for r in recipes if r.found_by is not None]
    if not found:
        return Recipe((), (), ())
    return Recipe(
        pipelines=tuple(sorted({p for r in found for p in r.pipelines})),
        training_data=tuple(sorted({d for r in found for d in r.training_data})),
        training_files=tuple(sorted({f for r in found for f in r.training_files})),
        found_by=min(r.found_by for r in found if r.found_by),  # "job suffix and base" before "online job"
    )


def _key(place: Place) -> tuple[str, int, int]:
    return place.path, place.line, place.column


def _sorted(places: Iterable[Place]) -> tuple[Place, ...]:
    return tuple(sorted(places, key=_key))


def _packs(packs: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{name} {version}" for name, version in packs) or "none"
