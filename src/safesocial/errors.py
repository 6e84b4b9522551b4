"""The one family of errors safesocial raises on purpose; the CLI maps them to exit codes."""

from __future__ import annotations

from safesocial.findings import Location


class SafesocialError(Exception):
    """Bad input or usage that stops a command: the CLI prints it and exits 2."""


class RulePackError(SafesocialError):
    """A rule pack is malformed. Never skipped silently: a broken rule stops the run."""


class UsageError(SafesocialError):
    """The command line asks for something that cannot be done."""


class ImportProblem(SafesocialError):
    """An export, or the file an import merges into, cannot be used as it is.

    The message names the file (the export, and the file inside it) and says what was
    expected, so the person can fetch the right export or fix the file.
    """


class InputProblem(Exception):
    """One file cannot be read as written. Caught per file and turned into an input finding,
    so that one broken file never stops the others from being checked."""

    def __init__(self, location: Location, message: str, code: str = "IN001") -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message
        # IN001 unreadable (syntax, encoding, unsafe YAML), IN002 does not match its
        # schema, IN003 a required file is missing; see INPUT_CODES in findings.py.
        self.code = code


def raised_at(exc: BaseException) -> str:
    """The innermost line of safesocial's own code an exception passed through
    (`safesocial/compiled_schema.py:85`): where it went wrong, without its text, which could
    quote input."""
    found = "safesocial"
    trace = exc.__traceback__
    while trace is not None:
        code = trace.tb_frame.f_code.co_filename.replace("\\", "/")
        if "/safesocial/" in code:
            found = f"safesocial/{code.rsplit('/safesocial/', 1)[1]}:{trace.tb_lineno}"
        trace = trace.tb_next
    return found
