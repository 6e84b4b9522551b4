"""Write a planned repository into a folder without ever replacing a file already there."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from safesocial.atomic import write_atomic
from safesocial.scaffold.render import Planned


@dataclass(slots=True)
class Outcome:
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already there: left exactly as it was
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def write(root: Path, planned: list[Planned]) -> Outcome:
    """Write each file that does not exist yet; report the rest, never overwrite.

    A school may run `init` in a folder that already holds its real policy: a file that
    exists (even empty, even a folder or link by that name) is skipped. The check and the
    write are not one atomic step; `init` is run by one person, once, so a file appearing
    in between is not a case worth a platform-specific no-clobber rename.
    """
    outcome = Outcome()
    for item in planned:
        target = root / item.path
        if target.exists() or target.is_symlink():
            outcome.skipped.append(item.path)
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, item.text)
        except OSError as exc:
            outcome.failed.append((item.path, exc.strerror or str(exc)))
        else:
            outcome.written.append(item.path)
    return outcome
