# SPDX-License-Identifier: Apache-2.0
"""A run started with cairn.init() and never finished is finished when the
interpreter exits, as W&B does: failed after an uncaught exception, else finished.
Each case runs a child interpreter on the test's CAIRN_HOME and reads the result
back here."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import cairn
from helpers import write_tree

# The child logs a one-file artifact, so the run has an output to check too.
PRELUDE = """
import sys
import cairn

run = cairn.init(name="child", job_type="train")
draft = cairn.Artifact("d", type="dataset")
draft.add_reference(sys.argv[1])
run.log_artifact(draft)
"""


def run_child(body: str, data) -> subprocess.CompletedProcess[str]:
    source = PRELUDE + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", source, str(data)], text=True,
                          capture_output=True, timeout=60, env=dict(os.environ))


def only_run() -> cairn.RunInfo:
    runs = cairn.Api().runs()
    assert [r.name for r in runs] == ["child"]
    return runs[0]


def test_a_run_left_open_is_finished_at_a_normal_exit(tmp_path):
    data = write_tree(tmp_path / "d", {"a.txt": b"alpha"})

    child = run_child("print('done')", data)

    assert (child.returncode, child.stdout, child.stderr) == (0, "done\n", "")
    run = only_run()
    assert (run.status, run.exit_code) == ("finished", 0)
    assert run.finished_at is not None
    assert [a.name for a in run.logged_artifacts()] == ["d:v0"]


def test_an_uncaught_exception_fails_the_open_run(tmp_path):
    data = write_tree(tmp_path / "d", {"a.txt": b"alpha"})

    child = run_child("raise KeyError('boom')", data)

    assert child.returncode == 1
    # The default hook still prints the traceback.
    assert child.stderr.startswith("Traceback (most recent call last):\n")
    assert child.stderr.endswith("KeyError: 'boom'\n")
    run = only_run()
    assert (run.status, run.exit_code) == ("failed", 1)


def test_the_excepthook_found_at_init_is_still_called(tmp_path):
    data = write_tree(tmp_path / "d", {"a.txt": b"alpha"})
    source = ("import sys\n"
              "sys.excepthook = lambda *_: print('own hook', file=sys.stderr)\n"
              + PRELUDE + "raise ValueError('bad')\n")

    child = subprocess.run([sys.executable, "-c", source, str(data)], text=True,
                           capture_output=True, timeout=60, env=dict(os.environ))

    assert (child.returncode, child.stderr) == (1, "own hook\n")
    assert (only_run().status, only_run().exit_code) == ("failed", 1)


def test_a_hook_installed_after_init_that_drops_cairns_hides_the_exception(tmp_path):
    # The shortcoming init()'s docstring states: cairn never sees the exception.
    data = write_tree(tmp_path / "d", {"a.txt": b"alpha"})

    child = run_child("""
        sys.excepthook = lambda *_: print("own hook", file=sys.stderr)
        raise ValueError("bad")
        """, data)

    assert (child.returncode, child.stderr) == (1, "own hook\n")
    assert (only_run().status, only_run().exit_code) == ("finished", 0)


def test_a_forked_child_leaves_the_run_to_its_parent(tmp_path):
    data = write_tree(tmp_path / "d", {"a.txt": b"alpha"})

    child = run_child("""
        import os
        pid = os.fork()
        if pid == 0:
            sys.exit(0)
        os.waitpid(pid, 0)
        print(cairn.Api().runs()[0].status)
        """, data)

    assert (child.returncode, child.stdout, child.stderr) == (0, "running\n", "")
    assert (only_run().status, only_run().exit_code) == ("finished", 0)


def test_a_finished_run_is_left_as_it_was(tmp_path):
    data = write_tree(tmp_path / "d", {"a.txt": b"alpha"})

    child = run_child("run.finish(3)\nraise KeyError('after')", data)

    assert child.returncode == 1
    run = only_run()
    assert (run.status, run.exit_code) == ("failed", 3)
