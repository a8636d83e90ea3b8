# SPDX-License-Identifier: Apache-2.0
"""cairn track: local directories and files, S3 prefixes and objects, options,
deduplication, limits and bad input."""

import subprocess

import pytest

from support import b64md5, hexmd5, manifest_digest, write_tree

FILES = {"a.txt": b"alpha\n", "b/c.txt": b"gamma gamma\n", "b/d.bin": bytes(range(256))}


def test_directory_becomes_v0_with_one_entry_per_file(cairn):
    root = write_tree(cairn.cwd / "data", FILES)

    version = cairn.json("track", "ds", "data")

    digests = {path: b64md5(data) for path, data in FILES.items()}
    assert version["name"] == "ds"
    assert version["version"] == "v0"
    assert version["label"] == "ds:v0"
    assert version["created"] is True
    assert version["files"] == 3
    assert version["size"] == sum(len(data) for data in FILES.values())
    assert version["digest"] == manifest_digest(digests)
    assert version["aliases"] == ["latest"]
    assert version["type"] == "dataset"
    entries = cairn.json("show", "ds:v0", "--files")["entries"]
    assert entries == [
        {
            "path": path,
            "ref": f"file://{root}/{path}",
            "size": len(FILES[path]),
            "digest": digests[path],
            "checksum": True,
        }
        for path in sorted(FILES)
    ]


def test_text_output_names_the_version_and_whether_it_was_created(cairn):
    write_tree(cairn.cwd / "data", FILES)
    digest = manifest_digest({p: b64md5(d) for p, d in FILES.items()})

    first = cairn.ok("track", "ds", "data")
    second = cairn.ok("track", "ds", "data")

    assert first.out == f"ds:v0 created (3 files, 274 B, digest {digest})\n"
    assert second.out == f"ds:v0 unchanged (3 files, 274 B, digest {digest})\n"


def test_unchanged_retrack_makes_no_new_version(cairn):
    root = write_tree(cairn.cwd / "data", FILES)

    first = cairn.json("track", "ds", "data")
    again = cairn.json("track", "ds", f"file://{root}")

    assert again["version"] == "v0"
    assert again["created"] is False
    assert again["digest"] == first["digest"]
    assert [v["version"] for v in cairn.json("ls", "ds")["versions"]] == ["v0"]


def test_changed_content_makes_v1_and_moves_latest(cairn):
    root = write_tree(cairn.cwd / "data", FILES)
    cairn.ok("track", "ds", "data")
    (root / "a.txt").write_bytes(b"changed\n")

    version = cairn.json("track", "ds", "data")

    assert (version["version"], version["created"]) == ("v1", True)
    versions = cairn.json("ls", "ds")["versions"]
    assert [(v["version"], v["aliases"]) for v in versions] == [
        ("v0", []),
        ("v1", ["latest"]),
    ]


def test_single_file_is_entered_under_its_base_name(cairn):
    write_tree(cairn.cwd, {"deep/model.bin": b"weights"})

    cairn.ok("track", "model", "deep/model.bin")

    entries = cairn.json("show", "model", "--files")["entries"]
    assert [(e["path"], e["digest"]) for e in entries] == [
        ("model.bin", b64md5(b"weights"))
    ]


def test_as_names_the_entry_of_a_single_file(cairn):
    write_tree(cairn.cwd, {"model.bin": b"weights"})

    cairn.ok("track", "model", "model.bin", "--as", "weights/final.bin")

    entries = cairn.json("show", "model", "--files")["entries"]
    assert [e["path"] for e in entries] == ["weights/final.bin"]


def test_as_places_a_directory_under_that_folder(cairn):
    write_tree(cairn.cwd / "data", FILES)

    cairn.ok("track", "ds", "data", "--as", "train")

    entries = cairn.json("show", "ds", "--files")["entries"]
    assert [e["path"] for e in entries] == [
        "train/a.txt",
        "train/b/c.txt",
        "train/b/d.bin",
    ]


