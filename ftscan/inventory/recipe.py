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

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import PurePosixPath

from ftscan.inventory.plan import UNKNOWN_RECIPE, Job, Place, Recipe


def offline_recipe(
    base: str,
    suffix: str | None,
    jobs: Mapping[str, Sequence[Job]],
    uploads: Mapping[str, Sequence[Place]],
    training_sets: Sequence[str],
    same_base: Callable[[str | None, str], bool],
) -> Recipe:
    """The jobs in `jobs` (by file) that make a model on `base` with `suffix`."""
    if not suffix:
        return UNKNOWN_RECIPE
    making = {
        path: [j for j in found if j.suffix == suffix and same_base(j.base, base)]
        for path, found in jobs.items()
    }
    making = {path: found for path, found in sorted(making.items()) if found}
    if not making:
        return UNKNOWN_RECIPE
    given = sorted(
        {
            name
            for found in making.values()
            for j in found
            for name in (j.training_file, j.validation_file)
            if name
        }
    )
    sent = [p.file for path in making for p in uploads.get(path, ()) if p.file]
    return Recipe(
        pipelines=tuple(making),
        training_data=matching_paths([*given, *sent], training_sets),
        training_files=tuple(given),
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
