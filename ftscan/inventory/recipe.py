"""A model's recipe: the job that made it and what that job was given, never a guess.

Offline, a job in the code makes a model when its `suffix=` and base make the model's ID
(`suffix="support-v3"` on `gpt-4o-mini-2024-07-18` makes
`ft:gpt-4o-mini-2024-07-18:org:support-v3:...`); both suffixes must be known and equal. The
training data is then what that job is given: its `training_file=` when it is a path (a CLI
command's `-t`), else the files its pipeline uploads (`files.create(file=open(path))`),
matched to the training sets found in the tree. Online (`ftscan.inventory.online_join`), the
organization's job for the model names its training file, whose name (from the Files API)
is matched to the same training sets. Otherwise the recipe is unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePosixPath

from ftscan.inventory.plan import UNKNOWN_RECIPE, Job, Place, Recipe

Source = tuple[str, Sequence[Job], Sequence[Place]]  # a file's path, its jobs, its uploads


def offline_recipe(
    base: str,
    suffix: str | None,
    sources: Iterable[Source],
    training_sets: Sequence[str],
    same_base: Callable[[str | None, str], bool],
) -> Recipe:
    """The jobs among `sources` that make a model on `base` with `suffix`, and what they are
    given among `training_sets` (of the same repository, in an estate)."""
    if not suffix:
        return UNKNOWN_RECIPE
    pipelines, given, data = [], set(), set()
    for path, jobs, uploads in sorted(sources, key=lambda source: source[0]):
        making = [j for j in jobs if j.suffix == suffix and same_base(j.base, base)]
        if not making:
            continue
        pipelines.append(path)
        named = {name for j in making for name in _given(j) if name}
        given |= named
        repository = path.partition(":")[0] + ":" if ":" in path else ""
        held = [t for t in training_sets if t.startswith(repository)]
        data.update(matching_paths([*named, *(u.file for u in uploads if u.file)], held))
    if not pipelines:
        return UNKNOWN_RECIPE
    return Recipe(
        pipelines=tuple(pipelines),
        training_data=tuple(sorted(data)),
        training_files=tuple(sorted(given)),
        found_by="job suffix and base",
    )


def _given(job: Job) -> tuple[str | None, str | None]:
    return job.training_file, job.validation_file


def matching_paths(names: Iterable[str], paths: Sequence[str]) -> tuple[str, ...]:
    """The paths in `paths` that each of `names` (a path as code wrote it, or a file name)
    names: the same file name, and one path a tail of the other (`data/train.jsonl`,
    `./train.jsonl` and `/srv/app/data/train.jsonl` name `data/train.jsonl`)."""
    found = {path for name in names for path in paths if _names(name, path)}
    return tuple(sorted(found))


def _names(name: str, path: str) -> bool:
    given = [part for part in PurePosixPath(name.replace("\\", "/")).parts if part not in ("/", ".")]
    # An estate's paths are `repo:path`: the path after the repository's name.
    held = list(PurePosixPath(path.rpartition(":")[2] if ":" in path else path).parts)
    if not given or not held or given[-1] != held[-1]:
        return False
    short, long = sorted((given, held), key=len)
    return long[len(long) - len(short) :] == short
