# SPDX-License-Identifier: Apache-2.0
"""Fixtures for the tests of the Python package `cairn` (the installed one: run
them with an interpreter that has it, see scripts/test).

Every test runs in a fresh CAIRN_HOME and working directory, with no AWS or cairn
settings of the machine; S3 and GCS requests go to a closed loopback port unless the test
takes the `s3` fixture, which points them at moto (one server per session, started
by the e2e suite's fixture on a free 127.0.0.1 port) with dummy credentials.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import sys
from pathlib import Path

import pytest

from cairn import _state

ROOT = Path(__file__).resolve().parents[2]
# Helpers shared with tests/e2e, such as azure_blob.
if str(ROOT / "tests/support") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests/support"))

# The e2e suite's moto fixture and boto3 helper, loaded under their own name so the
# two conftest modules do not clash.
_spec = importlib.util.spec_from_file_location("cairn_e2e_conftest",
                                               ROOT / "tests/e2e/conftest.py")
_e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_e2e)
moto_endpoint = _e2e.moto_endpoint
S3 = _e2e.S3

CLOSED_LOOPBACK_ENDPOINT = "http://127.0.0.1:9"


@dataclasses.dataclass
class Env:
    home: Path
    work: Path


@pytest.fixture(autouse=True)
def env(tmp_path, monkeypatch) -> Env:
    for key in list(os.environ):
        if key.startswith(("AWS_", "CAIRN_", "GOOGLE_", "STORAGE_EMULATOR", "AZURE_")):
            monkeypatch.delenv(key)
    home = tmp_path / "cairn-home"
    work = tmp_path / "work"
    user_home = tmp_path / "user-home"
    work.mkdir()
    user_home.mkdir()
    monkeypatch.setenv("HOME", str(user_home))
    monkeypatch.setenv("CAIRN_HOME", str(home))
    monkeypatch.setenv("CAIRN_PROJECT", "vision")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(user_home / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(user_home / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # Any store a test reaches by mistake is a closed port on loopback, never a
    # real cloud host.
    monkeypatch.setenv("AWS_ENDPOINT_URL", CLOSED_LOOPBACK_ENDPOINT)
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", CLOSED_LOOPBACK_ENDPOINT)
    monkeypatch.chdir(work)
    yield Env(home, work)
    _state.current_run = None


@pytest.fixture
def s3(moto_endpoint, monkeypatch) -> S3:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", _e2e.MOTO_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", _e2e.MOTO_SECRET)
    monkeypatch.setenv("AWS_REGION", _e2e.MOTO_REGION)
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", moto_endpoint)
    return S3(moto_endpoint)
