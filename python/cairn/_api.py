# SPDX-License-Identifier: Apache-2.0
"""cairn.Api: reads the registry without a run, as `wandb.Api()`: artifacts by
name and alias, a collection's versions, runs, and the lineage between them."""

from __future__ import annotations

import json
import os
from typing import Any

from . import _core, _state
from ._artifact import Artifact
from .errors import UsageError


class RunInfo:
    """A recorded run, read-only (W&B's public-API Run)."""

    def __init__(self, session: _core.Session, record: _core.RunRecord):
        self._session = session
        self._record = record

    @property
    def id(self) -> int:
        """The run's id in the registry."""
        return self._record.id

    @property
    def name(self) -> str:
        """The run's name."""
        return self._record.name

    @property
    def project(self) -> str:
        """The project the run belongs to."""
        return self._record.project

    @property
    def job_type(self) -> str:
        """The job type given to init(), or ""."""
        return self._record.job_type

    @property
    def config(self) -> dict[str, Any]:
        """The config dict given to init() ({} when none)."""
        return json.loads(self._record.config_json or "{}")

    @property
    def status(self) -> str:
        """"running", "finished" or "failed"."""
        return self._record.status

    @property
    def exit_code(self) -> int | None:
        """The exit code the run finished with; None while it runs."""
        return self._record.exit_code

    @property
    def started_at(self) -> str:
        """RFC 3339 UTC."""
        return self._record.started_at

    @property
    def finished_at(self) -> str | None:
        """RFC 3339 UTC; None while the run runs."""
        return self._record.finished_at or None

    def used_artifacts(self) -> list[Artifact]:
        """The versions this run used, as logged artifacts."""
        return [self._artifact(record) for record in self._edges().inputs]

    def logged_artifacts(self) -> list[Artifact]:
        """The versions this run logged, as logged artifacts."""
        return [self._artifact(record) for record in self._edges().outputs]

    def _edges(self) -> _core.RunEdges:
        return self._session.run_edges(self._record.id)

    def _artifact(self, record: _core.VersionRecord) -> Artifact:
        manifest = self._session.load_manifest(record.id)
        return Artifact._logged(self._session, _core.Version(record, manifest))

    def __repr__(self) -> str:
        return f"<cairn.RunInfo {self.id} {self.name!r} {self.status}>"


class Api:
    """Reads a cairn home: `Api(project=None, dir=None)`, with the same defaults
    as cairn.init()."""

    def __init__(self, project: str | None = None,
                 dir: str | os.PathLike[str] | None = None):
        self._session = _state.open_session(dir, project)

    @property
    def project(self) -> str:
        """The project used when a call names none."""
        return self._session.project

    def artifact(self, name: str, type: str | None = None) -> Artifact:
        """The version "name", "name:vN", "name:alias" or "project/name:alias"
        ("latest" when no version is given). NotFoundError naming what exists."""
        artifact = Artifact._logged(self._session, self._session.get(name))
        if type is not None and artifact.type != type:
            raise UsageError(
                f"artifact {artifact.name} has type {artifact.type!r}, not {type!r}")
        return artifact

    def artifact_versions(self, name: str) -> list[Artifact]:
        """Every version of the collection "name" or "project/name", oldest first."""
        project, _, collection = name.rpartition("/")
        project = project or self._session.project
        if ":" in collection or "/" in project:
            raise UsageError(
                f"artifact_versions({name!r}): expected a collection name such as "
                "'mnist' or 'vision/mnist', without a version")
        return [self._version(record)
                for record in self._session.list_versions(project, collection)]

    def _version(self, record: _core.VersionRecord) -> Artifact:
        manifest = self._session.load_manifest(record.id)
        return Artifact._logged(self._session, _core.Version(record, manifest))

    def artifacts(self, type_name: str, name: str) -> list[Artifact]:
        """W&B's form: the versions of `name` whose type is `type_name`."""
        return [a for a in self.artifact_versions(name) if a.type == type_name]

    def artifact_collections(self, project: str | None = None) -> list[str]:
        """Collection names of the project, sorted."""
        return self._session.list_collections(project or self._session.project)

    def runs(self, project: str | None = None) -> list[RunInfo]:
        """Runs of the project, newest first."""
        records = self._session.list_runs(project or self._session.project)
        return [RunInfo(self._session, record) for record in records]

    def run(self, run_id: int) -> RunInfo:
        """The run with this id."""
        return RunInfo(self._session, self._session.run_edges(run_id).run)
