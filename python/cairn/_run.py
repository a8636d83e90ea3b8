# SPDX-License-Identifier: Apache-2.0
"""cairn.init() and Run: one execution, with the artifact versions it used
(inputs) and logged (outputs), as `wandb.init()` and its Run."""

from __future__ import annotations

import atexit
import json
import os
import sys
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from . import _core, _state
from ._artifact import Artifact
from .errors import Error, UsageError


class Run:
    """A run in progress. Use it as a context manager, or call finish()."""

    def __init__(self, session: _core.Session, run: _core.Run):
        self._session = session
        self._run = run
        self._finished = False
        # The process that started the run is the one that finishes it at exit; a
        # child made by os.fork() leaves it alone.
        self._pid = os.getpid()

    @property
    def id(self) -> int:
        """The run's id in the registry."""
        return self._run.record.id

    @property
    def name(self) -> str:
        """The run's name (generated when init() was given none)."""
        return self._run.record.name

    @property
    def project(self) -> str:
        """The project the run belongs to."""
        return self._run.record.project

    @property
    def job_type(self) -> str:
        """The job type given to init(), or ""."""
        return self._run.record.job_type

    @property
    def config(self) -> dict[str, Any]:
        """The config dict given to init() ({} when none)."""
        return json.loads(self._run.record.config_json or "{}")

    @property
    def status(self) -> str:
        """"running", "finished" or "failed"."""
        return self._run.record.status

    def log_artifact(self, artifact: Artifact,
                     aliases: list[str] | None = None) -> Artifact:
        """Logs the artifact as this run's output and returns it, now logged. The
        same content as an existing version makes no new version: that version is
        returned (and recorded as this run's output). "latest" always moves to the
        newest version; `aliases` point at this one."""
        if not isinstance(artifact, Artifact):
            raise UsageError(
                "log_artifact takes a cairn.Artifact; build one with "
                "cairn.Artifact(name, type) and add_reference(uri)")
        _check_entries(artifact)
        logged = self._run.log_artifact(artifact._draft, list(aliases or []))
        version = _core.Version(logged.version,
                                self._session.load_manifest(logged.version.id))
        artifact._bind(self._session, version)
        return artifact

    def use_artifact(self, artifact_or_name: Artifact | str,
                     type: str | None = None) -> Artifact:
        """Records a version as this run's input and returns it. A string is
        "name", "name:vN", "name:alias" or "project/name:alias"; a draft Artifact
        is logged first if its content is new (one call, as in W&B). `type`, when
        given, must match the version's type."""
        if isinstance(artifact_or_name, Artifact):
            artifact = artifact_or_name
            if artifact.is_draft():
                _check_entries(artifact)
                _check_type(artifact.type, artifact._draft.name, type)
                artifact._bind(self._session, self._run.use_draft(artifact._draft))
                return artifact
            spec = artifact.qualified_name
        elif isinstance(artifact_or_name, str):
            spec = artifact_or_name
        else:
            raise UsageError(
                "use_artifact takes an artifact name such as 'mnist:latest' or a "
                f"cairn.Artifact, not {artifact_or_name.__class__.__name__}")
        if type is not None:
            found = self._session.get(spec)
            _check_type(found.record.type, found.record.label, type)
        return Artifact._logged(self._session, self._run.use_spec(spec))

    def finish(self, exit_code: int | None = None) -> None:
        """Marks the run finished (exit_code None or 0) or failed (anything else).
        A second call does nothing."""
        if self._finished:
            return
        self._run.finish(0 if exit_code is None else exit_code)
        self._finished = True
        if self in _open_runs:
            _open_runs.remove(self)
        if _state.current_run is self:
            _state.current_run = None

    def __enter__(self) -> Run:
        return self

    def __exit__(self, exc_type: type[BaseException] | None,
                 exc: BaseException | None, traceback: TracebackType | None) -> None:
        # A block that raised records a failed run; the exception propagates.
        self.finish(0 if exc_type is None else 1)

    def __repr__(self) -> str:
        return f"<cairn.Run {self.id} {self.name!r} {self.status}>"


def init(project: str | None = None, name: str | None = None,
         config: Mapping[str, Any] | None = None, job_type: str | None = None,
         dir: str | os.PathLike[str] | None = None) -> Run:
    """Starts a run, as `wandb.init()`. `project` defaults to $CAIRN_PROJECT, else
    "default"; `dir` is the cairn home holding the registry and cache (default
    $CAIRN_HOME, else ~/.cairn); `config` is a JSON-serialisable dict recorded with
    the run. The run becomes `cairn.run` until it finishes.

    A run still open when the interpreter exits is finished then, as in W&B:
    failed (exit code 1) when an uncaught exception ends the program, else finished
    (0); a program ended by sys.exit(N) counts as finished whatever N is. The
    exception is noticed through sys.excepthook, so a hook set after init() that
    does not call the one it replaces hides it, and the run counts as finished.

    Each run has its own session, which reads store credentials (AWS_*, GOOGLE_*,
    AZURE_* variables and the files they name) once, when it first opens a bucket
    or container, and keeps them: to pick up changed credentials, finish the run
    and call cairn.init() again, or start a new process."""
    config_json = _config_json(config)
    session = _state.open_session(dir, project)
    run = Run(session, session.start_run(name or "", job_type or "", config_json))
    _watch_exit()
    _open_runs.append(run)
    _state.current_run = run
    return run


def finish(exit_code: int | None = None) -> None:
    """Finishes `cairn.run`, if any."""
    if _state.current_run is not None:
        _state.current_run.finish(exit_code)


def _check_entries(artifact: Artifact) -> None:
    # The registry would keep an empty version. from_wandb_manifest refuses an empty
    # manifest and `cairn track` needs a URI that exists; a draft does the same.
    if len(artifact._draft.manifest) == 0:
        raise UsageError(
            f"artifact {artifact._draft.name} has no entries; add_reference first")


# Runs started in this process and not finished yet, oldest first.
_open_runs: list[Run] = []
_exit_watched = False
_uncaught_exception = False


def _watch_exit() -> None:
    """On the first init(): finish open runs at exit, and note an uncaught
    exception on the way there by wrapping sys.excepthook (the hook found now is
    still called)."""
    global _exit_watched
    if _exit_watched:
        return
    _exit_watched = True
    previous = sys.excepthook

    def excepthook(exc_type: type[BaseException], exc: BaseException,
                   traceback: TracebackType | None) -> None:
        global _uncaught_exception
        _uncaught_exception = True
        previous(exc_type, exc, traceback)

    sys.excepthook = excepthook
    atexit.register(_finish_open_runs)


def _finish_open_runs() -> None:
    exit_code = 1 if _uncaught_exception else 0
    for run in list(_open_runs):
        if run._pid != os.getpid():
            continue
        try:
            run.finish(exit_code)
        except Error as error:
            print(f"cairn: could not finish run {run.id} at exit: {error}",
                  file=sys.stderr)


def _check_type(actual: str, label: str, expected: str | None) -> None:
    if expected is not None and expected != actual:
        raise UsageError(f"artifact {label} has type {actual!r}, not {expected!r}")


def _config_json(config: Mapping[str, Any] | None) -> str:
    if config is None:
        return "{}"
    if not isinstance(config, Mapping):
        raise UsageError(f"config must be a dict, not {type(config).__name__}")
    try:
        return json.dumps(dict(config), sort_keys=True)
    except (TypeError, ValueError) as error:
        raise UsageError(f"config is not JSON-serialisable: {error}") from None
