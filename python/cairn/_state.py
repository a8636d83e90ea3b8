# SPDX-License-Identifier: Apache-2.0
"""Process-wide state: the current run (as `wandb.run` is), and how sessions open."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from . import _core

if TYPE_CHECKING:
    from ._run import Run

current_run: Run | None = None


def open_session(home: str | os.PathLike[str] | None = None,
                 project: str | None = None) -> _core.Session:
    """A session on `home` (default $CAIRN_HOME, else ~/.cairn) and `project`
    (default $CAIRN_PROJECT, else "default"). Each call opens its own: the
    environment is read now, so a changed CAIRN_HOME is followed."""
    return _core.Session.open(home=os.fspath(home) if home is not None else "",
                              project=project or "")


def draft_session() -> _core.Session:
    """The session a draft resolves references with: the current run's, else one on
    the default home. Only its home matters here (checksum cache, store pool)."""
    run = current_run
    if run is not None:
        return run._session
    return open_session()
