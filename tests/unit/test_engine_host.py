"""Where the engine's host is: decided from the kernel's boot ID and the network namespace, not a socket path."""
from dockerlab.host.enginehost import decide

MINE = ("4a1c-boot", "4026531992")


def test_same_kernel_and_namespace_is_here_and_direct_for_root():
    host = decide("4a1c-boot", "4026531992", MINE, root=True, has_ip=True)
    assert host.here and host.direct and host.where == "here"


def test_here_but_not_root_goes_through_the_helper():
    host = decide("4a1c-boot", "4026531992", MINE, root=False, has_ip=True)
    assert host.here and not host.direct


def test_here_without_ip_goes_through_the_helper():
    assert not decide("4a1c-boot", "4026531992", MINE, root=True, has_ip=False).direct


def test_engine_in_its_own_namespace_on_this_kernel():
    host = decide("4a1c-boot", "4026532500", MINE, root=True, has_ip=True)
    assert host.same_kernel and not host.here and not host.direct and host.where == "namespace"


def test_another_kernel_with_the_same_namespace_number_is_elsewhere():
    # the first network namespace of every boot may carry the same inode number: only the boot ID tells kernels apart
    host = decide("9f00-other-boot", "4026531992", MINE, root=True, has_ip=True)
    assert not host.same_kernel and not host.here and not host.direct and host.where == "elsewhere"


def test_unreadable_facts_never_count_as_here():
    assert not decide("", "", ("", ""), root=True, has_ip=True).here
    assert not decide("x", "1", ("x", ""), root=True, has_ip=True).here


def test_verified_versions_are_the_matrix_engines():
    from dockerlab.host.health import verified

    assert verified("20.10.24+dfsg1") and verified("26.1.5+dfsg1") and verified("28.5.2+dfsg4")
    assert not verified("29.0.1") and not verified("27.3.1") and not verified("?")
