"""One check from start to end: configuration, rules, school folders, engine.

The CLI's commands share this; it returns data and never prints.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from safesocial.documents import resources
from safesocial.errors import UsageError
from safesocial.model import Loaded, loader
from safesocial.packs import rules
from safesocial.running import cache, config, judge
from safesocial.running.results import RunResult, SchoolResult
from safesocial.settings import Settings


@dataclass(frozen=True, slots=True)
class Checked:
    result: RunResult
    rules: Sequence[rules.Rule]
    loads: Sequence[Loaded]
    config: config.Config
    # What the CLI may say with --verbose: how the cache was used, and why it was not.
    notes: Sequence[str] = ()


def load_config(given: str | None, first_path: Path) -> config.Config:
    if given:
        return config.load(Path(given), tree=first_path)
    return config.load(config.discover(first_path), discovered=True)


def load_rules(conf: config.Config, extra_packs: Sequence[Path] = ()) -> list[rules.Rule]:
    """Built-in packs and the configuration's own, selected and re-weighted by it."""
    packs = [*resources.builtin_packs(), *conf.packs.value, *extra_packs]
    return config.apply(rules.load_rules(packs), conf)


def _school_above(given: str) -> str | None:
    """The school folder `given` lies inside (run from accounts/, it is ..), shown as a
    path from here, so that findings' paths still open from the current directory."""
    base = Path(given).resolve()
    for parent in base.parents:
        if any((parent / marker).is_file() for marker in loader.SCHOOL_MARKERS):
            return str(parent) if Path(given).is_absolute() else os.path.relpath(parent)
    return None


def find_folders(
    paths: Sequence[str], shard: tuple[int, int] | None = None
) -> list[tuple[Path, str]]:
    """Every school folder under PATHS, each with the path findings will show; a path
    inside one school folder (its accounts/, say) means that school. With `shard`
    (I, N), only the schools of share I of N."""
    found: list[tuple[Path, str]] = []
    for given in paths:
        base = Path(given)
        folders = loader.find_schools(base)
        if not folders and (above := _school_above(given)) is not None:
            given, base = above, Path(above)
            folders = [base]
        if not folders:
            raise UsageError(f"{given}: no school folder here (a folder holding school.yaml)")
        shown = given.rstrip("/") or "/"
        found.extend(
            (f, loader.shown_path(shown, base, f))
            for f in folders
            if shard is None or shard_of(f.relative_to(base).as_posix(), shard[1]) == shard[0]
        )
    return found


