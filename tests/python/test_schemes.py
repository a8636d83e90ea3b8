# SPDX-License-Identifier: Apache-2.0
"""The Python API on gs://, az:// and http:// references: add_reference,
log_artifact, download() byte-identical and verify() clean; then one object behind
the reference changes, and download() of the logged version either still gives the
logged bytes (gs: the generation pin, in a bucket with versioning) or raises
cairn.DataChangedError (az: Azurite keeps no blob versions; http: a URL has no pin).

Real peers on loopback, each started once per session by its script under
tests/scripts and stopped at the end: fake-gcs-server (objects arranged through its
JSON API with urllib, no proxy), Azurite (blobs arranged with the Shared Key client
of tests/support/azure_blob.py) and nginx (files written into the folder it
serves). Each test points cairn at its peer with 127.0.0.1 settings
(STORAGE_EMULATOR_HOST, AZURE_STORAGE_CONNECTION_STRING, or a 127.0.0.1 URL) before
any reference is added.
"""

from __future__ import annotations

import json
import os
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import cairn
from azure_blob import Blob, connection_string
from helpers import read_tree, wandb_digest
from peers import peer

FILES = {"a.txt": b"alpha\n", "b/c.txt": b"gamma\n", "sp ace#1.txt": b"odd name\n"}
SIBLING = b"a sibling prefix, never part of d/"
REWRITTEN = b"ALPHA, rewritten\n"


@pytest.fixture(scope="session")
def gcs_endpoint() -> Iterator[str]:
    with peer("fake_gcs.sh", "CAIRN_FAKE_GCS_PIDFILE") as exports:
        yield exports["STORAGE_EMULATOR_HOST"]


@pytest.fixture(scope="session")
def azurite_endpoint() -> Iterator[str]:
    with peer("azurite.sh", "CAIRN_AZURITE_PIDFILE") as exports:
        yield exports["CAIRN_TEST_AZURE_ENDPOINT"]


@pytest.fixture(scope="session")
def nginx() -> Iterator[dict[str, str]]:
    with peer("nginx.sh", "CAIRN_NGINX_PIDFILE") as exports:
        yield exports


