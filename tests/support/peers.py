# SPDX-License-Identifier: Apache-2.0
"""Test peers (moto, fake-gcs-server, Azurite, nginx) started through their
tests/scripts/<peer>.sh, for pytest session fixtures of both suites."""

import contextlib
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
TIMEOUT_S = 60


@contextlib.contextmanager
def peer(script: str, pidfile_variable: str) -> Iterator[dict]:
    """Runs `<script> start`, yields its exports ({NAME: value}), then stops it.
    A failed start fails the test, naming the script and scripts/bootstrap."""
    path = SCRIPTS / script
    started = subprocess.run(
        [str(path), "start"], capture_output=True, text=True, timeout=TIMEOUT_S
    )
    if started.returncode != 0:
        pytest.fail(f"{path} start failed:\n{started.stderr}\nrun scripts/bootstrap")
    exports = {}
    for line in started.stdout.splitlines():
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            exports[name] = value.strip("'")
    try:
        yield exports
    finally:
        subprocess.run(
            [str(path), "stop", exports[pidfile_variable]], check=True, timeout=TIMEOUT_S
        )
