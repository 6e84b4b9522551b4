"""Measure safesocial against the parse floor and against check-jsonschema, on the same files.

    python benchmarks/bench.py [--scales 0.25,0.5,1.0] [--work DIR] [--smoke]

For each scale it generates a synthetic local authority (benchmarks/generate.py) and
measures, in one run on the same files:

- the full fleet check: `safesocial check DIR -o json:FILE`, wall time and peak memory
  of the largest process, with --jobs 1 and with every core;
- the parse floor: only parsing those files with the fastest parsers safesocial uses
  (PyYAML's C loader, csv) in one process, building nothing else;
- the cache: the first run with it (which writes it) and a warm run on the same,
  unchanged files, both on every core; the uncached runs above use --no-cache;
- check-jsonschema validating the same YAML files against schemas/ (it reads no CSV),
  when it is installed (`pip install check-jsonschema`), at --jsonschema-scale only
  (it takes about 2 s a school), beside safesocial's own -j1 check of those files.

It also times a single school of 2,000 pupils and 10 accounts, one account of
50,000 followers (--big-account), and `safesocial --version` against a bare
`python -c pass`. It prints a Markdown report; numbers
are written down in BENCHMARKS.md. --smoke runs a tiny authority, for CI: it checks
that the benchmark still runs, and asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (the generator beside this script)

ROOT = HERE.parent
SCHEMAS = ROOT / "schemas"
AS_OF = "2026-11-21"


def parse_floor(folder: Path) -> float:
    """Seconds to parse every file with the C loader and csv, and nothing more."""
    loader = yaml.CSafeLoader
    started = time.perf_counter()
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".yaml":
            yaml.load(path.read_text("utf-8"), Loader=loader)
        elif path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as fh:
                for _ in csv.reader(fh):
                    pass
        elif path.suffix == ".json":
            json.loads(path.read_text("utf-8"))
    return time.perf_counter() - started


def _env(work: Path) -> dict[str, str]:
    # The cache's secret goes in the work folder, not the user's home; and the cache is
    # on unless a run says --no-cache, whatever the calling shell (or test) set.
    env = {k: v for k, v in os.environ.items() if k != "SAFESOCIAL_NO_CACHE"}
    return {**env, "XDG_CACHE_HOME": str(work / "user-cache")}


ENV: dict[str, str] = {}


def timed(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak MiB of the largest child process, exit code)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=ENV or None)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    # ru_maxrss is the largest child so far (KiB on Linux); the first run sets the floor.
    return wall, max(peak, before) / 1024, done.returncode


def safesocial(folder: Path, jobs: int, out: Path, cache: bool = False) -> tuple[float, float]:
    command = [sys.executable, "-m", "safesocial", "check", str(folder), "--as-of", AS_OF,
               "--jobs", str(jobs), "-o", f"json:{out}"]  # fmt: skip
    wall, peak, _ = timed(command if cache else [*command, "--no-cache"])
    return wall, peak


def cached_runs(folder: Path, jobs: int, work: Path) -> tuple[float, float, bool]:
    """(first run writing the cache, best of two warm runs, whether the warm report is
    the uncached one to the byte)."""
    shutil.rmtree(folder / ".safesocial_cache", ignore_errors=True)
    first, _ = safesocial(folder, jobs, work / "cached.json", cache=True)
    warm = min(safesocial(folder, jobs, work / "cached.json", cache=True)[0] for _ in range(2))
    same = (work / "cached.json").read_bytes() == (work / "out.json").read_bytes()
    return first, warm, same


def big_account(work: Path, followers: int) -> tuple[float, float]:
    """(parse floor, check -j1 without the cache) for one account of `followers`."""
    folder = generate.big_account(work / "big-account", followers)
    floor = min(parse_floor(folder) for _ in range(2))
    wall = min(safesocial(folder, 1, work / "big.json")[0] for _ in range(2))
    return floor, wall


def check_jsonschema(folder: Path) -> float | None:
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    if not Path(tool).exists():
        return None
    groups = {
        "account.schema.json": sorted(folder.rglob("accounts/*.yaml")),
        "school.schema.json": sorted(folder.rglob("school.yaml")),
        "policy.schema.json": sorted(folder.rglob("policy.yaml")),
    }
    started = time.perf_counter()
    for schema, files in groups.items():
        for start in range(0, len(files), 500):  # stay under the argument-length limit
            batch = [str(f) for f in files[start : start + 500]]
            subprocess.run([tool, "--schemafile", str(SCHEMAS / schema), *batch],
                           capture_output=True, check=False)  # fmt: skip
    return time.perf_counter() - started


def versus_jsonschema(work: Path, scale: float, smoke: bool) -> None:
    """check-jsonschema on the YAML files of one scale, beside safesocial's whole check."""
    folder = work / ("smoke" if smoke else f"scale-{scale}")
    if not (folder / "district-0").is_dir():
        generate.generate(folder, scale=scale or 1.0, smoke=smoke)
    other = check_jsonschema(folder)
    if other is None:
        print("\ncheck-jsonschema: not installed")
        return
    ours, _ = safesocial(folder, 1, work / "vs.json")
    schools = sum(1 for _ in folder.rglob("school.yaml"))
    print(f"\ncheck-jsonschema at scale {scale or 'smoke'} ({schools} schools), YAML files "
          f"only: {other:.1f} s; safesocial check -j1, everything: {ours:.1f} s "
          f"({other / ours:.1f}x faster)")  # fmt: skip


