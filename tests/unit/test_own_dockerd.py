"""Which dockerd a host command enters: the engine's own, never a re-executed child of it.

busybox's ``pidof dockerd`` (in the helper container) lists newest first, and also names dockerd's
short-lived children whose ``/proc/PID/exe`` is dockerd (``libnetwork-setkey``, which runc runs for every
container that starts, in the engine's namespaces; their ``comm`` is ``exe``). Entering one that has just
ended failed one host command in 60 while containers started on the same Docker 26.1 engine
(``nsenter: can't open '/proc/30522/ns/net'``): lesson 08's ``iptables -t nat -S POSTROUTING`` printed no rule.
"""
from __future__ import annotations

import subprocess

from dockerlab.host.hostshell import FIND_OWN_DOCKERD

ENGINE_NETNS, OTHER_NETNS = "4026532544", "4026531833"


def own(processes: list[tuple[int, str, str]]) -> str:
    """``$own`` after :data:`FIND_OWN_DOCKERD`, with pidof, cat and stat answering for ``processes``
    (pid, comm, network namespace inode), listed by pidof in the given order."""
    comms = " ".join(f"/proc/{pid}/comm) echo {comm} ;;" for pid, comm, _ in processes)
    inodes = " ".join(f"/proc/{pid}/ns/net) echo {inode} ;;" for pid, _, inode in processes)
    fakes = f"""
pidof() {{ echo {" ".join(str(pid) for pid, _, _ in processes)}; }}
cat() {{ case "$1" in {comms} *) return 1 ;; esac; }}
stat() {{ case "$4" in /proc/self/ns/net) echo {ENGINE_NETNS} ;; {inodes} *) return 1 ;; esac; }}
"""
    done = subprocess.run(["sh", "-c", fakes + FIND_OWN_DOCKERD + '\necho "$own"'], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_engine_s_dockerd_is_chosen_past_its_newer_children():
    assert own([(30522, "exe", ENGINE_NETNS), (29077, "exe", OTHER_NETNS), (19142, "dockerd", ENGINE_NETNS),
                (7894, "dockerd", OTHER_NETNS)]) == "19142"


def test_a_dockerd_of_another_network_namespace_is_never_chosen():
    assert own([(7894, "dockerd", OTHER_NETNS), (30522, "exe", ENGINE_NETNS)]) == ""


def test_a_child_that_has_ended_is_passed_over():
    assert own([(30522, "", ""), (19142, "dockerd", ENGINE_NETNS)]) == "19142"
