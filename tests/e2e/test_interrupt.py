# SPDX-License-Identifier: Apache-2.0
"""Ctrl-C during `cairn get`: the download stops, removes what it staged (and the
root it created) and exits 130. The data comes from a small HTTP server of this
file's own on 127.0.0.1 that can be told to send bodies slowly, so the signal
surely arrives mid-download."""

import http.server
import signal
import subprocess
import threading
import time

import pytest

SIZE = 4 * 1024 * 1024
CHUNK = 64 * 1024
DEADLINE_S = 20


class SlowFiles(http.server.BaseHTTPRequestHandler):
    """Serves one body at /data.bin; slowly once the server's `slow` is set."""

    def log_message(self, *args):
        pass

    def _headers(self, status=200):
        self.send_response(status)
        self.send_header("Content-Length", str(SIZE))
        self.send_header("ETag", '"fixed-etag"')
        self.end_headers()

    def do_HEAD(self):
        self._headers()

    def do_GET(self):
        self._headers()
        body = self.server.body
        for start in range(0, SIZE, CHUNK):
            if self.server.slow:
                time.sleep(0.05)
            try:
                self.wfile.write(body[start : start + CHUNK])
            except (BrokenPipeError, ConnectionResetError):
                return


@pytest.fixture
def slow_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SlowFiles)
    server.daemon_threads = True
    server.body = bytes(range(256)) * (SIZE // 256)
    server.slow = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_ctrl_c_during_get_exits_130_and_leaves_nothing(cairn, slow_server):
    url = f"http://127.0.0.1:{slow_server.server_address[1]}/data.bin"
    cairn.ok("track", "big", url)
    slow_server.slow = True
    root = cairn.cwd / "out"

    child = subprocess.Popen(
        cairn.command("get", "big", "--root", root),
        env=cairn.env,
        cwd=cairn.cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + DEADLINE_S
    while not list(root.glob(".cairn-staging-*")):
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the download never started staging"
        time.sleep(0.02)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=DEADLINE_S)

    assert child.returncode == 130, err
    assert err.startswith("cairn: interrupted; nothing half-written was left behind")
    assert not root.exists()
