"""One mapping of lab node names, one reader of labels, one no-DNS setting."""
from __future__ import annotations

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
