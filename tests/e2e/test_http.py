# SPDX-License-Identifier: Apache-2.0
"""http(s) references against Debian's nginx on loopback (tests/scripts/nginx.sh):
one URL is one file, recorded with nginx's strong ETag, or hashed where the server
sends none; a redirect is followed but the original URL is recorded; a change
behind the URL shows in verify, get and diff."""

import os
import subprocess
import time
from pathlib import Path

import pytest
from support import b64md5


def test_track_records_the_url_and_etag_and_get_returns_the_same_bytes(cairn, files):
    data = bytes(range(256)) * 40
    files.write("weights.bin", data)
    url = files.url("weights.bin")

    cairn.ok("track", "model", url)

    entries = cairn.json("show", "model", "--files")["entries"]
    assert entries == [
        {
            "path": "weights.bin",
            "ref": url,
            "size": len(data),
            "digest": files.etag("weights.bin"),
            "checksum": True,
            "etag": files.etag("weights.bin"),
        }
    ]
    root = Path(cairn.ok("get", "model").out.strip())
    assert (root / "weights.bin").read_bytes() == data
    verify = cairn.ok("verify", "model")
    assert verify.out == "model:v0: 1 unchanged, 0 changed, 0 missing\n"


def test_changed_file_shows_in_verify_get_and_diff(cairn, files):
    files.write("a.txt", b"alpha\n", mtime=time.time() - 60)
    url = files.url("a.txt")
    cairn.ok("track", "ds", url)
    old_etag = files.etag("a.txt")
    files.write("a.txt", b"alpha, longer now\n")

    verify = cairn("--json", "verify", "ds")
    get = cairn.fails(4, "get", "ds:v0", "--root", cairn.cwd / "out")
    cairn.ok("track", "ds", url)

    assert verify.code == 1, str(verify)
    reason = f"etag {old_etag} -> {files.etag('a.txt')}, size 6 -> 18"
    assert verify.json()["changed"] == [{"path": "a.txt", "reason": reason}]
    assert "1 entry changed since ds:v0 was logged: a.txt (" + url in get.err
    assert not (cairn.cwd / "out").exists()
    assert cairn.json("diff", "ds:v0", "ds:v1") == {
        "from": "ds:v0",
        "to": "ds:v1",
        "added": [],
        "removed": [],
        "changed": ["a.txt"],
    }


def test_server_without_etag_gets_a_content_hash_that_sees_a_same_size_change(
    cairn, files
):
    # W&B records the URL itself as the digest here, which no change can alter;
    # cairn hashes the bytes (base64 MD5, as for local files) instead.
    stamp = time.time() - 60
    files.write("n.txt", b"version 1\n", mtime=stamp)
    url = files.url("n.txt", "CAIRN_TEST_HTTP_NOETAG_ENDPOINT")
    cairn.ok("track", "ds", url)
    # Same length and the same Last-Modified: only the bytes tell the change.
    files.write("n.txt", b"version 2\n", mtime=stamp)

    entries = cairn.json("show", "ds", "--files")["entries"]
    verify = cairn("--json", "verify", "ds")
    get = cairn.fails(4, "get", "ds", "--root", cairn.cwd / "out")

    old, new = b64md5(b"version 1\n"), b64md5(b"version 2\n")
    assert entries == [
        {"path": "n.txt", "ref": url, "size": 10, "digest": old, "checksum": True}
    ]
    assert verify.code == 1, str(verify)
    reason = f"md5 {old} -> {new}"
    assert verify.json()["changed"] == [{"path": "n.txt", "reason": reason}]
    assert f"{url}: md5 now {new}, recorded {old}" in get.err


def test_redirect_is_followed_and_the_original_url_recorded(cairn, files, nginx):
    files.write("r.bin", b"behind a redirect")
    url = files.url("r.bin").replace(
        nginx["CAIRN_TEST_HTTP_ENDPOINT"], nginx["CAIRN_TEST_HTTP_ENDPOINT"] + "/redirect"
    )

    cairn.ok("track", "ds", url)

    entries = cairn.json("show", "ds", "--files")["entries"]
    assert [(e["path"], e["ref"], e["digest"]) for e in entries] == [
        ("r.bin", url, files.etag("r.bin"))
    ]
    root = Path(cairn.ok("get", "ds").out.strip())
    assert (root / "r.bin").read_bytes() == b"behind a redirect"


def test_server_refusing_head_is_tracked_by_a_ranged_get(cairn, files):
    files.write("h.bin", b"0123456789")
    url = files.url("h.bin", "CAIRN_TEST_HTTP_NOHEAD_ENDPOINT")

    cairn.ok("track", "ds", url)

    entries = cairn.json("show", "ds", "--files")["entries"]
    assert [(e["size"], e["digest"]) for e in entries] == [(10, files.etag("h.bin"))]


