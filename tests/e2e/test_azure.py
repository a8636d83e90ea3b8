# SPDX-License-Identifier: Apache-2.0
"""cairn track, get, verify and diff on Azure Blob Storage, against Azurite.

One Azurite per session, started by tests/scripts/azurite.sh on a free 127.0.0.1
port with its documented development account; containers and blobs are arranged
with the small Shared Key client of tests/support/azure_blob.py. cairn
reaches Azurite only through AZURE_STORAGE_CONNECTION_STRING, or through
AZURE_STORAGE_SAS_TOKEN with AZURE_STORAGE_BLOB_ENDPOINT, both naming 127.0.0.1.
Azurite keeps no blob versions, so entries carry no version pin here.
"""

import base64
import urllib.parse

import pytest
from azure_blob import Blob, connection_string
from peers import peer
from support import manifest_digest, read_tree


@pytest.fixture(scope="session")
def azurite_endpoint():
    """http://127.0.0.1:PORT/devstoreaccount1 of an Azurite this session started."""
    with peer("azurite.sh", "CAIRN_AZURITE_PIDFILE") as exports:
        yield exports["CAIRN_TEST_AZURE_ENDPOINT"]


@pytest.fixture
def azure(cairn, azurite_endpoint) -> Blob:
    """Points `cairn` at Azurite with the development key; returns a Blob client."""
    cairn.env["AZURE_STORAGE_CONNECTION_STRING"] = connection_string(azurite_endpoint)
    return Blob(azurite_endpoint)


FILES = {"a.txt": b"alpha\n", "b/c.txt": b"gamma\n", "sp ace#1.txt": b"odd name\n"}


def test_track_get_verify_an_az_prefix(cairn, azure, tmp_path):
    container = azure.container()
    etags = azure.put_tree(container, "d/", FILES)
    azure.put(container, "d2/x.txt", b"sibling, not covered by d/")

    version = cairn.json("track", "ds", f"az://{container}/d")

    assert version["label"] == "ds:v0"
    assert version["files"] == 3
    assert version["size"] == sum(len(data) for data in FILES.values())
    assert version["digest"] == manifest_digest(etags)
    entries = cairn.json("show", "ds", "--files")["entries"]
    assert entries == [
        {
            "path": path,
            "ref": f"az://{container}/d/{path}",
            "size": len(FILES[path]),
            "digest": etags[path],
            "etag": etags[path],
            "checksum": True,
        }
        for path in sorted(FILES)
    ]
    root = tmp_path / "out"
    assert cairn.json("get", "ds:v0", "--root", root)["files"] == 3
    assert read_tree(root) == FILES
    assert cairn.ok("verify", "ds").out.splitlines()[-1] == (
        "ds:v0: 3 unchanged, 0 changed, 0 missing"
    )


def test_path_style_emulator_url_tracks_the_same_blobs(cairn, azure, azurite_endpoint):
    container = azure.container()
    etags = azure.put_tree(container, "d/", FILES)

    by_url = cairn.json("track", "url", f"{azurite_endpoint}/{container}/d/")
    by_az = cairn.json("track", "short", f"az://{container}/d/")

    assert by_url["digest"] == by_az["digest"] == manifest_digest(etags)
    assert by_url["files"] == 3


def test_overwritten_blob_fails_get_and_shows_in_verify(cairn, azure, tmp_path):
    container = azure.container()
    etags = azure.put_tree(container, "d/", FILES)
    cairn.ok("track", "ds", f"az://{container}/d/")
    new_etag = azure.put(container, "d/a.txt", b"ALPHA, rewritten\n")
    root = tmp_path / "out"

    outcome = cairn.fails(4, "get", "ds:v0", "--root", root)

    assert outcome.err == (
        "cairn: error: 1 entry changed since ds:v0 was logged: a.txt "
        f"(az://{container}/d/a.txt: etag now {new_etag}, recorded {etags['a.txt']}); "
        "no version pin holds the logged bytes, so log a new version to use the "
        "current data\n"
    )
    assert not root.exists()
    report = cairn("--json", "verify", "ds")
    assert report.code == 1, str(report)
    assert report.json()["changed"] == [
        {
            "path": "a.txt",
            "reason": f"etag {etags['a.txt']} -> {new_etag}, size 6 -> 17",
        }
    ]
    assert report.json()["unchanged"] == 2


def test_deleted_blob_fails_get_saying_deleted(cairn, azure, tmp_path):
    container = azure.container()
    azure.put_tree(container, "d/", FILES)
    cairn.ok("track", "ds", f"az://{container}/d/")
    azure.request("DELETE", f"{container}/d/a.txt")
    root = tmp_path / "out"

    outcome = cairn.fails(4, "get", "ds:v0", "--root", root)

    assert f"a.txt (az://{container}/d/a.txt: deleted)" in outcome.err
    assert not root.exists()


def test_diff_between_two_tracked_states(cairn, azure):
    container = azure.container()
    azure.put_tree(container, "d/", FILES)
    cairn.ok("track", "ds", f"az://{container}/d/")
    azure.put(container, "d/a.txt", b"alpha, second take\n")
    azure.put(container, "d/new.txt", b"new\n")

    assert cairn.json("track", "ds", f"az://{container}/d/")["label"] == "ds:v1"

    assert cairn.json("diff", "ds:v0", "ds:v1") == {
        "from": "ds:v0",
        "to": "ds:v1",
        "added": ["new.txt"],
        "removed": [],
        "changed": ["a.txt"],
    }


def test_wrong_account_key_exits_5_naming_account_and_variables(cairn, azure):
    container = azure.container()
    azure.put(container, "d/a.txt", b"alpha\n")
    wrong_key = base64.b64encode(b"a well-formed but wrong key").decode()
    cairn.env["AZURE_STORAGE_CONNECTION_STRING"] = connection_string(
        azure.endpoint, wrong_key
    )

    outcome = cairn.fails(5, "track", "ds", f"az://{container}/d/a.txt")

    assert f"stating az://{container}/d/a.txt: AuthorizationFailure (403" in outcome.err
    assert (
        "storage account devstoreaccount1 refused the credentials from "
        "AZURE_STORAGE_CONNECTION_STRING" in outcome.err
    )
    assert "AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY" in outcome.err
    assert wrong_key not in outcome.err + outcome.out


def test_sas_token_reads_and_never_reaches_output_or_manifest(cairn, azure):
    container = azure.container()
    etags = azure.put_tree(container, "d/", FILES)
    sas = azure.account_sas("rl")
    signature = urllib.parse.parse_qs(sas)["sig"][0]
    del cairn.env["AZURE_STORAGE_CONNECTION_STRING"]
    cairn.env["AZURE_STORAGE_SAS_TOKEN"] = sas
    cairn.env["AZURE_STORAGE_BLOB_ENDPOINT"] = azure.endpoint

    tracked = cairn("-vvv", "--json", "track", "ds", f"az://{container}/d/")
    exported = cairn.ok("--json", "export", "ds:v0")

    assert tracked.code == 0, str(tracked)
    assert tracked.json()["digest"] == manifest_digest(etags)
    assert "sig=REDACTED" in tracked.err
    for text in (tracked.out, tracked.err, exported.out):
        assert signature not in text
        assert urllib.parse.quote(signature, safe="") not in text
