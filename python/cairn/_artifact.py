# SPDX-License-Identifier: Apache-2.0
"""cairn.Artifact: a draft gathered from references, then a logged version.

As in W&B, one object is both: it starts as a draft (`add_reference`), and after
`run.log_artifact(artifact)` or `run.use_artifact(artifact)` it is the logged
version (`version`, `aliases`, `download()`), and can no longer change.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import _core, _state
from .errors import NotFoundError, UnimplementedError, UsageError

if TYPE_CHECKING:
    from ._api import RunInfo

ArtifactManifestEntry = _core.Entry
VerifyReport = _core.VerifyReport

DEFAULT_MAX_OBJECTS = 10000

_REFERENCES_ONLY = (
    "cairn versions references and stores no bytes of its own: reference the data "
    "where it lives with artifact.add_reference('file:///abs/path') or "
    "add_reference('s3://bucket/prefix/') after uploading it to your store"
)


class ArtifactManifest:
    """The entries of an artifact, by path (W&B's `artifact.manifest`)."""

    def __init__(self, manifest: _core.Manifest):
        self._manifest = manifest
        self._entries: dict[str, ArtifactManifestEntry] | None = None

    @property
    def entries(self) -> dict[str, ArtifactManifestEntry]:
        """Every entry, keyed by its path."""
        if self._entries is None:
            self._entries = {entry.path: entry for entry in self._manifest.entries}
        return self._entries

    def get_entry_by_path(self, path: str) -> ArtifactManifestEntry | None:
        """The entry at `path`, or None when there is none."""
        return self._manifest.find(path)

    def digest(self) -> str:
        """W&B's artifact digest: hex MD5 over the sorted `path:digest` lines."""
        return self._manifest.digest()

    def to_json(self) -> str:
        """W&B's version-1 manifest JSON."""
        return self._manifest.to_json()

    def __len__(self) -> int:
        return len(self._manifest)


class Artifact:
    """A reference artifact: `Artifact("mnist", type="dataset")`."""

    def __init__(self, name: str, type: str, description: str | None = None,
                 metadata: Mapping[str, Any] | None = None):
        # The registry's own rule and message, checked now rather than at logging.
        # An empty type is let through as the registry does.
        _core.validate_name("collection", name)
        if type:
            _core.validate_name("type", type)
        self._draft = _core.Draft(name, type, description or "",
                                  _metadata_json(metadata))
        self._draft_session: _core.Session | None = None
        self._session: _core.Session | None = None
        self._version: _core.Version | None = None

    @classmethod
    def _logged(cls, session: _core.Session, version: _core.Version) -> Artifact:
        record = version.record
        artifact = cls(record.name, record.type, record.description)
        artifact._bind(session, version)
        return artifact

    def _bind(self, session: _core.Session, version: _core.Version) -> None:
        self._session = session
        self._version = version

    @classmethod
    def from_wandb_manifest(cls, path: str | os.PathLike[str], name: str,
                            type: str = "dataset", description: str | None = None,
                            metadata: Mapping[str, Any] | None = None) -> Artifact:
        """A draft holding the references of a W&B manifest file (wandb's
        wandb_manifest.json, or `artifact.manifest.to_manifest_json()` saved as
        JSON). Entries are taken as recorded, not re-read; `verify()` after
        logging checks them. UsageError for an entry cairn cannot follow (a file
        stored in W&B itself) or a manifest without entries."""
        entries = _core.read_wandb_manifest_file(os.fspath(path))
        if len(entries) == 0:
            raise UsageError(f"W&B manifest {os.fspath(path)} has no entries; "
                             "there is nothing to import")
        artifact = cls(name, type, description, metadata)
        artifact._draft.add_entries(entries)
        return artifact

    def to_wandb_manifest(self, path: str | os.PathLike[str]) -> None:
        """Writes this artifact's entries as a W&B manifest file (version 1) that
        wandb reads; the file appears whole or not at all."""
        _core.write_wandb_manifest_file(self._core_manifest(), os.fspath(path))

    # Drafting.

    def add_reference(self, uri: str | os.PathLike[str], name: str | None = None,
                      checksum: bool = True,
                      max_objects: int | None = None) -> list[ArtifactManifestEntry]:
        """Adds the object or every object under the prefix `uri` names, and returns
        the entries added. A prefix matches whole path segments only; more objects
        than `max_objects` (default 10000) raises LimitError saying how many were
        found. `name` is the entry path of one object, or the folder a prefix goes
        under. checksum=False records the URI alone.

        Credentials (AWS_*, GOOGLE_*, AZURE_* variables and the files they name) are
        read when a session first opens a bucket or container, and kept for that
        session: inside a run every call uses the run's session, and a draft made
        outside a run keeps the one of its first add_reference. To pick up changed
        credentials, finish the run and call cairn.init() again, or start a new
        process."""
        self._check_draft("add_reference")
        if self._draft_session is None:
            self._draft_session = _state.draft_session()
        limit = DEFAULT_MAX_OBJECTS if max_objects is None else max_objects
        return self._draft.add_reference(self._draft_session, os.fspath(uri),
                                         name or "", checksum, limit)

    def add_file(self, local_path: str, name: str | None = None, **_: Any) -> None:
        """Not supported: cairn stores no files. Raises UnimplementedError."""
        raise UnimplementedError(f"add_file({local_path!r}): {_REFERENCES_ONLY}")

    def add_dir(self, local_path: str, name: str | None = None, **_: Any) -> None:
        """Not supported: cairn stores no files. Raises UnimplementedError."""
        raise UnimplementedError(f"add_dir({local_path!r}): {_REFERENCES_ONLY}")

    def new_file(self, name: str, mode: str = "x", encoding: str | None = None) -> None:
        """Not supported: cairn stores no files. Raises UnimplementedError."""
        raise UnimplementedError(f"new_file({name!r}): {_REFERENCES_ONLY}")

    def is_draft(self) -> bool:
        """True until the artifact is logged or used by a run."""
        return self._version is None

    # What drafts and logged versions both have.

    @property
    def name(self) -> str:
        """The collection name of a draft; "name:vN" once logged, as in W&B."""
        if self._version is None:
            return self._draft.name
        return self._version.record.label

    @property
    def type(self) -> str:
        """The artifact type, such as "dataset" or "model"."""
        return self._draft.type if self._version is None else self._version.record.type

    @property
    def description(self) -> str | None:
        """The free-text description, or None."""
        text = (self._draft.description if self._version is None
                else self._version.record.description)
        return text or None

    @property
    def metadata(self) -> dict[str, Any]:
        """The metadata dict given at creation ({} when none)."""
        text = (self._draft.metadata_json if self._version is None
                else self._version.record.metadata_json)
        return json.loads(text or "{}")

    @property
    def manifest(self) -> ArtifactManifest:
        """The entries as W&B's ArtifactManifest (`manifest.entries` by path)."""
        return ArtifactManifest(self._core_manifest())

    @property
    def digest(self) -> str:
        """W&B's artifact digest: hex MD5 over the sorted `path:digest` lines."""
        return self._core_manifest().digest()

    @property
    def size(self) -> int:
        """Total bytes of all entries."""
        return self._core_manifest().total_bytes

    def files(self) -> list[ArtifactManifestEntry]:
        """Every entry, sorted by path."""
        return self._core_manifest().entries

    @property
    def entries(self) -> list[ArtifactManifestEntry]:
        """Every entry, sorted by path (the same list as files())."""
        return self.files()

    def get_entry(self, path: str) -> ArtifactManifestEntry:
        """The entry at `path`; NotFoundError (a LookupError) when there is none."""
        entry = self._core_manifest().find(path)
        if entry is None:
            raise NotFoundError(f"artifact {self.name} has no entry {path!r}")
        return entry

    # Logged versions only.

    @property
    def id(self) -> int:
        """The version's id in the registry; a draft raises UsageError."""
        return self._logged_version("id").record.id

    @property
    def version(self) -> str:
        """"vN"."""
        return f"v{self._logged_version('version').record.index}"

    @property
    def aliases(self) -> list[str]:
        """Aliases of this version, sorted; "latest" while it is the newest."""
        if self._version is None:
            return []
        return list(self._version.record.aliases)

    @property
    def project(self) -> str:
        """The project the version was logged in."""
        return self._logged_version("project").record.project

    @property
    def qualified_name(self) -> str:
        """"project/name:vN"."""
        record = self._logged_version("qualified_name").record
        return f"{record.project}/{record.label}"

    @property
    def source_name(self) -> str:
        """"name:vN", without the project."""
        return self._logged_version("source_name").record.label

    @property
    def file_count(self) -> int:
        """The number of entries."""
        return len(self._core_manifest())

    @property
    def created_at(self) -> str:
        """RFC 3339 UTC."""
        return self._logged_version("created_at").record.created_at

    def download(self, root: str | os.PathLike[str] | None = None,
                 path_prefix: str | None = None,
                 allow_missing_references: bool = False) -> str:
        """Downloads every entry (or those under `path_prefix`, in whole path
        segments) at its recorded pin into `root` (default ./artifacts/name:vN),
        checks each against its size and digest, and returns the root's absolute
        path. All or nothing: on failure the root is left as it was. Data changed
        with no pin to fall back on raises DataChangedError naming the entries.
        allow_missing_references=True leaves out entries whose reference is gone."""
        version = self._logged_version("download")
        assert self._session is not None
        return version.download(self._session,
                                os.fspath(root) if root is not None else "",
                                path_prefix or "", allow_missing_references)

    def verify(self, root: str | os.PathLike[str] | None = None) -> VerifyReport:
        """Without `root`, re-checks every reference against its store as `cairn
        verify` does; with `root`, checks a downloaded copy there instead (size,
        and MD5 where one is known). Returns the report (`ok`, `unchanged`,
        `changed`, `missing`) rather than raising on drift."""
        version = self._logged_version("verify")
        assert self._session is not None
        if root is None:
            return version.verify(self._session)
        return version.verify_files(os.fspath(root))

    def used_by(self) -> list[RunInfo]:
        """Runs that used this version."""
        from ._api import RunInfo

        version = self._logged_version("used_by")
        assert self._session is not None
        runs = self._session.runs_consuming(version.record.id)
        return [RunInfo(self._session, record) for record in runs]

    def logged_by(self) -> RunInfo | None:
        """The run that logged this version first, or None when none did."""
        from ._api import RunInfo

        version = self._logged_version("logged_by")
        assert self._session is not None
        runs = self._session.runs_producing(version.record.id)
        return RunInfo(self._session, runs[0]) if runs else None

    def __repr__(self) -> str:
        state = "draft" if self._version is None else "logged"
        return f"<cairn.Artifact {self.name} type={self.type} {state}>"

    # Helpers.

    def _core_manifest(self) -> _core.Manifest:
        if self._version is None:
            return self._draft.manifest
        return self._version.manifest

    def _check_draft(self, call: str) -> None:
        if self._version is not None:
            raise UsageError(
                f"{call}: artifact {self.name} is logged and cannot change; "
                f"create a new cairn.Artifact({self._draft.name!r}, ...) for the next "
                "version")

    def _logged_version(self, what: str) -> _core.Version:
        if self._version is None:
            raise UsageError(
                f"{what}: artifact {self._draft.name} is a draft; log it first with "
                "run.log_artifact(artifact) or run.use_artifact(artifact)")
        return self._version


def _metadata_json(metadata: Mapping[str, Any] | None) -> str:
    if metadata is None:
        return "{}"
    if not isinstance(metadata, Mapping):
        raise UsageError(f"metadata must be a dict, not {type(metadata).__name__}")
    try:
        return json.dumps(dict(metadata), sort_keys=True)
    except (TypeError, ValueError) as error:
        raise UsageError(f"metadata is not JSON-serialisable: {error}") from None
