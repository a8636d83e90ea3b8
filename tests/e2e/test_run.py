# SPDX-License-Identifier: Apache-2.0
"""cairn run and cairn lineage: inputs, outputs after success, exit status passed
through, CAIRN_RUN_ID in the child, and the graph up and down from a version."""

import sys

import pytest

from support import write_tree

COUNT = (
    "import os, sys; "
    "n = sum(len(f) for _, _, f in os.walk(sys.argv[1])); "
    "open(sys.argv[2], 'w').write(str(n))"
)


@pytest.fixture
def dataset(cairn):
    write_tree(cairn.cwd / "data", {"a.txt": b"a", "b/c.txt": b"c", "d.txt": b"d"})
    cairn.ok("track", "ds", "data")
    return cairn.cwd / "data"


def test_run_records_inputs_outputs_and_exit_status(cairn, dataset):
    document = cairn.json(
        "run",
        "--name",
        "count",
        "--use",
        "ds:v0",
        "--log",
        "counts=count.txt",
        "--",
        sys.executable,
        "-c",
        COUNT,
        "data",
        "count.txt",
    )

    assert (cairn.cwd / "count.txt").read_text() == "3"
    run = document["run"]
    assert (run["name"], run["status"], run["exit_code"]) == ("count", "finished", 0)
    assert run["config"] == {
        "command": [sys.executable, "-c", COUNT, "data", "count.txt"]
    }
    assert document["exit_code"] == 0
    assert [v["label"] for v in document["inputs"]] == ["ds:v0"]
    assert [(v["label"], v["created"], v["files"]) for v in document["outputs"]] == [
        ("counts:v0", True, 1)
    ]
    assert cairn.json("show", "counts")["producer_run_id"] == run["id"]


def test_run_text_summary_goes_to_stderr_and_stdout_is_the_commands(cairn, dataset):
    outcome = cairn.ok("run", "--use", "ds:v0", "--", "echo", "hello")

    assert outcome.out == "hello\n"
    assert outcome.err == "cairn: run 1 'echo' finished (exit 0); used ds:v0\n"


def test_run_passes_the_exit_code_through_and_logs_no_outputs(cairn, dataset):
    outcome = cairn(
        "--json",
        "run",
        "--name",
        "fails",
        "--use",
        "ds:v0",
        "--log",
        "out=data",
        "--",
        "sh",
        "-c",
        "exit 7",
    )

    assert outcome.code == 7, str(outcome)
    document = outcome.json()
    assert (document["run"]["status"], document["run"]["exit_code"]) == ("failed", 7)
    assert document["outputs"] == []
    assert cairn.fails(3, "show", "out").err.startswith(
        "cairn: error: collection default/out not found"
    )

    text = cairn(
        "run", "--name", "fails", "--log", "out=data", "--", "sh", "-c", "exit 3"
    )
    assert text.code == 3
    assert text.err == (
        "cairn: run 2 'fails' failed (exit 3); outputs not logged because "
        "the command failed\n"
    )


def test_run_logs_no_output_when_one_of_its_outputs_is_missing(cairn, dataset):
    outcome = cairn.fails(
        3,
        "run",
        "--name",
        "half",
        "--log",
        "first=data",
        "--log",
        "second=missing.txt",
        "--",
        "true",
    )

    assert "file://" + str(cairn.cwd / "missing.txt") in outcome.err
    assert cairn.fails(3, "show", "first").err.startswith(
        "cairn: error: collection default/first not found"
    )


def test_run_reports_a_command_killed_by_a_signal_as_128_plus_signal(cairn):
    outcome = cairn("--json", "run", "--", "sh", "-c", "kill -TERM $$")
    assert outcome.code == 143, str(outcome)
    assert outcome.json()["run"]["exit_code"] == 143


def test_run_exports_run_id_home_and_project_to_the_command(cairn):
    script = 'printf "%s %s %s" "$CAIRN_RUN_ID" "$CAIRN_HOME" "$CAIRN_PROJECT" > env.txt'
    document = cairn.json("--project", "vision", "run", "--", "sh", "-c", script)

    assert (cairn.cwd / "env.txt").read_text() == (
        f"{document['run']['id']} {cairn.home} vision"
    )


