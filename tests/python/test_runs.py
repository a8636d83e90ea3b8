# SPDX-License-Identifier: Apache-2.0
"""Runs and lineage through cairn.init() and cairn.Api(): outcomes, config, the
current run, inputs and outputs, and the W&B manifest interchange."""

from __future__ import annotations

import json

import pytest

import cairn
from helpers import write_tree


def test_a_block_that_raises_records_a_failed_run():
    with pytest.raises(KeyError, match="boom"):
        with cairn.init(name="train", job_type="training", config={"lr": 0.1}):
            raise KeyError("boom")

    runs = cairn.Api().runs()
    assert [(r.name, r.status, r.exit_code) for r in runs] == [("train", "failed", 1)]
    assert runs[0].job_type == "training"
    assert runs[0].config == {"lr": 0.1}
    assert runs[0].finished_at is not None
    assert cairn.run is None


def test_finish_records_a_finished_run_once():
    run = cairn.init(project="other", name="prep")
    assert cairn.run is run
    assert run.status == "running"

    run.finish()
    run.finish()

    assert cairn.run is None
    assert run.status == "finished"
    assert [(r.name, r.status, r.exit_code) for r in cairn.Api("other").runs()] == [
        ("prep", "finished", 0)]
    assert cairn.Api().runs() == []


def test_init_takes_the_home_from_dir(tmp_path, env):
    with cairn.init(dir=tmp_path / "elsewhere", name="r"):
        pass

    assert (tmp_path / "elsewhere/registry.db").is_file()
    assert [r.name for r in cairn.Api(dir=tmp_path / "elsewhere").runs()] == ["r"]
    assert cairn.Api().runs() == []


def test_a_config_that_is_not_json_is_refused_before_the_run_starts():
    with pytest.raises(cairn.UsageError, match="config is not JSON-serialisable"):
        cairn.init(config={"when": object()})

    assert cairn.Api().runs() == []


def test_lineage_links_producer_and_consumer_runs(tmp_path):
    data = write_tree(tmp_path / "d", {"a.txt": b"alpha"})
    with cairn.init(name="prepare") as producer:
        logged = producer.log_artifact(_draft("mnist", data))
    with cairn.init(name="train") as consumer:
        consumer.use_artifact("mnist:v0")
        consumer.log_artifact(_draft("model", write_tree(tmp_path / "m", {"w": b"w"})))

    api = cairn.Api()
    version = api.artifact("mnist:v0")
    train = api.run(consumer.id)
    assert version.logged_by().name == "prepare"
    assert [r.name for r in version.used_by()] == ["train"]
    assert [a.name for a in train.used_artifacts()] == ["mnist:v0"]
    assert [a.name for a in train.logged_artifacts()] == ["model:v0"]
    assert [r.name for r in api.runs()] == ["train", "prepare"]
    assert api.artifact_collections() == ["mnist", "model"]
    assert logged.qualified_name == "vision/mnist:v0"


def test_a_changed_draft_makes_the_next_version_and_moves_latest(tmp_path):
    data = write_tree(tmp_path / "d", {"a.txt": b"alpha"})
    with cairn.init() as run:
        run.log_artifact(_draft("mnist", data))
        (data / "a.txt").write_bytes(b"alpha, edited")
        second = run.log_artifact(_draft("mnist", data), aliases=["candidate"])

    versions = cairn.Api().artifact_versions("mnist")
    assert [(a.version, a.aliases) for a in versions] == [
        ("v0", []), ("v1", ["candidate", "latest"])]
    assert second.version == "v1"
    assert cairn.Api().artifact("mnist:candidate").get_entry("a.txt").size == 13


def test_use_artifact_checks_the_type(tmp_path):
    with cairn.init() as run:
        run.log_artifact(_draft("mnist", write_tree(tmp_path / "d", {"a": b"a"})))
        with pytest.raises(cairn.UsageError) as raised:
            run.use_artifact("mnist:latest", type="model")

    assert str(raised.value) == "artifact mnist:v0 has type 'dataset', not 'model'"
    assert cairn.Api().runs()[0].used_artifacts() == []


def test_a_logged_artifact_cannot_change_and_a_draft_has_no_version(tmp_path):
    data = write_tree(tmp_path / "d", {"a": b"a"})
    draft = _draft("mnist", data)
    with pytest.raises(cairn.UsageError, match="mnist is a draft; log it first"):
        draft.version
    assert draft.is_draft()
    assert draft.aliases == []

    with cairn.init() as run:
        run.log_artifact(draft)

    assert not draft.is_draft()
    with pytest.raises(cairn.UsageError, match="mnist:v0 is logged and cannot change"):
        draft.add_reference(data)
    with pytest.raises(cairn.NotFoundError, match="has no entry 'b'"):
        draft.get_entry("b")


def test_wandb_manifest_files_move_references_in_and_out(tmp_path):
    data = write_tree(tmp_path / "d", {"a.txt": b"alpha", "b/c.txt": b"charlie"})
    with cairn.init() as run:
        original = run.log_artifact(_draft("mnist", data))
    original.to_wandb_manifest(tmp_path / "wandb_manifest.json")

    imported = cairn.Artifact.from_wandb_manifest(
        tmp_path / "wandb_manifest.json", name="mnist-copy", type="dataset")
    with cairn.init() as run:
        run.log_artifact(imported)

    written = json.loads((tmp_path / "wandb_manifest.json").read_text())
    assert written["version"] == 1
    assert sorted(written["contents"]) == ["a.txt", "b/c.txt"]
    assert imported.name == "mnist-copy:v0"
    assert imported.digest == original.digest
    assert imported.files() == original.files()


def _draft(name: str, folder) -> cairn.Artifact:
    draft = cairn.Artifact(name, type="dataset")
    draft.add_reference(folder)
    return draft