def test_as_with_two_uris_is_a_usage_error(cairn):
    write_tree(cairn.cwd, {"x": b"x", "y": b"y"})

    outcome = cairn.fails(2, "track", "ds", "x", "y", "--as", "z")

    assert outcome.err == (
        "cairn: error: --as names the entry of a single URI, but 2 URIs "
        "were given; track them one at a time or drop --as\n"
    )


def test_several_uris_make_one_version(cairn):
    write_tree(cairn.cwd, {"train/a": b"1", "test/b": b"2", "labels.csv": b"3"})

    version = cairn.json("track", "ds", "train", "test", "labels.csv")

    assert version["files"] == 3
    entries = cairn.json("show", "ds", "--files")["entries"]
    assert [e["path"] for e in entries] == ["a", "b", "labels.csv"]


def test_colliding_entry_paths_are_a_conflict(cairn):
    write_tree(cairn.cwd, {"one/x.txt": b"1", "two/x.txt": b"2"})

    outcome = cairn.fails(8, "track", "ds", "one", "two")

    assert "x.txt" in outcome.err
    assert cairn.json("ls")["artifacts"] == []


def test_alias_metadata_description_and_type_are_recorded(cairn):
    write_tree(cairn.cwd / "data", FILES)

    cairn.ok(
        "track",
        "ds",
        "data",
        "--alias",
        "best",
        "--alias",
        "prod",
        "--metadata",
        "source=sklearn",
        "--metadata",
        "split=a=b",
        "--description",
        "digits",
        "--type",
        "images",
    )

    version = cairn.json("show", "ds:best")
    assert version["version"] == "v0"
    assert version["aliases"] == ["best", "latest", "prod"]
    assert version["metadata"] == {"source": "sklearn", "split": "a=b"}
    assert version["description"] == "digits"
    assert version["type"] == "images"


def test_metadata_without_equals_is_a_usage_error(cairn):
    write_tree(cairn.cwd / "data", FILES)

    outcome = cairn.fails(2, "track", "ds", "data", "--metadata", "oops")

    assert "--metadata 'oops' is not KEY=VALUE" in outcome.err


def test_no_checksum_records_the_uri_alone(cairn):
    root = write_tree(cairn.cwd / "data", FILES)

    outcome = cairn.ok("track", "ds", "data/a.txt", "--no-checksum")

    assert outcome.err == (
        "cairn: recorded without checksums: a download takes whatever " "is there then\n"
    )
    entries = cairn.json("show", "ds", "--files")["entries"]
    assert entries == [
        {
            "path": "a.txt",
            "ref": f"file://{root}/a.txt",
            "size": 0,
            "digest": f"file://{root}/a.txt",
            "checksum": False,
        }
    ]


def test_more_objects_than_max_objects_fails_naming_the_count_and_the_flag(cairn):
    write_tree(cairn.cwd / "five", {f"{i}.txt": b"x" for i in range(5)})

    outcome = cairn.fails(6, "track", "ds", "five", "--max-objects", "3")

    assert "more than 3 objects" in outcome.err
    assert "--max-objects 5" in outcome.err
    assert cairn.json("ls")["artifacts"] == []
    assert cairn.json("track", "ds", "five", "--max-objects", "5")["files"] == 5


@pytest.mark.parametrize(
    "uri, fragment",
    [
        ("s3:///key", 'invalid URI "s3:///key"'),
        ("ftp://host/x", 'unknown scheme "ftp"'),
        ("file:relative/x", 'invalid URI "file:relative/x"'),
        ("s3://bucket/%zz", 'invalid URI "s3://bucket/%zz"'),
        ("", 'invalid URI ""'),
    ],
)
def test_bad_uri_is_a_usage_error_naming_it(cairn, uri, fragment):
    outcome = cairn.fails(2, "track", "ds", uri)
    assert fragment in outcome.err


def test_bad_artifact_name_is_a_usage_error(cairn):
    write_tree(cairn.cwd / "data", FILES)
    outcome = cairn.fails(2, "track", "bad name", "data")
    assert 'collection name "bad name" is invalid' in outcome.err


