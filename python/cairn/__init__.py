# SPDX-License-Identifier: Apache-2.0
"""cairn: versioned snapshots of references to data in object stores and folders,
with W&B's reference-artifact API.

    import cairn

    with cairn.init(project="vision", job_type="train") as run:
        dataset = cairn.Artifact("mnist", type="dataset")
        dataset.add_reference("s3://my-bucket/datasets/mnist/")
        run.log_artifact(dataset)
        root = run.use_artifact("mnist:latest").download()
"""

from __future__ import annotations

from typing import Any

from . import _state
from ._api import Api, RunInfo
from ._artifact import Artifact, ArtifactManifest, ArtifactManifestEntry, VerifyReport
from ._run import Run, finish, init
from .errors import (
    ConflictError,
    CredentialsError,
    DataChangedError,
    Error,
    InternalError,
    LimitError,
    NetworkError,
    NotFoundError,
    UnimplementedError,
    UsageError,
)

__version__ = "0.1.0"

__all__ = [
    "Api",
    "Artifact",
    "ArtifactManifest",
    "ArtifactManifestEntry",
    "ConflictError",
    "CredentialsError",
    "DataChangedError",
    "Error",
    "InternalError",
    "LimitError",
    "NetworkError",
    "NotFoundError",
    "Run",
    "RunInfo",
    "UnimplementedError",
    "UsageError",
    "VerifyReport",
    "finish",
    "init",
    "run",
]

run: Run | None


def __getattr__(name: str) -> Any:
    # `cairn.run` is the current run, as `wandb.run` is: None outside init/finish.
    if name == "run":
        return _state.current_run
    raise AttributeError(f"module 'cairn' has no attribute {name!r}")