class Gcs:
    """fake-gcs-server's JSON API through urllib, for arranging objects."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _post(self, path: str, body: bytes, content_type: str) -> dict:
        request = urllib.request.Request(
            self.endpoint + path,
            data=body,
            method="POST",
            headers={"Content-Type": content_type},
        )
        with self.opener.open(request, timeout=10) as response:
            return json.loads(response.read())

    def bucket(self) -> str:
        """Creates a bucket with versioning enabled and returns its name."""
        name = f"py-{uuid.uuid4().hex[:16]}"
        body = json.dumps({"name": name, "versioning": {"enabled": True}}).encode()
        assert self._post("/storage/v1/b", body, "application/json")["name"] == name
        return name

    def put(self, bucket: str, name: str, data: bytes) -> dict:
        """Uploads an object; returns its metadata (generation, etag, ...)."""
        query = urllib.parse.urlencode({"uploadType": "media", "name": name})
        path = f"/upload/storage/v1/b/{bucket}/o?{query}"
        return self._post(path, data, "application/octet-stream")


@pytest.fixture
def gcs(gcs_endpoint, monkeypatch) -> Gcs:
    """Points cairn at the emulator, anonymously; returns a client to arrange data."""
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", gcs_endpoint)
    return Gcs(gcs_endpoint)


@pytest.fixture
def azure(azurite_endpoint, monkeypatch) -> Blob:
    """Points cairn at Azurite with the development key; returns a Blob client."""
    monkeypatch.setenv(
        "AZURE_STORAGE_CONNECTION_STRING", connection_string(azurite_endpoint)
    )
    return Blob(azurite_endpoint)


class Served:
    """Files nginx serves, in a folder of this test's own."""

    def __init__(self, exports: dict[str, str], folder: str):
        self.endpoint = exports["CAIRN_TEST_HTTP_ENDPOINT"]
        self.folder = folder
        self.root = Path(exports["CAIRN_TEST_HTTP_ROOT"]) / folder

    def write(self, name: str, data: bytes, mtime: float | None = None) -> str:
        """Writes the file and returns its URL."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if mtime is not None:
            os.utime(path, (mtime, mtime))
        return f"{self.endpoint}/{self.folder}/{name}"

    def etag(self, name: str) -> str:
        """nginx's ETag: the file's mtime and size in hex."""
        status = (self.root / name).stat()
        return f"{int(status.st_mtime):x}-{status.st_size:x}"


@pytest.fixture
def served(nginx, tmp_path) -> Served:
    assert nginx["CAIRN_TEST_HTTP_ENDPOINT"].startswith("http://127.0.0.1:")
    return Served(nginx, tmp_path.name)


def log_references(*uris: str) -> tuple[cairn.Artifact, list[str]]:
    """Logs artifact "ds" of the references; returns it and the paths added."""
    with cairn.init(job_type="dataset") as run:
        artifact = cairn.Artifact("ds", type="dataset")
        added = [entry.path for uri in uris for entry in artifact.add_reference(uri)]
        run.log_artifact(artifact)
    return artifact, added


def check_logged(
    artifact: cairn.Artifact,
    added: list[str],
    digests: dict[str, str],
    tmp_path: Path,
    files: dict[str, bytes],
) -> None:
    """The logged version: entries, W&B digest, a byte-identical download, and a
    clean verify()."""
    assert added == sorted(files)
    assert artifact.name == "ds:v0"
    assert artifact.file_count == len(files)
    assert artifact.size == sum(len(data) for data in files.values())
    assert artifact.digest == wandb_digest(digests)
    assert {e.path: e.digest for e in artifact.files()} == digests
    root = artifact.download(tmp_path / "out")
    assert root == str(tmp_path / "out")
    assert read_tree(root) == files
    report = artifact.verify()
    assert (report.ok, report.unchanged, report.changed, report.missing) == (
        True,
        sorted(files),
        [],
        [],
    )


# gs:// on fake-gcs-server, in a bucket with versioning.


def test_gs_prefix_is_logged_downloaded_and_verified(gcs, tmp_path):
    bucket = gcs.bucket()
    objects = {path: gcs.put(bucket, "d/" + path, data) for path, data in FILES.items()}
    gcs.put(bucket, "d2/x.txt", SIBLING)

    artifact, added = log_references(f"gs://{bucket}/d/")

    etags = {path: meta["etag"] for path, meta in objects.items()}
    check_logged(artifact, added, etags, tmp_path, FILES)
    entry = artifact.get_entry("sp ace#1.txt")
    assert entry.ref == f"gs://{bucket}/d/sp ace#1.txt"
    assert entry.version_id == objects["sp ace#1.txt"]["generation"]
    assert entry.etag == objects["sp ace#1.txt"]["etag"]


def test_gs_overwrite_still_downloads_the_logged_generation(gcs, tmp_path):
    bucket = gcs.bucket()
    objects = {path: gcs.put(bucket, "d/" + path, data) for path, data in FILES.items()}
    log_references(f"gs://{bucket}/d/")
    new = gcs.put(bucket, "d/a.txt", REWRITTEN)
    assert new["generation"] != objects["a.txt"]["generation"]

    version = cairn.Api().artifact("vision/ds:v0")
    root = version.download(tmp_path / "v0")

    assert read_tree(root) == FILES
    report = version.verify()
    assert (report.ok, report.unchanged, report.missing) == (
        False,
        ["b/c.txt", "sp ace#1.txt"],
        [],
    )
    assert report.changed == [
        f"a.txt: etag {objects['a.txt']['etag']} -> {new['etag']}, size 6 -> 17"
    ]


# az:// on Azurite, which keeps no blob versions.


def test_az_prefix_is_logged_downloaded_and_verified(azure, tmp_path):
    container = azure.container()
    etags = azure.put_tree(container, "d/", FILES)
    azure.put(container, "d2/x.txt", SIBLING)

    artifact, added = log_references(f"az://{container}/d/")

    check_logged(artifact, added, etags, tmp_path, FILES)
    entry = artifact.get_entry("sp ace#1.txt")
    assert entry.ref == f"az://{container}/d/sp ace#1.txt"
    assert entry.version_id is None
    assert entry.etag == etags["sp ace#1.txt"]


def test_az_overwrite_fails_the_download_with_data_changed(azure, tmp_path):
    container = azure.container()
    etags = azure.put_tree(container, "d/", FILES)
    log_references(f"az://{container}/d/")
    new_etag = azure.put(container, "d/a.txt", REWRITTEN)
    version = cairn.Api().artifact("vision/ds:v0")

    with pytest.raises(cairn.Error) as raised:
        version.download(tmp_path / "out")

    assert type(raised.value) is cairn.DataChangedError
    assert str(raised.value) == (
        "1 entry changed since ds:v0 was logged: a.txt "
        f"(az://{container}/d/a.txt: etag now {new_etag}, recorded {etags['a.txt']}); "
        "no version pin holds the logged bytes, so log a new version to use the "
        "current data"
    )
    assert not (tmp_path / "out").exists()
    report = version.verify()
    assert (report.ok, report.unchanged, report.missing) == (
        False,
        ["b/c.txt", "sp ace#1.txt"],
        [],
    )
    assert report.changed == [f"a.txt: etag {etags['a.txt']} -> {new_etag}, size 6 -> 17"]


# http:// on nginx: one URL is one file, with no pin.

WEIGHTS = bytes(range(256)) * 8
CONFIG = b'{"layers": 3}\n'
NEW_CONFIG = b'{"layers": 4, "rewritten": true}\n'


def test_http_urls_are_logged_downloaded_and_verified(served, tmp_path):
    weights = served.write("m/weights.bin", WEIGHTS)
    config = served.write("m/config.json", CONFIG)

    artifact, added = log_references(config, weights)

    files = {"config.json": CONFIG, "weights.bin": WEIGHTS}
    etags = {"config.json": served.etag("m/config.json")}
    etags["weights.bin"] = served.etag("m/weights.bin")
    check_logged(artifact, added, etags, tmp_path, files)
    entry = artifact.get_entry("weights.bin")
    assert entry.ref == weights
    assert entry.version_id is None
    assert entry.etag == etags["weights.bin"]


def test_http_change_fails_the_download_with_data_changed(served, tmp_path):
    # Written a minute in the past, so the rewrite below gets another ETag (mtime
    # and size in hex) whatever the clock's second.
    earlier = time.time() - 60
    weights = served.write("m/weights.bin", WEIGHTS, mtime=earlier)
    config = served.write("m/config.json", CONFIG, mtime=earlier)
    old_etag = served.etag("m/config.json")
    log_references(weights, config)
    served.write("m/config.json", NEW_CONFIG)
    new_etag = served.etag("m/config.json")
    assert new_etag != old_etag
    version = cairn.Api().artifact("vision/ds:v0")

    with pytest.raises(cairn.Error) as raised:
        version.download(tmp_path / "out")

    assert type(raised.value) is cairn.DataChangedError
    assert str(raised.value) == (
        "1 entry changed since ds:v0 was logged: config.json "
        f"({config}: etag now {new_etag}, recorded {old_etag}); "
        "no version pin holds the logged bytes, so log a new version to use the "
        "current data"
    )
    assert not (tmp_path / "out").exists()
    report = version.verify()
    assert (report.ok, report.unchanged, report.missing) == (False, ["weights.bin"], [])
    assert report.changed == [
        f"config.json: etag {old_etag} -> {new_etag}, "
        f"size {len(CONFIG)} -> {len(NEW_CONFIG)}"
    ]
