"""The host helper's read of the kernel's links: a helper that could not run it is made again, once."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from dockerlab import errors
from dockerlab.host import probe


class HelperEngine:
    """An engine whose helper container fails ``exec`` the first ``failures`` times (it was stopping)."""

    def __init__(self, failures: int, cut: bool = False):
        self.failures, self.made, self.cut = failures, 0, cut

    def container(self, name):
        if name == probe.HELPER_NAME:
            return {"State": {"Running": True}}
        return {"State": {"Pid": 4242}}

    def remove_labelled(self, lesson):
        pass

    def run(self, *args, **kwargs):
        self.made += 1

    def exec(self, name, command):
        read = "host 4026531840 eth0\nH lo 1 1 00:00:00:00:00:00 772 - - - 0 65536\npid 4242 4026532999\n"
        if self.failures and self.cut:  # the engine closed the exec's output before its end had arrived
            self.failures -= 1
            return 0, read.split("pid")[0]
        if self.failures:
            self.failures -= 1
            return 126, "OCI runtime exec failed: exec failed: container is stopping: unknown"
        return 0, read + "end\n"


def test_a_helper_that_could_not_read_is_made_again_and_read_again():
    engine = HelperEngine(failures=1)
    facts = probe._helper_kernel_facts(engine, ["c1"])
    assert facts["host_netns"] == "4026531840" and facts["container_netns"] == {"c1": "4026532999"}
    assert engine.made == 1


def test_a_read_cut_short_is_made_again():
    """Its output ends before the script's last line (the engine gives an ended exec's output 2 s to arrive):
    a read that would have left out every container's links is not taken for the kernel's."""
    engine = HelperEngine(failures=1, cut=True)
    facts = probe._helper_kernel_facts(engine, ["c1"])
    assert facts["container_netns"] == {"c1": "4026532999"}


def test_a_container_that_ended_while_it_was_read_is_no_failed_read():
    """Its lines are errors, which may come after the script's last line: the read stands (``pid 0``)."""
    class Ended(HelperEngine):
        def exec(self, name, command):
            return 0, ("host 4026531840 eth0\npid 4242 \nL * 1 1 00:00:00:00:00:00 772 - - - 0 65536\nend\n"
                       "sh: can't open /proc/4242/root/sys/class/net/*/ifindex: no such file\n")
    facts = probe._helper_kernel_facts(Ended(failures=0), ["c1"])
    assert facts["host_netns"] == "4026531840" and facts["container_netns"] == {}


def test_a_helper_that_never_reads_says_so_with_the_engine_s_words():
    with pytest.raises(errors.CommandRefused) as refused:
        probe._helper_kernel_facts(HelperEngine(failures=2), ["c1"])
    assert "container is stopping" in str(refused.value)


class SharedHelperEngine:
    """No helper at first; removing it while another read uses it makes that read's exec fail (a real engine)."""

    def __init__(self):
        self.exists, self.made, self.lock = False, 0, threading.Lock()

    def container(self, name):
        if name == probe.HELPER_NAME:
            seen = self.exists
            time.sleep(0.005)  # the answer takes a moment to come back: the helper may be there by then
            if not seen:
                raise errors.NotFound("no-such-object", name=name)
            return {"State": {"Running": True}}
        return {"State": {"Pid": 4242}}

    def remove_labelled(self, lesson):
        time.sleep(0.002)
        self.exists = False

    def run(self, *args, **kwargs):
        time.sleep(0.01)  # the engine takes a moment to create and start it
        with self.lock:
            self.exists, self.made = True, self.made + 1

    def exec(self, name, command):
        if not self.exists:
            return 1, "Error response from daemon: No such container: dockerlab-probe"
        used = self.made
        time.sleep(0.01)
        if not self.exists or self.made != used:  # removed (and perhaps made again) while it read
            return 137, "the helper was removed while it read"
        return 0, "host 4026531840 eth0\npid 4242 4026532999\nend\n"


def test_reads_from_two_threads_do_not_remove_each_others_helper():
    """The live diagram's watcher and a cell that draws read at the same moment, with no helper yet."""
    def read(after: float) -> dict:
        time.sleep(after)
        return probe._helper_kernel_facts(engine, ["c1"])

    engine = SharedHelperEngine()
    with ThreadPoolExecutor(16) as pool:
        reads = [pool.submit(read, number * 0.001) for number in range(32)]
        facts = [read.result() for read in reads]
    assert all(fact["container_netns"] == {"c1": "4026532999"} for fact in facts)


def test_the_read_keeps_each_bridge_s_ipv4_address_the_host_s_own_there():
    """``A NAME CIDR`` lines (``ip -o -4 addr``): a bridge's first address is kept, any other link's left out."""
    read = ("host 4026531840 eth0\nH eth0 2 2 02:00:00:00:00:01 1 - - - 1 1500\n"
            "H br-977d395b8a4d 5 5 02:42:6c:00:00:05 1 - - bridge 0 1500\n"
            "H br-000000000002 6 6 02:42:6c:00:00:06 1 - - bridge 0 1500\n"
            "A eth0 192.0.2.5/24\nA br-977d395b8a4d 10.209.2.1/24\nA br-977d395b8a4d 10.209.2.9/24\nend\n")
    facts = probe._parse_helper(read, {})
    assert facts["bridge_addresses"] == {"br-977d395b8a4d": "10.209.2.1/24"}   # br-...02: no address (isolated)


def test_the_local_read_finds_an_address_only_where_a_link_has_one():
    from dockerlab.host import kernel

    assert kernel.ipv4_address("lo") == "127.0.0.1/8"
    assert kernel.ipv4_address("dl-no-such-link") is None
    assert kernel.bridge_addresses([{"name": "lo", "kind": "loopback"}]) == {}
