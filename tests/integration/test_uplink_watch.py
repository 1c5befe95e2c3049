"""The uplink watch really counts: pointed at the lab's own outside world, it sees the traffic."""
from __future__ import annotations

import pytest

from dockerlab.lessons.lesson import Lab
from tests import uplink_watch


def test_the_watch_counts_forwarded_container_packets(engine, lesson_id):
    if not uplink_watch.available(engine):
        pytest.fail("the uplink watch needs root, iptables and Docker's DOCKER-USER chain", pytrace=False)
    lab = Lab(engine, lesson_id)
    lab.docker("run -d --name watcher dockerlab/busybox sleep 1d", quiet=True)
    lab.outside_world(name="watchout")  # cabled to the host by dl-watchout-h: a stand-in uplink
    uplink_watch.start("dl-watchout-h", engine)
    try:
        assert uplink_watch.count("dl-watchout-h", engine) == 0
        lab.docker("exec watcher ping -c 3 -W 1 203.0.113.10", quiet=True)
        assert uplink_watch.count("dl-watchout-h", engine) >= 3
    finally:
        uplink_watch.stop("dl-watchout-h", engine)
    assert uplink_watch.count("dl-watchout-h", engine) == 0
