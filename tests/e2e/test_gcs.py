# SPDX-License-Identifier: Apache-2.0
"""cairn track, get, verify and diff on Google Cloud Storage, against fake-gcs-server.

One fake-gcs-server per session (-backend memory, the only backend that keeps
object generations), started by tests/scripts/fake_gcs.sh on a free 127.0.0.1
port. Buckets are created with versioning enabled and objects uploaded through
the emulator's JSON API with urllib (no proxy). cairn reaches the emulator only
through STORAGE_EMULATOR_HOST, anonymously: the test environment holds no Google
credentials. fake-gcs-server's etag is the object's base64 MD5, where real GCS
sends an opaque string; either way it is the entry's digest, as in W&B.
"""

import json
import re
import urllib.parse
import urllib.request
import uuid

import pytest
from peers import peer
from support import b64md5, manifest_digest, read_tree

FILES = {"a.txt": b"alpha\n", "b/c.txt": b"gamma\n", "sp ace.txt": b"odd name\n"}


@pytest.fixture(scope="session")
def gcs_endpoint():
    """http://127.0.0.1:PORT of a fake-gcs-server this session started."""
    with peer("fake_gcs.sh", "CAIRN_FAKE_GCS_PIDFILE") as exports:
        yield exports["STORAGE_EMULATOR_HOST"]


