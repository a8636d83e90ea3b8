# SPDX-License-Identifier: Apache-2.0
"""cairn get: roots, sub-paths, and the guarantee that a download is exactly what
was recorded or fails naming what changed, leaving nothing behind."""

from support import read_tree, write_tree

FILES = {"a.txt": b"alpha\n", "b/c.txt": b"gamma\n", "b/d/e.bin": bytes(range(200))}


def test_get_downloads_into_artifacts_name_version_by_default(cairn):
    write_tree(cairn.cwd / "data", FILES)
    cairn.ok("track", "ds", "data")

    outcome = cairn.ok("get", "ds")

    root = cairn.cwd / "artifacts" / "ds:v0"
    assert outcome.out == f"{root}\n"
    assert read_tree(root) == FILES


def test_get_root_and_json(cairn, tmp_path):
    write_tree(cairn.cwd / "data", FILES)
    cairn.ok("track", "ds", "data")
    target = tmp_path / "elsewhere"

    document = cairn.json("get", "ds:v0", "--root", target)

    assert document == {
        "name": "ds",
        "version": "v0",
        "label": "ds:v0",
        "digest": cairn.json("show", "ds")["digest"],
        "root": str(target),
        "files": 3,
    }
    assert read_tree(target) == FILES


def test_get_root_below_a_file_is_a_usage_error_naming_the_fix(cairn):
    write_tree(cairn.cwd / "data", FILES)
    cairn.ok("track", "ds", "data")
    (cairn.cwd / "plain.txt").write_bytes(b"not a folder")

    outcome = cairn.fails(2, "get", "ds", "--root", "plain.txt/sub")

    assert str(cairn.cwd / "plain.txt") in outcome.err
    assert outcome.err.rstrip().endswith("; choose another root")
    assert (cairn.cwd / "plain.txt").read_bytes() == b"not a folder"


def test_home_that_is_a_file_is_a_usage_error(cairn):
    (cairn.cwd / "home-file").write_bytes(b"x")

    outcome = cairn.fails(2, "--home", "home-file", "ls")

    assert "creating cairn home " + str(cairn.cwd / "home-file") in outcome.err
    assert "set CAIRN_HOME to a writable directory" in outcome.err


def test_get_path_downloads_only_that_sub_path(cairn):
    write_tree(cairn.cwd / "data", FILES)
    cairn.ok("track", "ds", "data")

    cairn.ok("get", "ds", "--root", "out", "--path", "b/")

    assert read_tree(cairn.cwd / "out") == {
        "b/c.txt": FILES["b/c.txt"],
        "b/d/e.bin": FILES["b/d/e.bin"],
    }


def test_get_path_matches_whole_segments_only(cairn):
    write_tree(
        cairn.cwd / "data", dict(FILES, **{"b2/y.txt": b"why\n", "bee.txt": b"buzz\n"})
    )
    cairn.ok("track", "ds", "data")

    document = cairn.json("get", "ds", "--root", "out", "--path", "b")

    assert document["files"] == 2
    assert read_tree(cairn.cwd / "out") == {
        "b/c.txt": FILES["b/c.txt"],
        "b/d/e.bin": FILES["b/d/e.bin"],
    }


def test_get_path_matching_nothing_is_not_found(cairn):
    write_tree(cairn.cwd / "data", FILES)
    cairn.ok("track", "ds", "data")

    outcome = cairn.fails(3, "get", "ds", "--root", "out", "--path", "zzz/")

    assert outcome.err == (
        "cairn: error: ds:v0 has no entry under --path 'zzz/'; list its "
        "paths with `cairn show ds:v0 --files`\n"
    )
    assert not (cairn.cwd / "out").exists()


def test_get_of_an_old_version_after_the_local_source_changed_fails_naming_the_entry(
    cairn,
):
    source = write_tree(cairn.cwd / "data", FILES)
    cairn.ok("track", "ds", "data")
    (source / "b/c.txt").write_bytes(b"overwritten\n")

    outcome = cairn.fails(4, "get", "ds:v0", "--root", "out")

    assert "b/c.txt" in outcome.err
    assert f"file://{source}/b/c.txt" in outcome.err
    assert not (cairn.cwd / "out").exists()


def test_get_of_an_old_version_from_a_versioned_bucket_returns_the_old_bytes(cairn, s3):
    bucket = s3.bucket(versioned=True)
    s3.put_tree(bucket, "d/", FILES)
    cairn.ok("track", "ds", f"s3://{bucket}/d/")
    s3.put(bucket, "d/a.txt", b"NEW alpha\n")
    s3.put(bucket, "d/b/c.txt", b"NEW gamma\n")
    assert cairn.json("track", "ds", f"s3://{bucket}/d/")["version"] == "v1"

    cairn.ok("get", "ds:v0", "--root", "old")
    cairn.ok("get", "ds:v1", "--root", "new")

    assert read_tree(cairn.cwd / "old") == FILES
    assert read_tree(cairn.cwd / "new") == dict(
        FILES, **{"a.txt": b"NEW alpha\n", "b/c.txt": b"NEW gamma\n"}
    )


def test_get_after_an_overwrite_in_an_unversioned_bucket_fails_and_leaves_nothing(
    cairn, s3
):
    bucket = s3.bucket(versioned=False)
    s3.put_tree(bucket, "d/", FILES)
    cairn.ok("track", "ds", f"s3://{bucket}/d/")
    s3.put(bucket, "d/b/c.txt", b"overwritten\n")

    outcome = cairn.fails(4, "get", "ds:v0", "--root", "out")

    assert "b/c.txt" in outcome.err
    assert f"s3://{bucket}/d/b/c.txt" in outcome.err
    assert not (cairn.cwd / "out").exists()
    assert not (cairn.cwd / "artifacts").exists()


def test_get_single_s3_object(cairn, s3):
    bucket = s3.bucket()
    s3.put(bucket, "models/final.bin", b"weights")
    cairn.ok("track", "model", f"s3://{bucket}/models/final.bin", "--as", "w/final.bin")

    cairn.ok("get", "model", "--root", "m")

    assert read_tree(cairn.cwd / "m") == {"w/final.bin": b"weights"}
