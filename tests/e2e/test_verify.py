# SPDX-License-Identifier: Apache-2.0
"""cairn verify: exit 0 when every reference is as recorded, 1 on drift, with the
changed and missing entries listed."""

from support import write_tree

FILES = {"a.txt": b"alpha\n", "b/c.txt": b"gamma\n", "d.txt": b"delta\n"}


def test_verify_of_unchanged_data_exits_0(cairn):
    write_tree(cairn.cwd / "data", FILES)
    cairn.ok("track", "ds", "data")

    assert cairn.ok("verify", "ds").out == "ds:v0: 3 unchanged, 0 changed, 0 missing\n"
    assert cairn.json("verify", "ds:v0") == {
        "label": "ds:v0",
        "clean": True,
        "unchanged": 3,
        "changed": [],
        "missing": [],
    }


def test_verify_of_drifted_data_exits_1_listing_changed_and_missing(cairn):
    root = write_tree(cairn.cwd / "data", FILES)
    cairn.ok("track", "ds", "data")
    (root / "a.txt").write_bytes(b"alpha, longer now\n")
    (root / "b/c.txt").unlink()

    outcome = cairn("--json", "verify", "ds")

    assert outcome.code == 1, str(outcome)
    report = outcome.json()
    assert report["label"] == "ds:v0"
    assert report["clean"] is False
    assert report["unchanged"] == 1
    assert [c["path"] for c in report["changed"]] == ["a.txt"]
    assert "size 6 -> 18" in report["changed"][0]["reason"]
    assert report["missing"] == ["b/c.txt"]

    text = cairn("verify", "ds")
    assert text.code == 1
    assert text.out.splitlines()[-1] == "ds:v0: 1 unchanged, 1 changed, 1 missing"
    assert "missing  b/c.txt" in text.out.splitlines()


def test_verify_notices_an_overwritten_s3_object(cairn, s3):
    bucket = s3.bucket()
    s3.put_tree(bucket, "d/", FILES)
    cairn.ok("track", "ds", f"s3://{bucket}/d/")
    assert cairn("verify", "ds").code == 0
    s3.put(bucket, "d/d.txt", b"DELTA\n")
    s3.client.delete_object(Bucket=bucket, Key="d/a.txt")

    outcome = cairn("--json", "verify", "ds")

    assert outcome.code == 1, str(outcome)
    report = outcome.json()
    assert [c["path"] for c in report["changed"]] == ["d.txt"]
    assert report["missing"] == ["a.txt"]
    assert report["unchanged"] == 1
