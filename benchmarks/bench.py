"""Measure safesocial against the parse floor and against check-jsonschema, on the same files.

    python benchmarks/bench.py [--scales 0.25,0.5,1.0] [--work DIR] [--smoke]

For each scale it generates a synthetic local authority (benchmarks/generate.py) and
measures, in one run on the same files:

- the full fleet check: `safesocial check DIR -o json:FILE`, wall time and peak memory
  of the largest process, with --jobs 1 and with every core;
- the parse floor: only parsing those files with the fastest parsers safesocial uses
  (PyYAML's C loader, csv) in one process, building nothing else;
- check-jsonschema validating the same YAML files against schemas/ (it reads no CSV),
  when it is installed (`pip install check-jsonschema`).

It also times a single school of 2,000 pupils and 10 accounts, and `safesocial
--version` against a bare `python -c pass`. It prints a Markdown report; numbers
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


def timed(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak MiB of the largest child process, exit code)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    # ru_maxrss is the largest child so far (KiB on Linux); the first run sets the floor.
    return wall, max(peak, before) / 1024, done.returncode


def safesocial(folder: Path, jobs: int, out: Path) -> tuple[float, float]:
    wall, peak, _ = timed(
        [
            sys.executable,
            "-m",
            "safesocial",
            "check",
            str(folder),
            "--as-of",
            AS_OF,
            "--jobs",
            str(jobs),
            "-o",
            f"json:{out}",
        ]
    )
    return wall, peak


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
    parser.add_argument("--work", type=Path, default=Path("/tmp/safesocial-bench"))
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    scales = [0.0] if args.smoke else [float(s) for s in args.scales.split(",")]
    cores = len(os.sched_getaffinity(0))
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, {cores} cores, "
          f"PyYAML {yaml.__version__} (C loader: {yaml.__with_libyaml__})\n")  # fmt: skip
    print("| scale | schools | followers | consent rows | parse floor | check -j1 | ratio | "
          f"check -j{cores} | ratio | peak MiB -j1 | check-jsonschema (YAML only) |")  # fmt: skip
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
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
        other = check_jsonschema(folder)
        jsonschema_time = f"{other:.1f} s" if other is not None else "not installed"
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
            jsonschema_time,
        ]
        print("| " + " | ".join(cells) + " |")
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
