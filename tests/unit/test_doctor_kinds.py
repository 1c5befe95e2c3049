"""What doctor says about where the engine is and what kind it is: rootful, rootless, in a VM."""
from __future__ import annotations

from dockerlab.engine import where
from dockerlab.host import facts, health
from dockerlab.host.enginehost import EngineHost

HERE = EngineHost(same_kernel=True, same_network=True, direct=True)
VM = EngineHost(same_kernel=False, same_network=False, direct=False)
ROOTLESS_INFO = {"SecurityOptions": ["name=seccomp,profile=builtin", "name=rootless", "name=cgroupns"]}


def test_rootless_is_read_from_the_security_options():
    assert facts.rootless(ROOTLESS_INFO)
    assert not facts.rootless({"SecurityOptions": ["name=seccomp,profile=builtin", "name=userns"]})
    assert not facts.rootless({"SecurityOptions": ["name=seccomp,profile=rootless.json"]})  # a profile's name
    assert not facts.rootless({})


def test_rootless_says_what_differs_for_the_lessons():
    check = health._kind_check(ROOTLESS_INFO, HERE)
    assert check.status == "warn"
    for words in ("RootlessKit", "INPUT", "--network host", "lesson 08"):
        assert words in check.detail


def test_an_engine_in_a_vm_says_the_host_is_the_vm():
    check = health._kind_check({"SecurityOptions": []}, VM)
    assert check.status == "warn" and "the VM" in check.detail


def test_rootful_here_is_the_lessons_case():
    assert health._kind_check({"SecurityOptions": ["name=seccomp,profile=builtin"]}, HERE).status == "ok"


def test_every_way_of_finding_the_engine_has_its_sentence():
    for how in ("DOCKER_HOST", "DOCKER_CONTEXT", "context", "default", *(kind for kind, _ in where.WELL_KNOWN)):
        check = health._where_check(where.Where("unix:///x.sock", how, "name"))
        assert check.status == "ok" and "unix:///x.sock" in check.detail
    unreadable = health._where_check(where.Where("unix:///var/run/docker.sock", "default", "", problem="gone"))
    assert unreadable.status == "warn" and "gone" in unreadable.detail
