# SPDX-License-Identifier: Apache-2.0
"""Credentials are read once per session, when it first opens a bucket, and kept
(add_reference's and init()'s docstrings say so): changed AWS_* variables reach
the next cairn.init(), not the run already open. On moto (loopback)."""

from __future__ import annotations

import pytest

import cairn


def test_changed_credentials_reach_the_next_run_not_the_open_one(s3, monkeypatch):
    bucket = s3.bucket()
    s3.put(bucket, "a.bin", b"a")
    s3.put(bucket, "b.bin", b"b")

    with cairn.init() as run:
        first = cairn.Artifact("first", "dataset")
        first.add_reference(f"s3://{bucket}/a.bin")
        monkeypatch.delenv("AWS_ACCESS_KEY_ID")
        monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
        # Same run, same session: the bucket's store keeps the credentials it read.
        first.add_reference(f"s3://{bucket}/b.bin")
        run.log_artifact(first)

    with cairn.init():
        with pytest.raises(cairn.CredentialsError, match="no AWS credentials were found"):
            cairn.Artifact("second", "dataset").add_reference(f"s3://{bucket}/a.bin")

    assert [e.path for e in first.files()] == ["a.bin", "b.bin"]
