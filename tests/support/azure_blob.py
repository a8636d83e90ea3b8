# SPDX-License-Identifier: Apache-2.0
"""A minimal Azure Blob REST client signed with Shared Key, for tests that arrange
containers and blobs in Azurite (tests/scripts/azurite.sh) before cairn reads them.

Standard library only; shared by tests/e2e and tests/python, whose conftest.py put
this folder on sys.path. It speaks to Azurite's documented development account
only, never to a real one.
"""

import base64
import datetime
import hashlib
import hmac
import urllib.error
import urllib.parse
import urllib.request
import uuid
from email.utils import formatdate

ACCOUNT = "devstoreaccount1"
# Azurite's documented development key: public, never a real secret.
DEV_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"
    "K1SZFPTOtr/KBHBeksoGMGw=="
)
API_VERSION = "2021-08-06"


def connection_string(endpoint: str, key: str = DEV_KEY) -> str:
    """AZURE_STORAGE_CONNECTION_STRING for the development account at endpoint
    (http://127.0.0.1:PORT/devstoreaccount1)."""
    return (
        f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={key};"
        f"BlobEndpoint={endpoint};"
    )


class Blob:
    """A minimal Blob REST client signed with Shared Key, for arranging data."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        parts = urllib.parse.urlsplit(endpoint)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.root_path = parts.path
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _sign(self, method, path, query, headers, body):
        lower = {name.lower(): value for name, value in headers.items()}
        fields = [
            method,
            "",
            "",
            str(len(body)) if body else "",
            "",
            lower.get("content-type", ""),
            "",
            "",
            lower.get("if-match", ""),
            "",
            "",
            lower.get("range", ""),
        ]
        text = "\n".join(fields) + "\n"
        text += "".join(
            f"{n}:{lower[n]}\n" for n in sorted(lower) if n.startswith("x-ms-")
        )
        text += f"/{ACCOUNT}{path}"
        text += "".join(f"\n{name}:{query[name]}" for name in sorted(query))
        key = base64.b64decode(DEV_KEY)
        digest = hmac.new(key, text.encode(), hashlib.sha256).digest()
        return f"SharedKey {ACCOUNT}:{base64.b64encode(digest).decode()}"

    def request(self, method, name, query=None, body=b"", headers=None):
        query = query or {}
        headers = dict(headers or {})
        headers["x-ms-date"] = formatdate(usegmt=True)
        headers["x-ms-version"] = API_VERSION
        headers.setdefault("Content-Type", "application/octet-stream")
        path = self.root_path + "/" + urllib.parse.quote(name, safe="/")
        url = self.origin + path
        if query:
            url += "?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
        headers["Authorization"] = self._sign(method, path, query, headers, body)
        data = body if method == "PUT" else None
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.headers
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {name}: {error.code} {error.read()!r}")

    def container(self) -> str:
        name = f"e2e-{uuid.uuid4().hex[:16]}"
        self.request("PUT", name, {"restype": "container"})
        return name

    def put(self, container: str, name: str, data: bytes) -> str:
        """Uploads a block blob and returns its ETag without quotes."""
        _, headers = self.request(
            "PUT",
            f"{container}/{name}",
            body=data,
            headers={"x-ms-blob-type": "BlockBlob"},
        )
        return headers["ETag"].strip('"')

    def put_tree(self, container: str, prefix: str, files: dict) -> dict:
        """Uploads {relative path: bytes} under prefix; returns {path: ETag}."""
        return {
            path: self.put(container, prefix + path, data) for path, data in files.items()
        }

    def account_sas(self, permissions: str) -> str:
        expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
            hours=1
        )
        se = expiry.strftime("%Y-%m-%dT%H:%M:%SZ")
        text = (
            f"{ACCOUNT}\n{permissions}\nb\nsco\n\n{se}\n\nhttps,http\n{API_VERSION}\n\n"
        )
        digest = hmac.new(base64.b64decode(DEV_KEY), text.encode(), hashlib.sha256)
        fields = {
            "sv": API_VERSION,
            "ss": "b",
            "srt": "sco",
            "sp": permissions,
            "se": se,
            "spr": "https,http",
            "sig": base64.b64encode(digest.digest()).decode(),
        }
        return urllib.parse.urlencode(fields, quote_via=urllib.parse.quote)