def test_missing_url_is_not_found_naming_it(cairn, files):
    url = files.url("absent.bin") + "?id=1"

    outcome = cairn.fails(3, "track", "ds", url)

    assert f"stating {url}: not found (404)" in outcome.err


def test_folder_url_is_a_usage_error_saying_to_reference_each_file(cairn, files):
    files.write("dir/a.txt", b"a")

    outcome = cairn.fails(2, "track", "ds", files.url("dir/"))

    assert outcome.err == (
        f"cairn: error: listing {files.url('dir/')}: an http URL names one file and a "
        "web server has no listing; reference each file by its own URL\n"
    )


def test_signed_url_is_refused_since_its_ref_would_record_the_secret(cairn, files):
    files.write("s.bin", b"signed")
    url = files.url("s.bin") + "?X-Amz-Signature=s3cr3t&id=3"

    outcome = cairn.fails(2, "track", "ds", url)

    shown = files.url("s.bin") + "?X-Amz-Signature=REDACTED&id=3"
    assert f"reference {shown} carries a secret in its query" in outcome.err
    assert "cairn never writes a secret into a manifest" in outcome.err
    assert "s3cr3t" not in outcome.err
    cairn.fails(3, "show", "ds")


def test_unchecked_url_that_disappeared_is_missing_in_verify_and_get(cairn, files):
    files.write("u.txt", b"unchecked")
    url = files.url("u.txt")
    cairn.ok("track", "ds", url, "--no-checksum")
    first = Path(cairn.ok("get", "ds", "--root", cairn.cwd / "first").out.strip())
    (files.root / "u.txt").unlink()

    verify = cairn("--json", "verify", "ds")
    get = cairn("get", "ds", "--root", cairn.cwd / "second")

    assert (first / "u.txt").read_bytes() == b"unchecked"
    assert verify.code == 1, str(verify)
    assert verify.json()["missing"] == ["u.txt"]
    assert get.code == 3, str(get)
    assert get.err.splitlines()[-1] == (
        f"cairn: error: downloading entry u.txt: stating {url}: not found (404): "
        "the server has no file at this URL; check the URL"
    )


def test_bearer_token_goes_to_the_listed_host_and_not_along_a_redirect(
    cairn, files, nginx
):
    files.write("t.bin", b"behind a token")
    main = nginx["CAIRN_TEST_HTTP_ENDPOINT"].rsplit(":", 1)[1]
    mirror = nginx["CAIRN_TEST_HTTP_MIRROR_ENDPOINT"].rsplit(":", 1)[1]
    url = f"{nginx['CAIRN_TEST_HTTP_ENDPOINT']}/redirect/{files.folder}/t.bin"
    cairn.env.update(
        {
            "CAIRN_HTTP_BEARER_TOKEN": "tok-e2e",
            "CAIRN_HTTP_BEARER_HOSTS": f"127.0.0.1:{main}",
        }
    )

    tracked = cairn.ok("-vvv", "track", "ds", url)
    cairn.ok("get", "ds")

    access_log = Path(nginx["CAIRN_TEST_HTTP_ROOT"]).parent / "access.log"
    lines = [line for line in access_log.read_text().splitlines() if files.folder in line]
    assert lines == [
        f"{main} HEAD /redirect/{files.folder}/t.bin authorization=yes",
        f"{mirror} HEAD /{files.folder}/t.bin authorization=no",
        # track reads the file once for its MD5 (a web server's ETag may not change
        # with the bytes), then get reads it.
        f"{main} GET /redirect/{files.folder}/t.bin authorization=yes",
        f"{mirror} GET /{files.folder}/t.bin authorization=no",
        f"{main} GET /redirect/{files.folder}/t.bin authorization=yes",
        f"{mirror} GET /{files.folder}/t.bin authorization=no",
    ]
    assert "following redirect status=302" in tracked.err
    assert "tok-e2e" not in tracked.err


def test_same_size_rewrite_keeping_the_etag_is_caught_by_md5(cairn, files):
    # nginx's ETag is the file's mtime in seconds and its size: a same-size rewrite
    # within one second (here: the mtime put back) keeps it.
    stamp = time.time() - 60
    before, after = b"a,b\n1,2\n", b"a,b\n9,9\n"
    files.write("racy.csv", before, mtime=stamp)
    etag = files.etag("racy.csv")
    cairn.ok("track", "ds", files.url("racy.csv"))
    files.write("racy.csv", after, mtime=stamp)
    assert files.etag("racy.csv") == etag

    verify = cairn("--json", "verify", "ds")
    get = cairn.fails(4, "get", "ds", "--root", cairn.cwd / "out")

    assert verify.code == 1, str(verify)
    assert verify.json()["changed"] == [
        {"path": "racy.csv", "reason": f"md5 {b64md5(before)} -> {b64md5(after)}"}
    ]
    assert "racy.csv" in get.err
    assert not (cairn.cwd / "out").exists()
