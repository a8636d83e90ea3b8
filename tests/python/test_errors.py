# SPDX-License-Identifier: Apache-2.0
"""Each cairn.Error class, raised by a real failing call, derives from the closest
builtin and carries the C++ Status message (the text the CLI prints) and the
CLI's exit status for the same failure."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import cairn
from helpers import write_tree

ROOT = Path(__file__).resolve().parents[2]
# Read at import: the env fixture clears every CAIRN_ variable for the tests.
CAIRN_BIN = Path(os.environ.get("CAIRN_BIN") or ROOT / "build/default/cli/cairn")


def raised_by(call) -> cairn.Error:
    with pytest.raises(cairn.Error) as raised:
        call()
    return raised.value


def test_a_bad_uri_is_a_usage_error_and_a_value_error():
    error = raised_by(lambda: cairn.Artifact("d", "dataset").add_reference("s3://"))

    assert type(error) is cairn.UsageError
    assert isinstance(error, ValueError)
    assert (error.code, error.exit_code) == ("invalid_argument", 2)
    assert str(error) == 'invalid URI "s3://": no bucket or host after "s3://"; ' \
        "write s3://bucket/key"


def test_an_unknown_scheme_names_the_supported_ones():
    error = raised_by(lambda: cairn.Artifact("d", "dataset").add_reference("ftp://h/k"))

    assert type(error) is cairn.UsageError
    assert str(error) == 'opening ftp://h/k: unknown scheme "ftp"; ' \
        "cairn reads file, s3, gs, az, http, https"


def test_a_malformed_spec_is_a_usage_error():
    error = raised_by(lambda: cairn.Api().artifact("a:b:c"))

    assert type(error) is cairn.UsageError
    assert str(error) == 'artifact spec "a:b:c" is malformed: expected name, name:vN, ' \
        "name:alias or project/name:alias"


def test_an_unknown_artifact_is_a_lookup_error():
    error = raised_by(lambda: cairn.Api().artifact("nothing:v0"))

    assert type(error) is cairn.NotFoundError
    assert isinstance(error, LookupError)
    assert (error.code, error.exit_code) == ("not_found", 3)
    assert str(error) == "collection vision/nothing not found: " \
        "project vision has no collections"


def test_an_unknown_version_names_what_exists(tmp_path):
    with cairn.init() as run:
        draft = cairn.Artifact("d", "dataset")
        draft.add_reference(write_tree(tmp_path / "d", {"a": b"a"}))
        run.log_artifact(draft)

    error = raised_by(lambda: cairn.Api().artifact("d:v9"))

    assert type(error) is cairn.NotFoundError
    assert str(error) == "vision/d:v9 not found: collection vision/d has v0; " \
        "aliases: latest"


def test_a_missing_path_is_a_lookup_error(tmp_path):
    missing = tmp_path / "nowhere"

    error = raised_by(lambda: cairn.Artifact("d", "dataset").add_reference(missing))

    assert type(error) is cairn.NotFoundError
    assert str(error) == f"no object or prefix at {missing.as_uri()}"


def test_too_many_objects_is_a_limit_error_and_a_value_error(tmp_path):
    folder = write_tree(tmp_path / "d", {"a": b"a", "b": b"b", "c": b"c"})
    draft = cairn.Artifact("d", "dataset")

    error = raised_by(lambda: draft.add_reference(folder, max_objects=2))

    assert type(error) is cairn.LimitError
    assert isinstance(error, ValueError)
    assert (error.code, error.exit_code) == ("resource_exhausted", 6)
    assert str(error) == f"found more than 2 objects under {folder.as_uri()}/; " \
        "raise the limit with max_objects=3 (CLI: --max-objects 3)"
    assert draft.files() == []


def test_refused_credentials_are_a_permission_error(s3, monkeypatch):
    bucket = s3.bucket()
    s3.put(bucket, "k.bin", b"x")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")

    error = raised_by(
        lambda: cairn.Artifact("d", "dataset").add_reference(f"s3://{bucket}/k.bin"))

    assert isinstance(error, cairn.CredentialsError)
    assert isinstance(error, PermissionError)
    assert error.exit_code == 5
    assert f"s3://{bucket}/k.bin" in str(error)
    assert "no AWS credentials were found" in str(error)


def test_an_unreachable_store_is_a_network_error():
    # The env fixture points S3 at a closed port on loopback.
    error = raised_by(
        lambda: cairn.Artifact("d", "dataset").add_reference("s3://bucket/key"))

    assert type(error) is cairn.NetworkError
    assert isinstance(error, ConnectionError)
    assert (error.code, error.exit_code) == ("unavailable", 7)
    assert str(error).startswith("adding reference s3://bucket/key: stating "
                                 "s3://bucket/key: HEAD http://127.0.0.1:9/bucket/key: ")
    assert str(error).endswith("(after 5 attempts)")


def test_a_colliding_entry_path_is_a_conflict(tmp_path):
    first = write_tree(tmp_path / "one", {"a.txt": b"one"})
    second = write_tree(tmp_path / "two", {"a.txt": b"two"})
    draft = cairn.Artifact("d", "dataset")
    draft.add_reference(first)

    error = raised_by(lambda: draft.add_reference(second))

    assert type(error) is cairn.ConflictError
    assert error.exit_code == 8
    assert str(error) == f'manifest path "a.txt" is already used by ' \
        f"{(first / 'a.txt').as_uri()}; give one of them a different name"
    assert [e.path for e in draft.files()] == ["a.txt"]


def test_add_file_and_add_dir_say_cairn_tracks_references_only(tmp_path):
    draft = cairn.Artifact("d", "dataset")

    for call in (draft.add_file, draft.add_dir):
        error = raised_by(lambda: call(str(tmp_path)))
        assert type(error) is cairn.UnimplementedError
        assert isinstance(error, NotImplementedError)
        assert "cairn versions references and stores no bytes of its own" in str(error)
        assert "add_reference('file:///abs/path')" in str(error)


def test_a_bad_artifact_name_or_type_is_refused_when_the_artifact_is_made(tmp_path):
    data = write_tree(tmp_path / "d", {"a": b"a"})
    allowed = "use 1 to 128 letters, digits, '.', '_' or '-' (no ':', '/' or spaces)"
    cases = {
        ("bad name/x", "dataset"): f'collection name "bad name/x" is invalid: {allowed}',
        ("d", "data set"): f'type name "data set" is invalid: {allowed}',
        ("", "dataset"): f'collection name "" is invalid: {allowed}',
    }

    for (name, type_name), message in cases.items():
        error = raised_by(lambda: cairn.Artifact(name, type=type_name))
        assert type(error) is cairn.UsageError
        assert str(error) == message
        # The same rule and words as the registry's, which the CLI reaches at logging.
        cli = subprocess.run(
            [str(CAIRN_BIN), "track", "--type", type_name, name, str(data)],
            capture_output=True, text=True, timeout=60, env=dict(os.environ))
        assert cli.returncode == 2
        assert cli.stderr == f"cairn: error: logging vision/{name}: {message}\n"

    assert cairn.Api().artifact_collections() == []


def test_an_empty_draft_is_refused_by_log_and_use(tmp_path):
    draft = cairn.Artifact("empty", "dataset")

    with cairn.init() as run:
        logged = raised_by(lambda: run.log_artifact(draft))
        used = raised_by(lambda: run.use_artifact(draft))

    for error in (logged, used):
        assert type(error) is cairn.UsageError
        assert str(error) == "artifact empty has no entries; add_reference first"
    assert draft.is_draft()
    assert cairn.Api().artifact_collections() == []
    assert cairn.Api().runs()[0].logged_artifacts() == []


def test_the_cli_prints_the_same_message_and_exits_with_the_same_status(env):
    assert CAIRN_BIN.is_file(), f"build the cairn command ({CAIRN_BIN}) or set CAIRN_BIN"
    cases = {
        "nothing:v0": lambda: cairn.Api().artifact("nothing:v0"),
        "a:b:c": lambda: cairn.Api().artifact("a:b:c"),
    }

    for spec, call in cases.items():
        error = raised_by(call)
        cli = subprocess.run([str(CAIRN_BIN), "show", spec], capture_output=True,
                             text=True, timeout=60, env=dict(os.environ))
        assert cli.stderr == f"cairn: error: {error}\n"
        assert cli.returncode == error.exit_code
