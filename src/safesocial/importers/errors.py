"""The one error an import raises on purpose: the CLI prints it and exits 2."""

from __future__ import annotations

from safesocial.errors import SafesocialError


class ImportProblem(SafesocialError):
    """The export or the file to merge into cannot be used as it is.

    The message names the file (the export, and the file inside it) and says what was
    expected, so the person can fetch the right export or fix the file.
    """
