# SPDX-License-Identifier: Apache-2.0
"""S3 credentials: a clear error and exit 5 without them, and no secret in any
output even at the most verbose log levels."""

import pytest

from support import read_tree

SECRET_KEY = "e2eSecretKeyNeverPrinted0123456789abcdef"
SESSION_TOKEN = "e2eSessionTokenNeverPrinted987654321"


def without_aws_keys(env: dict) -> dict:
    return {
        k: v
        for k, v in env.items()
        if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
    }


def test_download_without_credentials_fails_with_exit_5_naming_the_fix(
    cairn, s3, tmp_path
):
    bucket = s3.bucket()
    s3.put_tree(bucket, "d/", {"a.txt": b"alpha"})
    cairn.ok("track", "ds", f"s3://{bucket}/d/")
    env = without_aws_keys(cairn.env)
    env["CAIRN_HOME"] = str(cairn.home)

    outcome = cairn.fails(5, "get", "ds", "--root", "out", env=env)

    assert f"s3://{bucket}/d/a.txt" in outcome.err
    assert "no AWS credentials were found" in outcome.err
    assert (
        "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE" in outcome.err
    )
    assert not (cairn.cwd / "out").exists()


def test_tracking_an_object_without_credentials_fails_with_exit_5(cairn, s3):
    bucket = s3.bucket()
    s3.put(bucket, "k.bin", b"x")

    outcome = cairn.fails(
        5, "track", "one", f"s3://{bucket}/k.bin", env=without_aws_keys(cairn.env)
    )

    assert f"s3://{bucket}/k.bin" in outcome.err
    assert "no AWS credentials were found" in outcome.err


def test_credentials_from_the_shared_credentials_file_and_profile_work(
    cairn, s3, tmp_path
):
    bucket = s3.bucket()
    s3.put(bucket, "k.bin", b"x")
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[e2e]\naws_access_key_id = testing\n" "aws_secret_access_key = testing\n"
    )
    env = without_aws_keys(cairn.env)
    env.update(AWS_SHARED_CREDENTIALS_FILE=str(credentials), AWS_PROFILE="e2e")

    cairn.ok("track", "one", f"s3://{bucket}/k.bin", env=env)
    cairn.ok("get", "one", "--root", "out", env=env)

    assert read_tree(cairn.cwd / "out") == {"k.bin": b"x"}


def test_unusable_credential_settings_exit_5_naming_the_setting(cairn, s3, tmp_path):
    bucket = s3.bucket()
    s3.put(bucket, "k.bin", b"x")
    no_profile = without_aws_keys(cairn.env)
    no_profile.update(
        AWS_PROFILE="nosuch",
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
        AWS_CONFIG_FILE=str(tmp_path / "none-either"),
    )
    key_only = without_aws_keys(cairn.env)
    key_only["AWS_ACCESS_KEY_ID"] = "testing"

    missing_profile = cairn.fails(
        5, "track", "one", f"s3://{bucket}/k.bin", env=no_profile
    )
    lonely_key = cairn.fails(5, "track", "one", f"s3://{bucket}/k.bin", env=key_only)

    assert 'AWS_PROFILE names profile "nosuch", which no file has' in missing_profile.err
    assert "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not" in lonely_key.err


@pytest.mark.parametrize("verbosity", ["-vv", "-vvv"])
def test_verbose_logs_of_a_signed_flow_hold_no_secret(cairn, s3, verbosity):
    bucket = s3.bucket()
    s3.put_tree(bucket, "d/", {"a.txt": b"alpha", "b.txt": b"beta"})
    cairn.env.update(AWS_SECRET_ACCESS_KEY=SECRET_KEY, AWS_SESSION_TOKEN=SESSION_TOKEN)

    outcomes = [
        cairn.ok(verbosity, "track", "ds", f"s3://{bucket}/d/"),
        cairn.ok(verbosity, "track", "one", f"s3://{bucket}/d/a.txt"),
        cairn.ok(verbosity, "get", "ds", "--root", "out"),
        cairn.ok(verbosity, "verify", "ds"),
    ]

    text = "".join(o.out + o.err for o in outcomes)
    # The capture holds the request log lines, so an absent secret means something.
    assert f"GET http://127.0.0.1:" in text
    assert "debug [cairn.net]" in text
    assert SECRET_KEY not in text
    assert SESSION_TOKEN not in text
    assert "Signature=" not in text
    assert "AWS4-HMAC-SHA256 Credential" not in text
    assert read_tree(cairn.cwd / "out") == {"a.txt": b"alpha", "b.txt": b"beta"}
