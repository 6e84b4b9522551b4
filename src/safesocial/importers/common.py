"""What the platform readers share: JSON that names its file when it is wrong, key
variants, Meta's mis-encoded text, dates, and usernames checked before they are kept."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from safesocial.errors import ImportProblem
from safesocial.importers.archive import Export

# Usernames on Instagram, TikTok and X are letters, digits, '.' and '_'. A value with
# anything else (spaces, control characters, markup) is not a username from a real export.
_USERNAME = re.compile(r"[\w.\-]{1,64}")
_DIGITS = re.compile(r"\d{1,25}")


def load_json(export: Export, name: str) -> Any:
    return parse_json(export.text(name), export.where(name))


def parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportProblem(
            f"{where}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
            "the export is damaged, or was requested as HTML or text instead of JSON"
        ) from None
    except RecursionError:
        raise ImportProblem(f"{where}: nested too deeply to be an export") from None


def one_file(export: Export, names: list[str], what: str) -> str | None:
    """The one file of a kind, or None; two copies make the choice a guess, so refuse."""
    if len(names) > 1:
        listed = ", ".join(names)
        raise ImportProblem(
            f"{export.shown}: {what} appears {len(names)} times ({listed}); is this two "
            "exports in one? Import each on its own"
        )
    return names[0] if names else None


def keys_of(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(repr(k) for k in list(value)[:8]) or "no keys"
    return f"a {type(value).__name__}"


def pick(mapping: Mapping[str, Any], names: Iterable[str]) -> tuple[str, Any] | None:
    """The first of `names` present in `mapping`, compared without regard to case (the
    platforms change the case of their keys between export versions)."""
    folded = {k.casefold(): k for k in mapping if isinstance(k, str)}
    for name in names:
        real = folded.get(name.casefold())
        if real is not None:
            return real, mapping[real]
    return None


def expect(value: Any, kind: type, where: str, what: str) -> Any:
    if not isinstance(value, kind):
        nouns: dict[type, str] = {dict: "an object", list: "a list", str: "text"}
        noun = nouns.get(kind, kind.__name__)
        raise ImportProblem(
            f"{where}: expected {what} to be {noun}, found {keys_of(value)}; this export's "
            "format is one safesocial does not know"
        )
    return value


def fix_meta_text(text: str) -> str:
    """Undo Meta's mis-encoding: its JSON writes each UTF-8 byte as its own \\u00XX
    character, so 'Valérie' arrives as 'ValÃ©rie'. Text that does not decode that way
    was written correctly and is kept as it is."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def clean(text: str, where: str, what: str) -> str:
    """Text from an export, refused if it cannot be written to a UTF-8 file."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ImportProblem(f"{where}: {what} is not valid text") from None
    return text.strip()


def username(value: Any, where: str, what: str) -> str:
    """A platform username as the account files write handles: '@name'."""
    if not isinstance(value, str) or not _USERNAME.fullmatch(value.strip().lstrip("@")):
        raise ImportProblem(
            f"{where}: {what} is {short(value)}, which is not a username; this export's "
            "format is one safesocial does not know, or the file was altered"
        )
    return "@" + value.strip().lstrip("@")


def account_id(value: Any, where: str, what: str) -> str:
    """A numeric platform id, kept as text (X's ids are too big for some readers)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        raise ImportProblem(f"{where}: {what} is {short(value)}, not a numeric account id")
    return value


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def epoch_date(value: Any) -> str | None:
    """A Meta timestamp (seconds since 1970, 0 for 'not applicable') as YYYY-MM-DD."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(value, UTC).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def iso_date(value: Any, where: str, what: str) -> date:
    """An ISO 8601 time such as X's '2024-03-05T12:00:00.000Z', as its (UTC) date."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                try:
                    moment = moment.astimezone(UTC)
                except OverflowError:  # 0001-01-01T00:30+01:00 is before year 1 in UTC
                    raise ImportProblem(
                        f"{where}: {what} is {short(value)}, outside the dates an export can have"
                    ) from None
            return moment.date()
    raise ImportProblem(f"{where}: {what} is {short(value)}, not a date and time")


_NAME_DATE = re.compile(r"(?<!\d)(20\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_in_name(name: str) -> date | None:
    """The date in an export's file name (instagram-school-2024-03-05-xyz.zip)."""
    match = _NAME_DATE.search(name)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
