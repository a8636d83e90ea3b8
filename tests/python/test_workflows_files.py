# SPDX-License-Identifier: Apache-2.0
"""The four workflows of W&B's reference-artifact guide on file:// folders, and
what happens when a referenced file is overwritten."""

from __future__ import annotations

import pytest

import cairn
from helpers import md5_base64, read_tree, wandb_digest, write_tree

DATASET = {"train/0.png": b"zero" * 10, "train/1.png": b"one" * 12, "test/2.png": b"two"}


@pytest.fixture
def dataset_dir(tmp_path):
    write_tree(tmp_path / "data2", {"other.png": b"a sibling, never included"})
    return write_tree(tmp_path / "data", DATASET)


def log_dataset(uri: str) -> cairn.Artifact:
    with cairn.init(job_type="dataset") as run:
        dataset = cairn.Artifact("mnist", type="dataset")
        dataset.add_reference(uri)
        return run.log_artifact(dataset)


def test_track_a_folder_and_log_it(dataset_dir):
    dataset = log_dataset(dataset_dir.as_uri())

    assert dataset.name == "mnist:v0"
    paths = [e.path for e in dataset.files()]
    assert paths == ["test/2.png", "train/0.png", "train/1.png"]
    entry = dataset.get_entry("train/1.png")
    assert entry.ref == (dataset_dir / "train/1.png").as_uri()
    assert entry.digest == md5_base64(b"one" * 12)
    assert entry.size == 36
    assert entry.version_id is None
    assert dataset.digest == wandb_digest({p: md5_base64(d) for p, d in DATASET.items()})


def test_download_latest_is_byte_identical(dataset_dir, tmp_path):
    log_dataset(str(dataset_dir))

    with cairn.init(job_type="train") as run:
        root = run.use_artifact("mnist:latest", type="dataset").download(tmp_path / "out")

    assert root == str(tmp_path / "out")
    assert read_tree(root) == DATASET


def test_use_an_unlogged_folder_artifact_in_one_call(dataset_dir):
    with cairn.init(job_type="train") as run:
        first = cairn.Artifact("mnist", type="dataset")
        first.add_reference(str(dataset_dir))
        again = cairn.Artifact("mnist", type="dataset")
        again.add_reference(str(dataset_dir))
        used = run.use_artifact(first)
        used_again = run.use_artifact(again)
        root = used.download()

    assert (used.version, used_again.version) == ("v0", "v0")
    assert len(cairn.Api().artifact_versions("vision/mnist")) == 1
    assert read_tree(root) == DATASET


def test_log_a_model_file_by_its_folder(tmp_path):
    weights = bytes(range(256)) * 8
    write_tree(tmp_path / "models/run-7", {"model.bin": weights})

    with cairn.init(job_type="train") as run:
        model = cairn.Artifact("classifier", type="model")
        model.add_reference((tmp_path / "models/run-7").as_uri())
        run.log_artifact(model, aliases=["best"])

    best = cairn.Api().artifact("classifier:best")
    assert best.version == "v0"
    assert best.get_entry("model.bin").digest == md5_base64(weights)
    assert read_tree(best.download()) == {"model.bin": weights}


def test_an_overwritten_file_fails_the_download_naming_it(dataset_dir, tmp_path):
    log_dataset(str(dataset_dir))
    (dataset_dir / "train/0.png").write_bytes(b"retrained")
    version = cairn.Api().artifact("mnist:v0")

    with pytest.raises(cairn.DataChangedError) as raised:
        version.download(tmp_path / "out")

    assert isinstance(raised.value, RuntimeError)
    assert raised.value.code == "failed_precondition"
    assert raised.value.exit_code == 4
    assert str(raised.value).startswith(
        "1 entry changed since mnist:v0 was logged: train/0.png (")
    assert not (tmp_path / "out").exists()
    report = version.verify()
    assert (report.ok, report.unchanged) == (False, ["test/2.png", "train/1.png"])
    assert [line.split(":")[0] for line in report.changed] == ["train/0.png"]


def test_a_deleted_file_is_left_out_when_missing_references_are_allowed(
        dataset_dir, tmp_path):
    log_dataset(str(dataset_dir))
    (dataset_dir / "test/2.png").unlink()
    version = cairn.Api().artifact("mnist")

    with pytest.raises(cairn.DataChangedError):
        version.download(tmp_path / "strict")
    root = version.download(tmp_path / "lenient", allow_missing_references=True)

    assert read_tree(root) == {k: v for k, v in DATASET.items() if k != "test/2.png"}
    assert not (tmp_path / "strict").exists()


def test_verify_with_a_root_checks_the_downloaded_copy(dataset_dir, tmp_path):
    version = log_dataset(str(dataset_dir))
    root = tmp_path / "out"
    version.download(root)
    (root / "train/0.png").write_bytes(b"edited")
    (root / "test/2.png").unlink()

    report = version.verify(root)

    assert report.ok is False
    assert report.unchanged == ["train/1.png"]
    assert report.changed == ["train/0.png: size 40 -> 6"]
    assert report.missing == ["test/2.png"]
    assert version.verify().ok is True
