"""The one exception type users see.

Library code raises :class:`MlcorpusError` with a message written for a person
(what went wrong, with which file, and what to do).  The CLI turns it into a
one-line ``Error: ...`` and a non-zero exit instead of a traceback.
"""

from __future__ import annotations


class MlcorpusError(Exception):
    """A user-facing error: bad input, missing model, malformed file..."""

    exit_code = 1


class InputError(MlcorpusError):
    """The input file or data cannot be used (missing, empty, binary, malformed)."""

    exit_code = 2


class OutputError(MlcorpusError):
    """An output cannot be written (disk full, permission denied); names the file."""