def test_cairn_inside_a_run_adds_inputs_and_outputs_to_it(cairn, dataset):
    inner = (
        f"{cairn.binary} get ds:v0 --root in >&2 && {cairn.binary} track derived in >&2"
    )

    document = cairn.json("run", "--name", "derive", "--", "sh", "-c", inner)

    lineage = cairn.json("lineage", "derived:v0")
    assert lineage["upstream"][0]["run"]["id"] == document["run"]["id"]
    assert [v["label"] for v in lineage["upstream"][0]["inputs"]] == ["ds:v0"]


def test_run_of_a_missing_command_is_not_found(cairn):
    outcome = cairn.fails(3, "run", "--", "no-such-command-e2e")
    assert outcome.err == (
        "cairn: error: run 1: cannot run 'no-such-command-e2e': No such "
        "file or directory; check the command name and PATH\n"
    )


def test_run_with_an_unknown_input_fails_before_starting_the_command(cairn, dataset):
    outcome = cairn.fails(3, "run", "--use", "ds:v9", "--", "touch", "ran.txt")
    assert "default/ds:v9 not found" in outcome.err
    assert not (cairn.cwd / "ran.txt").exists()


def test_run_with_a_malformed_log_is_a_usage_error(cairn):
    outcome = cairn.fails(2, "run", "--log", "nameonly", "--", "true")
    assert "--log 'nameonly' is not NAME=URI" in outcome.err


def test_run_without_a_command_is_a_usage_error(cairn):
    cairn.fails(2, "run", "--name", "x")


def test_lineage_walks_upstream_and_downstream(cairn, dataset):
    first = cairn.json(
        "run",
        "--name",
        "count",
        "--use",
        "ds:v0",
        "--log",
        "counts=count.txt",
        "--",
        sys.executable,
        "-c",
        COUNT,
        "data",
        "count.txt",
    )
    second = cairn.json(
        "run",
        "--name",
        "report",
        "--use",
        "counts:v0",
        "--log",
        "report=count.txt",
        "--",
        "true",
    )
    first_id, second_id = first["run"]["id"], second["run"]["id"]

    down = cairn.json("lineage", "ds:v0")
    assert down["label"] == "ds:v0"
    assert down["upstream"] == []
    assert [n["run"]["id"] for n in down["downstream"]] == [first_id]
    outputs = down["downstream"][0]["outputs"]
    assert [o["label"] for o in outputs] == ["counts:v0"]
    assert [n["run"]["id"] for n in outputs[0]["runs"]] == [second_id]
    assert [o["label"] for o in outputs[0]["runs"][0]["outputs"]] == ["report:v0"]

    up = cairn.json("lineage", "report:v0")
    assert up["downstream"] == []
    assert [n["run"]["id"] for n in up["upstream"]] == [second_id]
    inputs = up["upstream"][0]["inputs"]
    assert [i["label"] for i in inputs] == ["counts:v0"]
    assert [n["run"]["name"] for n in inputs[0]["runs"]] == ["count"]
    assert [i["label"] for i in inputs[0]["runs"][0]["inputs"]] == ["ds:v0"]

    assert cairn.ok("lineage", "counts:v0").out == (
        "counts:v0\n"
        "upstream (runs that produced it, and their inputs):\n"
        f"  run {first_id} count [finished, exit 0]\n"
        "    used ds:v0\n"
        "downstream (runs that used it, and their outputs):\n"
        f"  run {second_id} report [finished, exit 0]\n"
        "    logged report:v0\n"
    )


def test_lineage_of_a_version_tracked_outside_runs_says_so(cairn, dataset):
    assert cairn.ok("lineage", "ds:v0").out == (
        "ds:v0\n"
        "upstream (runs that produced it, and their inputs):\n"
        "  none: tracked outside any run\n"
        "downstream (runs that used it, and their outputs):\n"
        "  none\n"
    )
