"""The host helper's read of the kernel's links: a helper that could not run it is made again, once."""
from __future__ import annotations

import pytest

from dockerlab import errors
from dockerlab.host import probe


class HelperEngine:
    """An engine whose helper container fails ``exec`` the first ``failures`` times (it was stopping)."""

    def __init__(self, failures: int):
        self.failures, self.made = failures, 0

    def container(self, name):
        if name == probe.HELPER_NAME:
            return {"State": {"Running": True}}
        return {"State": {"Pid": 4242}}

    def remove_labelled(self, lesson):
        pass

    def run(self, *args, **kwargs):
        self.made += 1

    def exec(self, name, command):
        if self.failures:
            self.failures -= 1
            return 126, "OCI runtime exec failed: exec failed: container is stopping: unknown"
        return 0, "host 4026531840 eth0\nH lo 1 1 00:00:00:00:00:00 772 - - - 0 65536\npid 4242 4026532999\n"


def test_a_helper_that_could_not_read_is_made_again_and_read_again():
    engine = HelperEngine(failures=1)
    facts = probe._helper_kernel_facts(engine, ["c1"])
    assert facts["host_netns"] == "4026531840" and facts["container_netns"] == {"c1": "4026532999"}
    assert engine.made == 1


def test_a_helper_that_never_reads_says_so_with_the_engine_s_words():
    with pytest.raises(errors.CommandRefused) as refused:
        probe._helper_kernel_facts(HelperEngine(failures=2), ["c1"])
    assert "container is stopping" in str(refused.value)
