# SPDX-License-Identifier: Apache-2.0
"""cairn's exceptions: one class per kind of failure, each also deriving from the
closest builtin, so `except ValueError` or `except LookupError` work as expected.

The message is the C++ Status message, the same text the `cairn` command prints
after "cairn: error: ". `_BY_CODE` is the one table from status code to class; it
follows cli/exit_codes.cc, so `error.exit_code` is the command's exit status for
the same failure.
"""

from __future__ import annotations


class Error(Exception):
    """Base of every cairn error. `code` names the C++ status code ("not_found");
    `exit_code` is what the `cairn` command exits with for the same failure."""

    code = "internal"
    exit_code = 10


class UsageError(Error, ValueError):
    """Bad input: a malformed URI, name, alias, spec or option (exit status 2)."""

    exit_code = 2


class NotFoundError(Error, LookupError):
    """An artifact, version, alias, entry or object does not exist (exit status 3)."""

    exit_code = 3


class DataChangedError(Error, RuntimeError):
    """The data behind a reference changed or does not match its digest (exit 4).

    A failed download names the entries in the message only, the first ten and then
    "and N more"; no attribute lists them. artifact.verify() returns every changed
    and missing entry."""

    exit_code = 4


class CredentialsError(Error, PermissionError):
    """Credentials are missing, invalid or not allowed to do this (exit status 5)."""

    exit_code = 5


class LimitError(Error, ValueError):
    """A limit was hit, such as more objects than max_objects (exit status 6)."""

    exit_code = 6


class NetworkError(Error, ConnectionError):
    """A network failure, throttling or timeout, after retries (exit status 7)."""

    exit_code = 7


class ConflictError(Error, RuntimeError):
    """A name is taken, or another writer won a race (exit status 8)."""

    exit_code = 8


class UnimplementedError(Error, NotImplementedError):
    """Not available in this build, such as a storage backend (exit status 9)."""

    exit_code = 9


class InternalError(Error, RuntimeError):
    """A bug in cairn (exit status 10)."""

    exit_code = 10


_BY_CODE: dict[str, type[Error]] = {
    "invalid_argument": UsageError,
    "not_found": NotFoundError,
    "failed_precondition": DataChangedError,
    "data_loss": DataChangedError,
    "unauthenticated": CredentialsError,
    "permission_denied": CredentialsError,
    "resource_exhausted": LimitError,
    "unavailable": NetworkError,
    "deadline_exceeded": NetworkError,
    "already_exists": ConflictError,
    "aborted": ConflictError,
    "unimplemented": UnimplementedError,
    "internal": InternalError,
}


def from_status(code: str, message: str) -> Error:
    """The exception for a failed C++ Status; the extension module calls this."""
    error = _BY_CODE.get(code, InternalError)(message)
    error.code = code
    return error
