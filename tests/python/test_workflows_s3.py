# SPDX-License-Identifier: Apache-2.0
"""The four workflows of W&B's reference-artifact guide, written for cairn, on an
S3 bucket with versioning (moto on loopback)."""

from __future__ import annotations

import cairn
from helpers import read_tree, wandb_digest

DATASET = {
    "train/0.png": b"zero" * 10,
    "train/1.png": b"one" * 12,
    "test/2.png": b"two" * 7,
}


def put_dataset(s3) -> tuple[str, dict[str, str]]:
    bucket = s3.bucket()
    versions = s3.put_tree(bucket, "datasets/mnist/", DATASET)
    # A sibling prefix that must never be part of datasets/mnist/.
    s3.put(bucket, "datasets/mnist2/other.png", b"not mnist")
    return bucket, versions


def etags(s3, bucket: str, prefix: str) -> dict[str, str]:
    listing = s3.client.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return {o["Key"][len(prefix):]: o["ETag"].strip('"') for o in listing["Contents"]}


def test_track_an_s3_prefix_and_log_it(s3):
    bucket, versions = put_dataset(s3)
    expected_etags = etags(s3, bucket, "datasets/mnist/")

    with cairn.init(project="vision", job_type="dataset") as run:
        dataset = cairn.Artifact("mnist", type="dataset", metadata={"classes": 10})
        added = dataset.add_reference(f"s3://{bucket}/datasets/mnist/")
        run.log_artifact(dataset)

    assert [entry.path for entry in added] == ["test/2.png", "train/0.png", "train/1.png"]
    assert dataset.name == "mnist:v0"
    assert dataset.version == "v0"
    assert dataset.aliases == ["latest"]
    assert dataset.type == "dataset"
    assert dataset.metadata == {"classes": 10}
    assert dataset.size == sum(len(data) for data in DATASET.values())
    assert dataset.digest == wandb_digest(expected_etags)
    entry = dataset.get_entry("train/0.png")
    assert entry.ref == f"s3://{bucket}/datasets/mnist/train/0.png"
    assert entry.size == 40
    assert entry.digest == expected_etags["train/0.png"]
    assert entry.version_id == versions["train/0.png"]
    assert list(dataset.manifest.entries) == ["test/2.png", "train/0.png", "train/1.png"]
    assert dataset.logged_by().id == run.id


def test_download_latest_gives_the_logged_bytes_after_an_overwrite(s3):
    bucket, _ = put_dataset(s3)
    with cairn.init() as run:
        dataset = cairn.Artifact("mnist", type="dataset")
        dataset.add_reference(f"s3://{bucket}/datasets/mnist/")
        run.log_artifact(dataset)
    s3.put(bucket, "datasets/mnist/train/0.png", b"overwritten")

    with cairn.init(job_type="train") as run:
        root = run.use_artifact("mnist:latest").download()

    assert root.endswith("/artifacts/mnist:v0")
    assert read_tree(root) == DATASET
    assert [a.name for a in cairn.Api().runs()[0].used_artifacts()] == ["mnist:v0"]


def test_use_an_unlogged_artifact_in_one_call_then_download_it(s3, tmp_path):
    bucket, _ = put_dataset(s3)

    with cairn.init(job_type="train") as run:
        first = cairn.Artifact("mnist", type="dataset")
        first.add_reference(f"s3://{bucket}/datasets/mnist/")
        used = run.use_artifact(first)
        again = cairn.Artifact("mnist", type="dataset")
        again.add_reference(f"s3://{bucket}/datasets/mnist/")
        used_again = run.use_artifact(again)
        root = used.download(root=tmp_path / "out")

    assert used is first
    assert (used.version, used_again.version) == ("v0", "v0")
    assert [a.version for a in cairn.Api().artifact_versions("mnist")] == ["v0"]
    assert read_tree(root) == DATASET
    assert [r.id for r in used.used_by()] == [run.id]
    assert used.logged_by() is None


def test_log_a_model_uploaded_with_boto3_by_its_prefix(s3):
    bucket = s3.bucket()
    weights = bytes(range(256)) * 40
    s3.put(bucket, "models/run-7/model.bin", weights)
    s3.put(bucket, "models/run-7/config.json", b'{"layers": 3}')

    with cairn.init(job_type="train") as run:
        model = cairn.Artifact("classifier", type="model", description="3 layers")
        model.add_reference(f"s3://{bucket}/models/run-7/")
        run.log_artifact(model, aliases=["best"])

    best = cairn.Api().artifact("vision/classifier:best", type="model")
    assert best.version == "v0"
    assert best.aliases == ["best", "latest"]
    assert best.description == "3 layers"
    assert [e.path for e in best.files()] == ["config.json", "model.bin"]
    assert best.get_entry("model.bin").size == len(weights)
    assert best.logged_by().id == run.id
    assert read_tree(best.download()) == {
        "config.json": b'{"layers": 3}', "model.bin": weights}