def parse_shard(value: str) -> tuple[int, int]:
    """--shard I/N as (I, N)."""
    index, sep, count = value.partition("/")
    if not (sep and index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise UsageError(f"--shard {value!r}: write I/N, e.g. 2/4, with I from 1 to N")
    return int(index), int(count)


def shard_of(relative: str, count: int) -> int:
    """The share (1 to `count`) a school folder falls in, from its path below the checked
    folder: the same on every machine and in every run, whatever else is in the fleet."""
    digest = hashlib.sha256(relative.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def load_schools_if_any(path: str) -> list[Loaded]:
    """The school folders at or under `path`, or none (`config` works on any folder)."""
    base = Path(path)
    shown = path.rstrip("/") or "/"
    return [
        loader.load_school(f, loader.shown_path(shown, base, f)) for f in loader.find_schools(base)
    ]


# Each worker process loads the rules once (compiled schemas do not travel between
# processes), then checks the schools it is handed one at a time.
_WORKER: tuple[Sequence[rules.Rule], Settings, cache.Cache | None] | None = None


def _start_worker(conf: config.Config, settings: Settings, store: cache.Cache | None) -> None:
    global _WORKER
    _WORKER = (load_rules(conf), settings, store)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one school is read and checked.

    A school's documents, records and findings hold no reference cycles, yet the
    collector keeps re-scanning them as they grow: measured, it took nearly half the
    time of a fleet check. Anything cyclic made meanwhile (an exception's traceback)
    is collected as usual once the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What the run keeps (findings) stays to the end: move it out of the collector's
        # sight, or every later collection re-scans every earlier school's findings.
        gc.freeze()
        if was_enabled:
            gc.enable()


def check_one(
    folder: Path, shown: str, chosen: Sequence[rules.Rule], settings: Settings
) -> tuple[Loaded, SchoolResult]:
    with _collector_paused():
        loaded = loader.load_school(folder, shown)
        return loaded, judge.check_school(loaded, chosen, settings)


def _check_and_store(
    folder: Path,
    shown: str,
    key: str | None,
    chosen: Sequence[rules.Rule],
    settings: Settings,
    store: cache.Cache | None,
) -> tuple[SchoolResult, str]:
    """Check one school and keep its result under `key` (None: not cached); with a note
    when the cache could not be written."""
    school = check_one(folder, shown, chosen, settings)[1]
    if store is None or key is None:
        return school, ""
    return school, store.store(key, folder, shown, school)


def _check_in_worker(task: tuple[Path, str, str | None]) -> tuple[SchoolResult, str]:
    assert _WORKER is not None, "the worker was not started"
    chosen, settings, store = _WORKER
    return _check_and_store(*task, chosen, settings, store)


def _cached(
    folders: Sequence[tuple[Path, str]], store: cache.Cache | None, notes: list[str]
) -> tuple[dict[int, SchoolResult], list[tuple[int, tuple[Path, str, str | None]]]]:
    """The schools the cache has (by position), and what is left to check, with keys."""
    kept: dict[int, SchoolResult] = {}
    left: list[tuple[int, tuple[Path, str, str | None]]] = []
    for index, (folder, shown) in enumerate(folders):
        if store is None:
            left.append((index, (folder, shown, None)))
            continue
        with _collector_paused():  # a cached school is as many objects as a checked one
            key, result, note = store.lookup(folder, shown)
        if note:
            notes.append(note)
        if result is not None:
            kept[index] = result
        else:
            left.append((index, (folder, shown, key)))
    return kept, left


def _open_cache(
    conf: config.Config,
    settings: Settings,
    chosen: Sequence[rules.Rule],
    first: Path,
    notes: list[str],
) -> cache.Cache | None:
    packs = [*resources.builtin_packs(), *conf.packs.value]
    folder = cache.location(conf.path, first)
    picked = [f"{r.id}:{r.severity.value}:{r.category.value}" for r in chosen]
    try:
        return cache.Cache.open(folder, cache.run_key(settings, conf.path, packs, picked))
    except (cache.Unavailable, OSError) as exc:
        notes.append(f"cache: not used ({exc}); every school is checked anew")
        return None


def _run(
    folders: Sequence[tuple[Path, str]],
    conf: config.Config,
    chosen: Sequence[rules.Rule],
    settings: Settings,
    store: cache.Cache | None,
    jobs: int,
    notes: list[str],
    progress: Callable[[int, int], None] | None,
) -> tuple[list[SchoolResult], int]:
    """Every school's result in folder order, and how many came from the cache.

    The cache is read here, before any worker starts: an unchanged fleet needs no
    worker, and its results are not copied between processes. The rest are checked
    `jobs` at a time, each stored in the cache by the process that checked it.
    """
    kept, left = _cached(folders, store, notes)
    found: dict[int, SchoolResult] = dict(kept)
    if progress and kept:
        progress(len(found), len(folders))

    def take(index: int, school: SchoolResult, note: str) -> None:
        found[index] = school
        if note:
            notes.append(note)
        if progress:
            progress(len(found), len(folders))

    jobs = max(1, min(jobs, len(left)))
    if jobs == 1:
        for index, task in left:
            take(index, *_check_and_store(*task, chosen, settings, store))
    else:
        context = multiprocessing.get_context("spawn")
        with context.Pool(jobs, _start_worker, (conf, settings, store)) as pool:
            tasks = [task for _, task in left]
            for (index, _), one in zip(left, pool.imap(_check_in_worker, tasks), strict=True):
                take(index, *one)
    return [found[i] for i in range(len(folders))], len(kept)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check(
    paths: Sequence[str],
    config_path: str | None,
    as_of: date,
    strict: bool = False,
    jobs: int = 1,
    keep_loads: bool = False,
    progress: Callable[[int, int], None] | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    use_cache: bool = False,
    shard: tuple[int, int] | None = None,
) -> Checked:
    """Check every school under PATHS, `jobs` schools at a time.

    Schools are loaded, checked and let go one by one, so a local authority's fleet
    never sits in memory at once; results come back in folder order whatever `jobs` is.
    `keep_loads` (for --reveal-names) keeps what was read, and runs in this process
    without the cache (it needs every school loaded). `use_cache` takes unchanged
    schools from the cache (cache.py); `shard` (I, N) checks share I of N only.
    """
    conf = config.with_options(load_config(config_path, Path(paths[0])), select, ignore)
    chosen = load_rules(conf)
    settings = conf.settings(as_of, strict=strict)
    folders = find_folders(paths, shard)
    notes: list[str] = []
    store = (
        _open_cache(conf, settings, chosen, Path(paths[0]), notes)
        if use_cache and not keep_loads
        else None
    )
    results: list[SchoolResult] = []
    loads: list[Loaded] = []
    hits = 0
    if keep_loads:
        for done, folder in enumerate(folders, start=1):
            loaded, school = check_one(*folder, chosen, settings)
            loads.append(loaded)
            results.append(school)
            if progress:
                progress(done, len(folders))
    else:
        results, hits = _run(folders, conf, chosen, settings, store, jobs, notes, progress)
    if store is not None:
        notes.insert(0, f"cache: {hits} of {len(folders)} schools unchanged, in {store.folder}")
    run = RunResult(schools=tuple(results), settings=settings, rule_count=len(chosen), shard=shard)
    # The same note for every school (an unwritable folder) is said once.
    return Checked(run, chosen, loads, conf, tuple(dict.fromkeys(notes)))
