# SPDX-License-Identifier: Apache-2.0
"""Global behaviour of the cairn command: version, help, usage errors, global
flags, JSON error documents."""

from support import write_tree

COMMANDS = [
    "track",
    "get",
    "ls",
    "show",
    "history",
    "diff",
    "alias",
    "verify",
    "run",
    "lineage",
]


def test_version_prints_the_project_version(cairn):
    outcome = cairn.ok("--version")
    assert outcome.out == "cairn 0.1.0\n"


def test_help_lists_every_command_and_every_exit_code(cairn):
    outcome = cairn.ok("--help")
    for command in COMMANDS:
        assert f"\n  {command} " in outcome.out
    for line in [
        "  0   success",
        "  1   verify found changed or missing entries",
        "  2   usage error",
        "  3   not found",
        "  4   the data behind a reference",
        "  5   missing, invalid or insufficient credentials",
        "  6   a limit was hit",
        "  7   network failure",
        "  8   conflict",
        "  10  internal error",
    ]:
        assert line in outcome.out


def test_no_command_is_a_usage_error(cairn):
    outcome = cairn.fails(2)
    assert outcome.err == (
        "cairn: error: A subcommand is required\n" "Run 'cairn --help' for usage.\n"
    )
    assert outcome.out == ""


def test_unknown_command_is_named_with_the_commands_that_exist(cairn):
    outcome = cairn.fails(2, "--home", cairn.home, "frobnicate")
    assert (
        "unknown command 'frobnicate'; the commands are " + ", ".join(COMMANDS)
        in outcome.err
    )


def test_unknown_flag_is_a_usage_error(cairn):
    outcome = cairn.fails(2, "ls", "--colour")
    assert "--colour" in outcome.err


def test_global_flags_work_after_the_command(cairn):
    assert cairn.json("ls") == {"project": "default", "artifacts": []}
    assert cairn.ok("ls", "--json").json() == {"project": "default", "artifacts": []}


def test_projects_are_separate_namespaces_chosen_by_flag_or_env(cairn):
    write_tree(cairn.cwd / "data", {"a.txt": b"a"})
    cairn.ok("--project", "vision", "track", "ds", "data")

    assert cairn.json("ls")["artifacts"] == []
    assert [a["name"] for a in cairn.json("--project", "vision", "ls")["artifacts"]] == [
        "ds"
    ]
    env = dict(cairn.env, CAIRN_PROJECT="vision")
    assert cairn.json("ls", env=env)["project"] == "vision"
    assert [a["name"] for a in cairn.json("ls", env=env)["artifacts"]] == ["ds"]


def test_home_flag_overrides_cairn_home(cairn, tmp_path):
    write_tree(cairn.cwd / "data", {"a.txt": b"a"})
    other = tmp_path / "other-home"
    cairn.ok("--home", other, "track", "ds", "data")

    assert (other / "registry.db").is_file()
    assert cairn.json("ls")["artifacts"] == []
    assert [a["name"] for a in cairn.json("--home", other, "ls")["artifacts"]] == ["ds"]


def test_failure_with_json_prints_an_error_document_and_the_error_line(cairn):
    outcome = cairn.fails(3, "--json", "show", "nope")
    assert outcome.json() == {
        "error": {
            "code": "not_found",
            "exit_code": 3,
            "message": "collection default/nope not found: "
            "project default has no collections",
        }
    }
    assert outcome.err == (
        "cairn: error: collection default/nope not found: "
        "project default has no collections\n"
    )


def test_usage_error_with_json_prints_an_error_document(cairn):
    outcome = cairn.fails(2, "--json", "diff", "x:v0")

    assert outcome.json() == {
        "error": {"code": "invalid_argument", "message": "to is required", "exit_code": 2}
    }


def test_quiet_and_json_print_nothing_extra_on_stderr(cairn):
    write_tree(cairn.cwd / "data", {"a.txt": b"a"})
    assert cairn.ok("-q", "track", "ds", "data").err == ""
    assert cairn.ok("--json", "track", "ds", "data").err == ""