class Gcs:
    """The emulator's JSON API through urllib, for arranging buckets and objects."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _send(self, method: str, path: str, body: bytes, content_type: str) -> dict:
        request = urllib.request.Request(
            self.endpoint + path,
            data=body,
            method=method,
            headers={"Content-Type": content_type},
        )
        with self.opener.open(request, timeout=10) as response:
            return json.loads(response.read())

    def bucket(self) -> str:
        name = f"e2e-{uuid.uuid4().hex[:16]}"
        body = json.dumps({"name": name, "versioning": {"enabled": True}}).encode()
        self._send("POST", "/storage/v1/b", body, "application/json")
        return name

    def put(self, bucket: str, name: str, data: bytes) -> dict:
        """Uploads an object; returns its metadata (generation, etag, crc32c, ...)."""
        query = urllib.parse.urlencode({"uploadType": "media", "name": name})
        path = f"/upload/storage/v1/b/{bucket}/o?{query}"
        return self._send("POST", path, data, "application/octet-stream")

    def put_tree(self, bucket: str, prefix: str, files: dict) -> dict:
        """Uploads {relative path: bytes} under prefix; returns {path: metadata}."""
        return {
            path: self.put(bucket, prefix + path, data) for path, data in files.items()
        }


@pytest.fixture
def gcs(cairn, gcs_endpoint) -> Gcs:
    """Points `cairn` at the emulator, with no credentials; returns a Gcs client."""
    cairn.env["STORAGE_EMULATOR_HOST"] = gcs_endpoint
    return Gcs(gcs_endpoint)


def _etags(objects: dict) -> dict:
    return {path: meta["etag"] for path, meta in objects.items()}


def test_track_get_verify_a_gs_prefix(cairn, gcs, tmp_path):
    bucket = gcs.bucket()
    objects = gcs.put_tree(bucket, "d/", FILES)
    gcs.put(bucket, "d2/x.txt", b"sibling, not covered by d/")

    version = cairn.json("track", "ds", f"gs://{bucket}/d")

    assert version["label"] == "ds:v0"
    assert version["files"] == 3
    assert version["size"] == sum(len(data) for data in FILES.values())
    assert version["digest"] == manifest_digest(_etags(objects))
    entries = cairn.json("show", "ds", "--files")["entries"]
    assert entries == [
        {
            "path": path,
            "ref": f"gs://{bucket}/d/{path}",
            "size": len(FILES[path]),
            "digest": objects[path]["etag"],
            "version_id": objects[path]["generation"],
            "etag": objects[path]["etag"],
            "checksum": True,
        }
        for path in sorted(FILES)
    ]
    # The checksums kept beside the digest are the ones the store reported.
    contents = cairn.json("export", "ds:v0")["contents"]
    for path, meta in objects.items():
        assert meta["md5Hash"] == b64md5(FILES[path])
        assert contents[path]["extra"]["md5"] == meta["md5Hash"]
        assert contents[path]["extra"]["crc32c"] == meta["crc32c"]
    root = tmp_path / "out"
    assert cairn.json("get", "ds:v0", "--root", root)["files"] == 3
    assert read_tree(root) == FILES
    assert cairn.ok("verify", "ds").out.splitlines()[-1] == (
        "ds:v0: 3 unchanged, 0 changed, 0 missing"
    )


def test_overwrite_keeps_v0_at_its_generations(cairn, gcs, tmp_path):
    bucket = gcs.bucket()
    objects = gcs.put_tree(bucket, "d/", FILES)
    cairn.ok("track", "ds", f"gs://{bucket}/d/")
    new = gcs.put(bucket, "d/a.txt", b"ALPHA, rewritten\n")
    gcs.put(bucket, "d/new.txt", b"new\n")

    root = tmp_path / "v0"
    assert cairn.json("get", "ds:v0", "--root", root)["files"] == 3
    assert read_tree(root) == FILES

    report = cairn("--json", "verify", "ds:v0")
    assert report.code == 1, str(report)
    assert report.json()["changed"] == [
        {
            "path": "a.txt",
            "reason": f"etag {objects['a.txt']['etag']} -> {new['etag']}, size 6 -> 17",
        }
    ]
    assert report.json()["unchanged"] == 2

    assert cairn.json("track", "ds", f"gs://{bucket}/d/")["label"] == "ds:v1"
    assert cairn.json("diff", "ds:v0", "ds:v1") == {
        "from": "ds:v0",
        "to": "ds:v1",
        "added": ["new.txt"],
        "removed": [],
        "changed": ["a.txt"],
    }


def test_generation_in_the_uri_pins_the_old_object(cairn, gcs, tmp_path):
    bucket = gcs.bucket()
    old = gcs.put(bucket, "m/model.bin", b"weights v1")
    gcs.put(bucket, "m/model.bin", b"weights v2, longer")

    by_fragment = cairn.json(
        "track", "frag", f"gs://{bucket}/m/model.bin#{old['generation']}"
    )
    by_query = cairn.json(
        "track", "query", f"gs://{bucket}/m/model.bin?generation={old['generation']}"
    )

    assert by_fragment["digest"] == by_query["digest"]
    assert by_fragment["digest"] == manifest_digest({"model.bin": old["etag"]})
    assert cairn.json("show", "frag", "--files")["entries"] == [
        {
            "path": "model.bin",
            "ref": f"gs://{bucket}/m/model.bin",
            "size": 10,
            "digest": old["etag"],
            "version_id": old["generation"],
            "etag": old["etag"],
            "checksum": True,
        }
    ]
    root = tmp_path / "out"
    cairn.ok("get", "frag:v0", "--root", root)
    assert read_tree(root) == {"model.bin": b"weights v1"}


def test_missing_or_malformed_generation_is_refused(cairn, gcs):
    bucket = gcs.bucket()
    gcs.put(bucket, "m/model.bin", b"live bytes")
    gcs.put(bucket, "m/model.bin/under.txt", b"a prefix of the same name")
    uri = f"gs://{bucket}/m/model.bin"

    missing = cairn.fails(3, "track", "ds", f"{uri}#1234567890")
    malformed = cairn.fails(2, "track", "ds", f"{uri}?generation=latest")

    assert missing.err == (
        f"cairn: error: adding reference {uri}: stating {uri}: notFound (404): "
        "generation 1234567890 of this object is gone (deleted, or replaced in a "
        "bucket without versioning) or never existed; the live object is not read "
        "in its place\n"
    )
    assert malformed.err == (
        f'cairn: error: invalid URI "{uri}?generation=latest": the generation '
        '"latest" is not a decimal number; a GCS generation looks like '
        "gs://bucket/key?generation=1712345678901234\n"
    )
    assert cairn.json("ls") == {"project": "default", "artifacts": []}


def test_anonymous_requests_reach_only_the_emulator(cairn, gcs, gcs_endpoint):
    bucket = gcs.bucket()
    objects = gcs.put_tree(bucket, "d/", FILES)
    assert not any(name.startswith("GOOGLE_") for name in cairn.env)

    tracked = cairn("-vv", "--json", "track", "ds", f"gs://{bucket}/d/")

    assert tracked.code == 0, str(tracked)
    assert tracked.json()["digest"] == manifest_digest(_etags(objects))
    requests = re.findall(r"\b(?:GET|HEAD|POST) (\S+) (?:status|error)=", tracked.err)
    assert requests, tracked.err
    for url in requests:
        assert url.startswith(gcs_endpoint + "/storage/v1/b/" + bucket + "/o"), url
    assert "access token" not in tracked.err
