# SPDX-License-Identifier: Apache-2.0
"""Fixtures for the end-to-end tests of the `cairn` command.

Every test runs the real binary (env CAIRN_BIN, default build/default/cli/cairn)
in a fresh CAIRN_HOME and working directory, with an environment that holds no
AWS settings of the machine. Tests that need S3 take the `s3` fixture: one moto
server per session on a free 127.0.0.1 port, dummy credentials and a fresh
bucket per call.
"""

import dataclasses
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
# Helpers shared with tests/python, such as azure_blob.
if str(ROOT / "tests/support") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests/support"))
from peers import peer  # noqa: E402 (found through the path above)

MOTO_START_TIMEOUT_S = 20
CAIRN_TIMEOUT_S = 120

# Dummy credentials moto accepts; never real ones.
MOTO_KEY_ID = "testing"
MOTO_SECRET = "testing"
MOTO_REGION = "us-east-1"


def cairn_binary() -> Path:
    path = Path(os.environ.get("CAIRN_BIN") or ROOT / "build/default/cli/cairn").resolve()
    if not path.is_file():
        pytest.exit(
            f"cairn binary not found at {path}: build it with "
            "`cmake --preset default && cmake --build --preset default` or set CAIRN_BIN",
            returncode=2,
        )
    return path


@dataclasses.dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)

    def __str__(self):
        return f"exit {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


class Cairn:
    """Runs the cairn binary with a controlled environment."""

    def __init__(self, binary: Path, home: Path, cwd: Path, env: dict):
        self.binary = binary
        self.home = home
        self.cwd = cwd
        self.env = env

    def command(self, *args) -> list:
        return [str(self.binary), *map(str, args)]

    def __call__(self, *args, env=None, cwd=None) -> Outcome:
        completed = subprocess.run(
            self.command(*args),
            env=env if env is not None else self.env,
            cwd=cwd or self.cwd,
            capture_output=True,
            text=True,
            timeout=CAIRN_TIMEOUT_S,
        )
        return Outcome(completed.returncode, completed.stdout, completed.stderr)

    def ok(self, *args, **kwargs) -> Outcome:
        outcome = self(*args, **kwargs)
        assert outcome.code == 0, f"cairn {' '.join(map(str, args))} failed:\n{outcome}"
        return outcome

    def json(self, *args, **kwargs):
        return self.ok("--json", *args, **kwargs).json()

    def fails(self, code: int, *args, **kwargs) -> Outcome:
        """Runs and asserts exit `code` with a "cairn: error:" line on stderr."""
        outcome = self(*args, **kwargs)
        assert outcome.code == code, f"expected exit {code}:\n{outcome}"
        assert outcome.err.startswith("cairn: error: "), str(outcome)
        return outcome


@pytest.fixture
def cairn(tmp_path) -> Cairn:
    home = tmp_path / "cairn-home"
    work = tmp_path / "work"
    user_home = tmp_path / "user-home"
    work.mkdir()
    user_home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(user_home),
        "CAIRN_HOME": str(home),
        # No AWS settings of this machine leak in.
        "AWS_SHARED_CREDENTIALS_FILE": str(user_home / "no-aws-credentials"),
        "AWS_CONFIG_FILE": str(user_home / "no-aws-config"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    return Cairn(cairn_binary(), home, work, env)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers_http(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        opener.open(url, timeout=1).close()
        return True
    except urllib.error.HTTPError:
        return True  # any HTTP status means the server is up
    except OSError:
        return False


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    moto_server = Path(sys.executable).parent / "moto_server"
    if not moto_server.exists():
        moto_server = ROOT / ".venv/bin/moto_server"
    if not moto_server.exists():
        pytest.fail(f"moto_server not found at {moto_server}; run scripts/bootstrap")

    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("moto") / "moto.log"
    env = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=MOTO_KEY_ID,
        AWS_SECRET_ACCESS_KEY=MOTO_SECRET,
        AWS_REGION=MOTO_REGION,
    )
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [str(moto_server), "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + MOTO_START_TIMEOUT_S
        while not _answers_http(endpoint + "/"):
            if server.poll() is not None:
                pytest.fail(
                    f"moto_server exited with {server.returncode} at start; "
                    f"log:\n{log_path.read_text()}\nrun scripts/bootstrap"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"moto_server did not answer on {endpoint} within "
                    f"{MOTO_START_TIMEOUT_S}s; log:\n{log_path.read_text()}"
                )
            time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class S3:
    """boto3 against moto, for arranging buckets and objects."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=MOTO_KEY_ID,
            aws_secret_access_key=MOTO_SECRET,
            region_name=MOTO_REGION,
        )

    def bucket(self, versioned: bool = True) -> str:
        name = f"e2e-{uuid.uuid4().hex[:16]}"
        self.client.create_bucket(Bucket=name)
        if versioned:
            self.client.put_bucket_versioning(
                Bucket=name, VersioningConfiguration={"Status": "Enabled"}
            )
        return name

    def put(self, bucket: str, key: str, data: bytes) -> dict:
        # moto stores a body sent with a form content type as empty.
        return self.client.put_object(
            Bucket=bucket, Key=key, Body=data, ContentType="application/octet-stream"
        )

    def put_tree(self, bucket: str, prefix: str, files: dict) -> dict:
        """Uploads {relative path: bytes} under prefix; returns {path: VersionId}."""
        return {
            relative: self.put(bucket, prefix + relative, data).get("VersionId")
            for relative, data in files.items()
        }


@pytest.fixture
def s3(cairn, moto_endpoint) -> S3:
    """Points `cairn` at moto with dummy credentials and returns a boto3 helper."""
    cairn.env.update(
        {
            "AWS_ACCESS_KEY_ID": MOTO_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": MOTO_SECRET,
            "AWS_REGION": MOTO_REGION,
            "AWS_S3_ENDPOINT_URL": moto_endpoint,
        }
    )
    return S3(moto_endpoint)


@pytest.fixture(scope="session")
def nginx():
    """Starts one nginx for the session; yields the exports of nginx.sh start."""
    with peer("nginx.sh", "CAIRN_NGINX_PIDFILE") as exports:
        yield exports


class Files:
    """Writes the files nginx serves, each test in a folder of its own."""

    def __init__(self, exports: dict, folder: str):
        self.exports = exports
        self.folder = folder
        self.root = Path(exports["CAIRN_TEST_HTTP_ROOT"]) / folder

    def write(self, name: str, data: bytes, mtime: float = None) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if mtime is not None:
            os.utime(path, (mtime, mtime))
        return path

    def url(self, name: str, server: str = "CAIRN_TEST_HTTP_ENDPOINT") -> str:
        return f"{self.exports[server]}/{self.folder}/{name}"

    def etag(self, name: str) -> str:
        """nginx's ETag: the file's mtime and size in hex."""
        status = (self.root / name).stat()
        return f"{int(status.st_mtime):x}-{status.st_size:x}"


@pytest.fixture
def files(nginx, tmp_path) -> Files:
    return Files(nginx, tmp_path.name)
