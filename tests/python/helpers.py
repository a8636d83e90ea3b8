# SPDX-License-Identifier: Apache-2.0
"""Small helpers shared by the Python package's tests."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path


def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def read_tree(root: Path | str) -> dict[str, bytes]:
    root = Path(root)
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def md5_base64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def wandb_digest(entries: dict[str, str]) -> str:
    """W&B's artifact digest over {path: entry digest}, computed independently."""
    text = "wandb-artifact-manifest-v1\n"
    text += "".join(f"{path}:{entries[path]}\n" for path in sorted(entries))
    return hashlib.md5(text.encode()).hexdigest()