def test_missing_local_path_is_not_found_naming_it(cairn):
    outcome = cairn.fails(3, "track", "ds", "nowhere")
    assert f"file://{cairn.cwd}/nowhere" in outcome.err


def test_s3_prefix_covers_whole_segments_only_and_pins_versions(cairn, s3):
    bucket = s3.bucket()
    version_ids = s3.put_tree(bucket, "d/", {"a.txt": b"alpha", "b/c.txt": b"gamma"})
    s3.put(bucket, "d2/x.txt", b"sibling")

    version = cairn.json("track", "ds", f"s3://{bucket}/d")

    assert version["files"] == 2
    assert version["digest"] == manifest_digest(
        {"a.txt": hexmd5(b"alpha"), "b/c.txt": hexmd5(b"gamma")}
    )
    entries = cairn.json("show", "ds", "--files")["entries"]
    assert entries == [
        {
            "path": "a.txt",
            "ref": f"s3://{bucket}/d/a.txt",
            "size": 5,
            "digest": hexmd5(b"alpha"),
            "etag": hexmd5(b"alpha"),
            "checksum": True,
            "version_id": version_ids["a.txt"],
        },
        {
            "path": "b/c.txt",
            "ref": f"s3://{bucket}/d/b/c.txt",
            "size": 5,
            "digest": hexmd5(b"gamma"),
            "etag": hexmd5(b"gamma"),
            "checksum": True,
            "version_id": version_ids["b/c.txt"],
        },
    ]


def test_s3_object_is_one_entry_named_by_base_name_or_as(cairn, s3):
    bucket = s3.bucket()
    s3.put(bucket, "models/final.bin", b"weights")

    cairn.ok("track", "one", f"s3://{bucket}/models/final.bin")
    cairn.ok("track", "two", f"s3://{bucket}/models/final.bin", "--as", "w.bin")

    one = cairn.json("show", "one", "--files")["entries"]
    two = cairn.json("show", "two", "--files")["entries"]
    assert [(e["path"], e["digest"], e["size"]) for e in one] == [
        ("final.bin", hexmd5(b"weights"), 7)
    ]
    assert [e["path"] for e in two] == ["w.bin"]


def test_unchanged_s3_prefix_retrack_makes_no_new_version(cairn, s3):
    bucket = s3.bucket()
    s3.put_tree(bucket, "d/", {"a.txt": b"alpha"})

    cairn.ok("track", "ds", f"s3://{bucket}/d/")
    again = cairn.json("track", "ds", f"s3://{bucket}/d/")

    assert (again["version"], again["created"]) == ("v0", False)


def test_missing_s3_prefix_is_not_found(cairn, s3):
    bucket = s3.bucket()
    outcome = cairn.fails(3, "track", "ds", f"s3://{bucket}/nothing/")
    assert f"s3://{bucket}/nothing/" in outcome.err


def test_missing_bucket_is_not_found_and_names_the_prefix_once(cairn, s3):
    outcome = cairn.fails(3, "track", "ds", "s3://cairn-no-such-bucket/d/")

    assert outcome.err.count("listing s3://cairn-no-such-bucket/d/") == 1
    assert "NoSuchBucket (404" in outcome.err
    assert "check its name and the endpoint" in outcome.err


def test_concurrent_tracks_of_different_content_get_distinct_versions(cairn):
    write_tree(cairn.cwd / "one", {"f.txt": b"one"})
    write_tree(cairn.cwd / "two", {"f.txt": b"two"})

    processes = [
        subprocess.Popen(
            cairn.command("--json", "track", "ds", folder),
            cwd=cairn.cwd,
            env=cairn.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in ("one", "two")
    ]
    results = [process.communicate(timeout=120) for process in processes]

    assert [process.returncode for process in processes] == [0, 0], results
    import json

    logged = [json.loads(out) for out, _ in results]
    assert sorted(v["version"] for v in logged) == ["v0", "v1"]
    assert all(v["created"] for v in logged)
    versions = cairn.json("ls", "ds")["versions"]
    assert sorted(v["digest"] for v in versions) == sorted(v["digest"] for v in logged)
