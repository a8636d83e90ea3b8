# SPDX-License-Identifier: Apache-2.0
"""cairn beside the real wandb package (0.31.0 from PyPI, offline, no account): for the
same moto bucket, the same local folder and the same file behind nginx, wandb's
add_reference and `cairn track` record the same entry paths, refs, digests, sizes and
pins, and the same artifact digest. Where wandb is known to be wrong, or cairn differs
by design, the test asserts cairn's answer and says what wandb does instead.
Manifests also move both ways: wandb reads what `cairn export` writes, and `cairn
import` takes what wandb writes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import write_tree

HERE = Path(__file__).resolve().parent
WANDB_TIMEOUT_S = 120


@pytest.fixture
def wandb_ref(cairn, tmp_path):
    """Runs wandb's add_reference in a child process with cairn's environment."""
    state = tmp_path / "wandb-state"
    env = dict(
        cairn.env,
        WANDB_MODE="offline",
        WANDB_SILENT="true",
        WANDB_DIR=str(state),
        WANDB_CACHE_DIR=str(state / "cache"),
        WANDB_CONFIG_DIR=str(state / "config"),
        WANDB_DATA_DIR=str(state / "data"),
        WANDB_ARTIFACT_DIR=str(state / "artifacts"),
    )

    def run(uri, *flags):
        completed = subprocess.run(
            [sys.executable, str(HERE / "wandb_reference.py"), uri, *flags],
            env=env,
            cwd=cairn.cwd,
            capture_output=True,
            text=True,
            timeout=WANDB_TIMEOUT_S,
        )
        assert completed.returncode == 0, completed.stderr
        return json.loads(completed.stdout.splitlines()[-1])

    return run


def cairn_manifest(cairn, name, *track_args):
    """Tracks with cairn and returns (version document, exported W&B manifest)."""
    version = cairn.json("track", name, *track_args)
    exported = cairn.cwd / f"{name}.json"
    cairn.ok("export", f"{name}:{version['version']}", exported)
    return version, json.loads(exported.read_text())


# W&B's entry fields; cairn adds lastModified and the content MD5 to "extra" and
# wandb's birthArtifactID is null before logging.
def comparable(contents, extra_keys=("etag", "versionID")):
    return {
        path: {
            "ref": entry.get("ref"),
            "digest": entry["digest"],
            "size": entry.get("size"),
            "extra": {
                k: v for k, v in (entry.get("extra") or {}).items() if k in extra_keys
            },
        }
        for path, entry in contents.items()
    }


S3_FILES = {
    "a.txt": b"alpha\n",
    "sub/b.txt": b"bravo bravo\n",
    "with space.txt": b"space\n",
    "caf\u00e9.txt": b"cafe\n",
}


def test_s3_prefix_matches_wandb_entry_for_entry(s3, cairn, wandb_ref):
    bucket = s3.bucket()
    s3.put_tree(bucket, "data/", S3_FILES)

    theirs = wandb_ref(f"s3://{bucket}/data")
    version, ours = cairn_manifest(cairn, "ds", f"s3://{bucket}/data")

    assert sorted(ours["contents"]) == sorted(S3_FILES)
    assert comparable(ours["contents"]) == comparable(theirs["manifest"]["contents"])
    assert version["digest"] == theirs["digest"]


def test_s3_single_object_with_a_name_matches_wandb(s3, cairn, wandb_ref):
    bucket = s3.bucket()
    s3.put_tree(bucket, "models/", {"model.pt": b"weights"})

    theirs = wandb_ref(f"s3://{bucket}/models/model.pt", "--name", "best.pt")
    version, ours = cairn_manifest(
        cairn, "model", f"s3://{bucket}/models/model.pt", "--as", "best.pt"
    )

    assert list(ours["contents"]) == ["best.pt"]
    assert comparable(ours["contents"]) == comparable(theirs["manifest"]["contents"])
    assert version["digest"] == theirs["digest"]


def test_local_folder_and_file_match_wandb(cairn, wandb_ref):
    folder = write_tree(
        cairn.cwd / "data", {"a.txt": b"a\n", "sub/b c.txt": b"b\n", "h#x.txt": b"h\n"}
    )

    theirs = wandb_ref(f"file://{folder}")
    version, ours = cairn_manifest(cairn, "local", f"file://{folder}")
    assert comparable(ours["contents"]) == comparable(theirs["manifest"]["contents"])
    assert version["digest"] == theirs["digest"]

    one = wandb_ref(f"file://{folder}/sub/b c.txt")
    version, ours = cairn_manifest(cairn, "one", str(folder / "sub" / "b c.txt"))
    assert comparable(ours["contents"]) == comparable(one["manifest"]["contents"])
    assert version["digest"] == one["digest"]


def test_sibling_prefix_stays_out_where_wandb_fails(s3, cairn, wandb_ref):
    bucket = s3.bucket()
    s3.put_tree(bucket, "data/", {"a.txt": b"a"})
    s3.put_tree(bucket, "data2/", {"c.txt": b"c"})

    theirs = wandb_ref(f"s3://{bucket}/data")
    _, ours = cairn_manifest(cairn, "ds", f"s3://{bucket}/data")

    # wandb lists the raw prefix "data", meets data2/c.txt and gives up.
    assert theirs["error"].startswith("ValueError: 'data2/c.txt' is not in the subpath")
    assert sorted(ours["contents"]) == ["a.txt"]


def test_max_objects_fails_where_wandb_truncates_silently(s3, cairn, wandb_ref):
    bucket = s3.bucket()
    s3.put_tree(bucket, "data/", {f"f{i}.txt": b"x" for i in range(5)})

    theirs = wandb_ref(f"s3://{bucket}/data", "--max-objects", "3")
    failed = cairn.fails(6, "track", "ds", f"s3://{bucket}/data", "--max-objects", "3")

    # wandb keeps the first 3 of 5 objects and says nothing.
    assert sorted(theirs["manifest"]["contents"]) == ["f0.txt", "f1.txt", "f2.txt"]
    assert "found more than 3 objects" in failed.err
    assert "--max-objects 5" in failed.err


def test_keys_with_hash_and_question_mark_download_where_wandb_cannot(
    s3, cairn, wandb_ref
):
    bucket = s3.bucket()
    s3.put_tree(bucket, "data/", {"h#ash.txt": b"hash", "q?x.txt": b"question"})

    theirs = wandb_ref(f"s3://{bucket}/data")
    version, ours = cairn_manifest(cairn, "odd", f"s3://{bucket}/data")

    # The refs are the same raw strings; wandb reads them back through urlparse,
    # which takes "#ash.txt" as a fragment and "?x.txt" as a query, so its
    # download asks for keys "data/h" and "data/q". cairn reads refs as raw keys.
    assert comparable(ours["contents"]) == comparable(theirs["manifest"]["contents"])
    assert version["digest"] == theirs["digest"]
    cairn.ok("get", "odd", "--root", "out")
    assert (cairn.cwd / "out" / "h#ash.txt").read_bytes() == b"hash"
    assert (cairn.cwd / "out" / "q?x.txt").read_bytes() == b"question"


def test_double_slash_key_is_refused_where_wandb_records_another_key(
    s3, cairn, wandb_ref
):
    bucket = s3.bucket()
    s3.put_tree(bucket, "data/", {"x.txt": b"x", "/dbl.txt": b"double"})

    theirs = wandb_ref(f"s3://{bucket}/data")
    failed = cairn.fails(2, "track", "ds", f"s3://{bucket}/data")

    # wandb drops the empty segment: its ref names data/dbl.txt, an object that
    # does not exist, while the object is data//dbl.txt.
    assert (
        theirs["manifest"]["contents"]["dbl.txt"]["ref"] == f"s3://{bucket}/data/dbl.txt"
    )
    assert 'entry path "/dbl.txt"' in failed.err
    assert f"(from object s3://{bucket}/data//dbl.txt)" in failed.err
    assert "reference that object alone with a name (CLI: --as NAME)" in failed.err


def test_empty_objects_are_kept_where_wandb_drops_them(s3, cairn, wandb_ref):
    bucket = s3.bucket()
    s3.put_tree(bucket, "data/", {"a.txt": b"a", "_SUCCESS": b""})

    theirs = wandb_ref(f"s3://{bucket}/data")
    _, ours = cairn_manifest(cairn, "ds", f"s3://{bucket}/data")

    # wandb skips every zero-byte object; an empty marker file is data too.
    assert sorted(theirs["manifest"]["contents"]) == ["a.txt"]
    assert sorted(ours["contents"]) == ["_SUCCESS", "a.txt"]


def test_wandb_reads_what_cairn_exports_and_cairn_imports_what_wandb_writes(
    s3, cairn, wandb_ref
):
    bucket = s3.bucket()
    s3.put_tree(bucket, "data/", S3_FILES)
    theirs = wandb_ref(f"s3://{bucket}/data")
    from_wandb = cairn.cwd / "wandb_manifest.json"
    from_wandb.write_text(json.dumps(theirs["manifest"]))

    imported = cairn.json("import", "from-wandb", from_wandb)
    assert imported["digest"] == theirs["digest"]
    assert imported["files"] == len(S3_FILES)
    cairn.ok("get", "from-wandb", "--root", "got")
    for path, data in S3_FILES.items():
        assert (cairn.cwd / "got" / path).read_bytes() == data
    assert cairn.ok("verify", "from-wandb").code == 0

    exported = cairn.cwd / "exported.json"
    cairn.ok("export", "from-wandb", exported)
    loader = (
        "import json, sys\n"
        "from wandb.sdk.artifacts.artifact_manifests.artifact_manifest_v1 import "
        "ArtifactManifestV1\n"
        "m = ArtifactManifestV1.from_manifest_json(json.load(open(sys.argv[1])))\n"
        "print(m.digest())\n"
    )
    read_back = subprocess.run(
        [sys.executable, "-c", loader, str(exported)],
        env=dict(os.environ, WANDB_MODE="offline"),
        capture_output=True,
        text=True,
        timeout=WANDB_TIMEOUT_S,
    )
    assert read_back.returncode == 0, read_back.stderr
    assert read_back.stdout.strip() == theirs["digest"]


def test_import_refuses_entries_wandb_stored_itself(cairn):
    manifest = cairn.cwd / "uploaded.json"
    manifest.write_text(
        json.dumps(
            {
                "version": 1,
                "storagePolicy": "wandb-storage-policy-v1",
                "storagePolicyConfig": {"storageLayout": "V2"},
                "contents": {
                    "model.pt": {"digest": "CY9rzUYh03PK3k6DJie09g==", "size": 4}
                },
            }
        )
    )

    failed = cairn.fails(2, "import", "m", manifest)
    assert '"model.pt": no ref' in failed.err
    cairn.fails(3, "import", "m", cairn.cwd / "missing.json")
    cairn.fails(3, "show", "m")


def test_unchecked_s3_prefix_matches_wandb(s3, cairn, wandb_ref):
    bucket = s3.bucket()
    s3.put_tree(bucket, "data/", {"a.txt": b"a"})

    theirs = wandb_ref(f"s3://{bucket}/data", "--no-checksum")
    version, ours = cairn_manifest(cairn, "raw", f"s3://{bucket}/data", "--no-checksum")

    entry = {"ref": f"s3://{bucket}/data", "digest": f"s3://{bucket}/data"}
    assert {p: {k: e[k] for k in entry} for p, e in ours["contents"].items()} == {
        "data": entry
    }
    assert {
        p: {k: e[k] for k in entry} for p, e in theirs["manifest"]["contents"].items()
    } == {"data": entry}
    assert version["digest"] == theirs["digest"]


def test_unchecked_local_folder_is_one_entry_where_wandb_lists_files(cairn, wandb_ref):
    folder = write_tree(cairn.cwd / "data", {"a.txt": b"a", "b.txt": b"b"})

    theirs = wandb_ref(f"file://{folder}", "--no-checksum")
    _, ours = cairn_manifest(cairn, "raw", f"file://{folder}", "--no-checksum")

    # DESIGN.md: checksum=False records the URI alone, whatever is under it at
    # download time. wandb lists the folder and records each file with the MD5 of
    # its file URI as digest, so files added later are not part of its artifact.
    assert list(ours["contents"]) == ["data"]
    assert ours["contents"]["data"]["ref"] == f"file://{folder}"
    assert sorted(theirs["manifest"]["contents"]) == ["a.txt", "b.txt"]


def test_http_file_matches_wandb_and_its_manifest_imports(cairn, files, wandb_ref):
    files.write("weights.bin", bytes(range(256)) * 4)
    url = files.url("weights.bin")

    theirs = wandb_ref(url)
    version, ours = cairn_manifest(cairn, "model", url)

    # wandb keeps the ETag's quotes in extra["etag"] and drops them in the digest;
    # cairn stores it bare in both.
    etag = files.etag("weights.bin")
    assert theirs["manifest"]["contents"]["weights.bin"]["extra"] == {"etag": f'"{etag}"'}
    assert comparable(ours["contents"], extra_keys=()) == comparable(
        theirs["manifest"]["contents"], extra_keys=()
    )
    assert ours["contents"]["weights.bin"]["extra"]["etag"] == etag
    assert version["digest"] == theirs["digest"]

    from_wandb = cairn.cwd / "wandb_http.json"
    from_wandb.write_text(json.dumps(theirs["manifest"]))
    cairn.ok("import", "from-wandb", from_wandb)
    assert cairn.ok("verify", "from-wandb").code == 0
    cairn.ok("get", "from-wandb", "--root", "got")
    assert (cairn.cwd / "got" / "weights.bin").read_bytes() == bytes(range(256)) * 4


def test_http_url_with_an_escape_names_the_file_decoded_where_wandb_keeps_it(
    cairn, files, wandb_ref
):
    files.write("a b.txt", b"spaced")
    url = files.url("a%20b.txt")

    theirs = wandb_ref(url)
    _, ours = cairn_manifest(cairn, "spaced", url)

    # wandb names the entry after the URL's last segment as written ("a%20b.txt");
    # cairn decodes it to the file's name, so the artifact digests differ here.
    assert list(theirs["manifest"]["contents"]) == ["a%20b.txt"]
    assert list(ours["contents"]) == ["a b.txt"]
    assert ours["contents"]["a b.txt"]["ref"] == url
