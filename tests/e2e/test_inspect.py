# SPDX-License-Identifier: Apache-2.0
"""cairn ls, show, history, diff and alias, and how unknown names fail."""

import pytest

from support import b64md5, write_tree


@pytest.fixture
def two_versions(cairn):
    """ds:v0 = {a, b/c, gone}; ds:v1 changes a, removes gone, adds new."""
    root = write_tree(
        cairn.cwd / "data", {"a.txt": b"a0", "b/c.txt": b"c", "gone.txt": b"g"}
    )
    cairn.ok("track", "ds", "data")
    (root / "a.txt").write_bytes(b"a1")
    (root / "gone.txt").unlink()
    (root / "new.txt").write_bytes(b"n")
    cairn.ok("track", "ds", "data")
    return root


def test_ls_lists_artifacts_with_latest_version(cairn, two_versions):
    write_tree(cairn.cwd / "other", {"x": b"x"})
    cairn.ok("track", "model", "other", "--type", "model")

    artifacts = cairn.json("ls")["artifacts"]

    assert [
        (a["name"], a["type"], a["versions"], a["latest"], a["files"], a["size"])
        for a in artifacts
    ] == [("ds", "dataset", 2, "v1", 3, 4), ("model", "model", 1, "v0", 1, 1)]
    text = cairn.ok("ls").out.splitlines()
    assert text[0].split() == [
        "NAME",
        "TYPE",
        "VERSIONS",
        "LATEST",
        "FILES",
        "SIZE",
        "UPDATED",
    ]
    assert text[1].split()[:7] == ["ds", "dataset", "2", "v1", "3", "4", "B"]


def test_ls_of_an_empty_project_says_how_to_start(cairn):
    outcome = cairn.ok("ls")
    assert outcome.out == ""
    assert outcome.err == (
        "cairn: no artifacts in project 'default' yet; add one with " "`cairn track`\n"
    )


def test_ls_name_lists_versions_oldest_first(cairn, two_versions):
    listing = cairn.json("ls", "ds")
    assert listing["name"] == "ds"
    assert [(v["version"], v["files"], v["aliases"]) for v in listing["versions"]] == [
        ("v0", 3, []),
        ("v1", 3, ["latest"]),
    ]


def test_show_defaults_to_latest_and_prints_the_record(cairn, two_versions):
    assert cairn.json("show", "ds")["version"] == "v1"
    assert cairn.json("show", "ds:v0")["version"] == "v0"
    assert cairn.json("show", "ds:latest")["version"] == "v1"

    lines = cairn.ok("show", "ds:v0").out.splitlines()
    assert lines[0] == "ds:v0"
    assert "  files        3" in lines
    assert "  size         4 B (4 bytes)" in lines
    assert "  aliases      (none)" in lines
    assert "  type         dataset" in lines


def test_show_files_lists_every_entry(cairn, two_versions):
    entries = cairn.json("show", "ds:v1", "--files")["entries"]
    assert [(e["path"], e["size"], e["digest"]) for e in entries] == [
        ("a.txt", 2, b64md5(b"a1")),
        ("b/c.txt", 1, b64md5(b"c")),
        ("new.txt", 1, b64md5(b"n")),
    ]
    assert all(e["ref"] == f"file://{two_versions}/{e['path']}" for e in entries)

    text = cairn.ok("show", "ds:v1", "--files").out
    assert f"file://{two_versions}/new.txt" in text
    assert b64md5(b"a1") in text


def test_history_shows_changes_since_the_previous_version(cairn, two_versions):
    history = cairn.json("history", "ds")["versions"]
    assert [(v["version"], v["changes"]) for v in history] == [
        ("v0", {"added": 3, "removed": 0, "changed": 0}),
        ("v1", {"added": 1, "removed": 1, "changed": 1}),
    ]
    lines = cairn.ok("history", "ds").out.splitlines()
    assert lines[0].split() == [
        "VERSION",
        "CREATED",
        "FILES",
        "SIZE",
        "CHANGES",
        "RUN",
        "ALIASES",
    ]
    assert lines[1].split()[0] == "v0" and "+3 -0 ~0" in lines[1]
    assert lines[2].split()[0] == "v1" and "+1 -1 ~1" in lines[2]
    assert lines[2].endswith("latest")


def test_diff_lists_added_removed_and_changed_paths(cairn, two_versions):
    assert cairn.json("diff", "ds:v0", "ds:v1") == {
        "from": "ds:v0",
        "to": "ds:v1",
        "added": ["new.txt"],
        "removed": ["gone.txt"],
        "changed": ["a.txt"],
    }
    assert cairn.ok("diff", "ds:v0", "ds:v1").out == (
        "ds:v0 -> ds:v1\n"
        "added    new.txt\n"
        "removed  gone.txt\n"
        "changed  a.txt\n"
        "1 added, 1 removed, 1 changed\n"
    )


def test_diff_of_a_version_with_itself_is_empty(cairn, two_versions):
    assert cairn.ok("diff", "ds:v1", "ds:latest").out == (
        "ds:v1 -> ds:v1\n0 added, 0 removed, 0 changed\n"
    )


def test_alias_points_at_a_version_and_moves(cairn, two_versions):
    assert cairn.ok("alias", "ds:v0", "best").out == "ds:best -> ds:v0\n"
    assert cairn.json("show", "ds:best")["version"] == "v0"

    moved = cairn.json("alias", "ds:v1", "best")

    assert (moved["version"], moved["aliases"]) == ("v1", ["best", "latest"])
    assert cairn.json("show", "ds:v0")["aliases"] == []


@pytest.mark.parametrize(
    "alias, fragment",
    [
        ("latest", 'alias "latest" always names the newest version'),
        ("v3", 'alias "v3" looks like a version number'),
        ("bad alias", 'alias name "bad alias" is invalid'),
    ],
)
def test_reserved_or_malformed_alias_is_a_usage_error(
    cairn, two_versions, alias, fragment
):
    outcome = cairn.fails(2, "alias", "ds:v0", alias)
    assert fragment in outcome.err


@pytest.mark.parametrize(
    "args",
    [
        ["show", "nope"],
        ["ls", "nope"],
        ["history", "nope"],
        ["get", "nope"],
        ["verify", "nope"],
        ["lineage", "nope:v0"],
        ["diff", "ds:v0", "nope:v0"],
    ],
)
def test_unknown_name_is_not_found_naming_what_exists(cairn, two_versions, args):
    outcome = cairn.fails(3, *args)
    assert outcome.err == (
        "cairn: error: collection default/nope not found: " "project default has ds\n"
    )


@pytest.mark.parametrize("spec", ["ds:v7", "ds:nosuch"])
def test_unknown_version_or_alias_is_not_found_naming_what_exists(
    cairn, two_versions, spec
):
    outcome = cairn.fails(3, "show", spec)
    assert outcome.err == (
        f"cairn: error: default/{spec} not found: collection default/ds "
        "has v0..v1; aliases: latest\n"
    )


def test_malformed_spec_is_a_usage_error(cairn, two_versions):
    outcome = cairn.fails(2, "show", "a:b:c")
    assert 'artifact spec "a:b:c" is malformed' in outcome.err
