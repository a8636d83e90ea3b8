# SPDX-License-Identifier: Apache-2.0
"""Runs the real wandb package's add_reference, offline and without an account, and
prints what it recorded as one JSON document: {"manifest": ..., "digest": ...} or
{"error": "<exception class>: <message>"}. The side-by-side tests call it in a child
process so that wandb's settings and imports stay out of the test process.

usage: python wandb_reference.py URI [--name NAME] [--no-checksum] [--max-objects N]
"""

import argparse
import json
import sys

import wandb


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("uri")
    parser.add_argument("--name")
    parser.add_argument("--no-checksum", action="store_true")
    parser.add_argument("--max-objects", type=int)
    args = parser.parse_args()

    artifact = wandb.Artifact("side-by-side", type="dataset")
    try:
        artifact.add_reference(
            args.uri,
            name=args.name,
            checksum=not args.no_checksum,
            max_objects=args.max_objects,
        )
    except Exception as error:  # the test compares what wandb raised
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        return 0
    print(
        json.dumps(
            {
                "manifest": artifact.manifest.to_manifest_json(),
                "digest": artifact.manifest.digest(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
