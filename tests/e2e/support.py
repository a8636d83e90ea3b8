# SPDX-License-Identifier: Apache-2.0
"""Helpers the end-to-end tests share: expected digests and file trees."""

import base64
import hashlib
from pathlib import Path


def b64md5(data: bytes) -> str:
    """The digest cairn (and W&B) records for a local file."""
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def hexmd5(data: bytes) -> str:
    """The ETag S3 reports for a single-part upload, which is an S3 entry's digest."""
    return hashlib.md5(data).hexdigest()


def manifest_digest(entries: dict) -> str:
    """W&B's artifact digest over {path: entry digest}."""
    text = "wandb-artifact-manifest-v1\n" + "".join(
        f"{path}:{entries[path]}\n" for path in sorted(entries)
    )
    return hashlib.md5(text.encode()).hexdigest()


def write_tree(root: Path, files: dict) -> Path:
    """Writes {relative path: bytes} under root and returns root."""
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def read_tree(root: Path) -> dict:
    """{relative path: bytes} of every file under root."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
