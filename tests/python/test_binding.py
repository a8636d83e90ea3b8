# SPDX-License-Identifier: Apache-2.0
"""What the extension module itself promises: blocking calls release the GIL.

The peer here is a small S3 stand-in served by a thread of this same Python
process, on loopback: no emulator can show this, because the proof is that a
Python thread runs while cairn's C++ code waits for it. Were the GIL held during
the call, the server thread could not answer, and the call would fail after its
retries (5 stalls of 30 s) instead of returning the entry at once.
"""

from __future__ import annotations

import http.server
import threading

import pytest

import cairn

BODY = b"model weights"
ETAG = "0123456789abcdef0123456789abcdef"


class _HeadOnlyS3(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path != "/bucket/weights.bin":
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", f'"{ETAG}"')
        self.send_header("Content-Length", str(len(BODY)))
        self.send_header("Last-Modified", "Fri, 04 Dec 2026 12:00:00 GMT")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def python_s3(monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HeadOnlyS3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", f"http://127.0.0.1:{server.server_port}")
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_add_reference_releases_the_gil_while_it_waits_for_the_store(python_s3):
    draft = cairn.Artifact("model", type="model")

    added = draft.add_reference("s3://bucket/weights.bin")

    assert [(e.path, e.digest, e.size) for e in added] == [
        ("weights.bin", ETAG, len(BODY))]