def startup() -> tuple[float, float]:
    def best(command: list[str]) -> float:
        runs = []
        for _ in range(7):
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            runs.append(time.perf_counter() - started)
        return min(runs)

    return best([sys.executable, "-c", "pass"]), best(
        [sys.executable, "-m", "safesocial", "--version"]
    )


def single_school(work: Path) -> float:
    """One school of 2,000 pupils and 10 accounts: the check on every commit."""
    folder = work / "single"
    if folder.exists():
        shutil.rmtree(folder)
    generate.generate(folder / "all", scale=1 / generate.SCHOOLS, seed=7)
    school = next((folder / "all").rglob("school.yaml")).parent
    accounts = sorted((school / "accounts").glob("*.yaml"))
    for n in range(len(accounts), 10):  # make it ten accounts
        shutil.copy(accounts[0], school / "accounts" / f"extra-{n}.yaml")
    runs = []
    for _ in range(3):
        wall, _, _ = timed([sys.executable, "-m", "safesocial", "check", str(school),
                            "--as-of", AS_OF, "-o", f"json:{work / 'single.json'}"])  # fmt: skip
        runs.append(wall)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="0.25,0.5,1.0")
    parser.add_argument("--jsonschema-scale", type=float, default=0.1)
    parser.add_argument("--big-account", type=int, default=50_000, metavar="FOLLOWERS")
    parser.add_argument("--work", type=Path, default=Path("/tmp/safesocial-bench"))
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    ENV.update(_env(args.work.resolve()))
    scales = [0.0] if args.smoke else [float(s) for s in args.scales.split(",")]
    cores = len(os.sched_getaffinity(0))
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, {cores} cores, "
          f"PyYAML {yaml.__version__} (C loader: {yaml.__with_libyaml__}), "
          f"load average before: {os.getloadavg()[0]:.1f}\n")  # fmt: skip
    print("| scale | schools | followers | consent rows | parse floor | check -j1 | ratio | "
          f"check -j{cores} | ratio | peak MiB -j1 | first run with cache -j{cores} | "
          "warm run | ratio | same report |")  # fmt: skip
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    for scale in scales:
        folder = args.work / ("smoke" if args.smoke else f"scale-{scale}")
        generate.generate(folder, scale=scale or 1.0, smoke=args.smoke)
        followers = sum(
            p.read_text("utf-8").count("category:") for p in folder.rglob("accounts/*.yaml")
        )
        consent = sum(sum(1 for _ in p.open()) - 1 for p in folder.rglob("consent.csv"))
        schools = sum(1 for _ in folder.rglob("school.yaml"))
        floor = min(parse_floor(folder) for _ in range(2))
        serial, peak = safesocial(folder, 1, args.work / "out.json")
        parallel, _ = safesocial(folder, cores, args.work / "out.json")
        first, warm, same = cached_runs(folder, cores, args.work)
        cells = [
            str(scale or "smoke"),
            str(schools),
            f"{followers:,}",
            f"{consent:,}",
            f"{floor:.1f} s",
            f"{serial:.1f} s",
            f"{serial / floor:.2f}x",
            f"{parallel:.1f} s",
            f"{parallel / floor:.2f}x",
            f"{peak:.0f}",
            f"{first:.1f} s",
            f"{warm:.2f} s",
            f"{warm / floor:.3f}x",
            "yes" if same else "NO",
        ]
        print("| " + " | ".join(cells) + " |")
    versus_jsonschema(args.work, 0.0 if args.smoke else args.jsonschema_scale, args.smoke)
    followers = 2_000 if args.smoke else args.big_account
    floor, wall = big_account(args.work, followers)
    print(f"\none account of {followers:,} followers: parse floor {floor:.2f} s; "
          f"check -j1 {wall:.2f} s ({wall / floor:.2f}x), start-up included")  # fmt: skip
    bare, version = startup()
    extra = (version - bare) * 1000
    print(
        f"\nstart-up: python -c pass {bare * 1000:.0f} ms; "
        f"safesocial --version {version * 1000:.0f} ms (+{extra:.0f} ms)"
    )
    if not args.smoke:
        single = single_school(args.work)
        print(f"single school, 2,000 pupils and 10 accounts: {single:.2f} s")


if __name__ == "__main__":
    main()
