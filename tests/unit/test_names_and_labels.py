"""One mapping of lab node names, one reader of labels, one no-DNS setting."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dockerlab import errors, labels
from dockerlab.host import cluster


@pytest.mark.parametrize("given", ["node1", "dl-node1"])
def test_a_node_by_hostname_or_container(given):
    assert cluster.node_index(given) == 1
    assert cluster.node_container(given) == "dl-node1"


def test_names_round_trip():
    for index in (1, 2, 12):
        assert cluster.node_index(cluster.node_name(index)) == index
        assert cluster.node_index(cluster.node_hostname(index)) == index


@pytest.mark.parametrize("given", ["dl-nodedl-node1", "node", "dl-node", "node0", "nodex", "web1", "dl-node1a"])
def test_what_is_no_node(given):
    assert cluster.node_index(given) is None
    with pytest.raises(errors.NotFound, match="dockerlab cluster status"):
        cluster.node_container(given)


def test_labels_are_read_from_any_object():
    own = {labels.MANAGED: "true", labels.LESSON: "04-user-networks"}
    assert labels.of({"Config": {"Labels": own}}) == own  # a container or an image
    assert labels.of({"Name": "n", "Labels": own}) == own  # a network, a volume, a `docker ps` entry
    assert labels.of({"Config": {"Labels": None}}) == {}
    assert labels.lesson_of(own) == "04-user-networks"
    assert labels.lesson_of({labels.LESSON: "04-user-networks"}) is None  # not the course's
    assert labels.lesson_of(None) is None


def test_the_no_dns_setting_is_the_loopback_address():
    assert labels.CONTAINED_DNS == ("127.0.0.1",)


PACKAGE = Path(__file__).resolve().parents[2] / "dockerlab"
MARK = re.compile(r"^(io\.dockerlab\.[\w.]+|dockerlab:[\w.-]*|dockerlab-\d\d[\w.-]*)$")
"""A label key, a host link's alias or a rule's comment, a hand-made namespace's name."""


def _written(tree: ast.AST):
    """String constants that are values in code (docstrings and ``prefix=`` of temporary folders left out)."""
    skipped = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    skipped |= {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg == "prefix"}
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped]


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py") if p.name != "labels.py"),
                         ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_reserved_names_and_the_courses_marks_are_written_in_labels_only(path):
    """Reserved lesson names, label keys, and the alias/comment/namespace marks: one place (labels.py)."""
    tree = ast.parse(path.read_text())
    literal_lessons = [ast.unparse(node) for node in ast.walk(tree) if isinstance(node, ast.keyword)
                       and node.arg == "lesson" and isinstance(node.value, ast.Constant)]
    assert not literal_lessons, f"name the lesson with a constant from labels.py: {literal_lessons}"
    named = [ast.unparse(node) for node in ast.walk(tree) if isinstance(node, ast.Assign)
             and isinstance(node.value, ast.Constant) and any(ast.unparse(t).endswith("LESSON") for t in node.targets)]
    assert not named, f"a reserved lesson name belongs in labels.py: {named}"
    marks = [node.value for node in _written(tree) if MARK.match(node.value)]
    assert not marks, f"use labels.py's constants or helpers for {marks}"


def test_the_marks_read_back():
    assert labels.host_link_alias("03-drivers") == "dockerlab:03-drivers"
    assert labels.rule_comment("12-namespaces") == "dockerlab:12-namespaces"
    assert labels.namespace_prefix("12-namespaces") == "dockerlab-12-" and labels.namespace_prefix(None) == "dockerlab-"
    assert len(set(labels.RESERVED)) == len(labels.RESERVED)
