# SPDX-License-Identifier: Apache-2.0
"""What help() shows: every public property and method of the package's classes
has a docstring, and the calls that open stores say how credentials are picked up."""

from __future__ import annotations

import inspect
import pydoc

import pytest

import cairn

CLASSES = [cairn.Api, cairn.Artifact, cairn.ArtifactManifest,
           cairn.ArtifactManifestEntry, cairn.Run, cairn.RunInfo, cairn.VerifyReport]


def public_members(cls: type) -> dict[str, object]:
    return {name: member for name, member in vars(cls).items()
            if not name.startswith("_")
            and (isinstance(member, property) or inspect.isfunction(member))}


def documented(member: object) -> bool:
    # A property bound without a docstring shows its signature, "(self) -> str".
    doc = (member.__doc__ or "").strip()
    return bool(doc) and not doc.startswith("(self)")


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_public_property_and_method_has_a_docstring(cls):
    undocumented = sorted(name for name, member in public_members(cls).items()
                          if not documented(member))

    assert undocumented == []


def test_help_on_artifact_shows_the_property_docs():
    text = pydoc.render_doc(cairn.Artifact, renderer=pydoc.plaintext)

    for line in ("digest\n |      W&B's artifact digest: hex MD5 over the sorted "
                 "`path:digest` lines.",
                 "entries\n |      Every entry, sorted by path (the same list as "
                 "files()).",
                 "id\n |      The version's id in the registry; a draft raises "
                 "UsageError.",
                 "manifest\n |      The entries as W&B's ArtifactManifest "
                 "(`manifest.entries` by path)."):
        assert line in text


def test_add_reference_and_init_say_how_new_credentials_are_picked_up():
    for doc in (cairn.Artifact.add_reference.__doc__, cairn.init.__doc__):
        text = " ".join(doc.split())
        assert "to pick up changed credentials, finish the run and call " \
            "cairn.init() again, or start a new process." in text.lower()
