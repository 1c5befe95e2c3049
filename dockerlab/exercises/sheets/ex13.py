"""Exercises for lesson 13, IPv6 on a user-defined network: a dual-stack network, and a name over IPv6."""
import ipaddress

from ..task import NotYet, Question, Task
from .common import on, subnet

NETWORK, SUBNET, SUBNET6, CHOSEN = "ex-v6net", "10.223.0.0/24", "fd23::/64", "fd23::b0"


def _dual_stack(state):
    state.network(NETWORK)
    facts = state.inspect(NETWORK)
    six = [found for found in facts.get("subnets", []) if ":" in found]
    if not facts.get("ipv4", True):
        raise NotYet("no-ipv4", subnets=", ".join(facts.get("subnets", [])) or "-")
    if not facts.get("ipv6"):
        raise NotYet("ipv6-off" if six else "no-ipv6", subnets=", ".join(six))
    subnet(state, NETWORK, SUBNET)
    if not six or ipaddress.ip_network(six[0]) != ipaddress.ip_network(SUBNET6):
        raise NotYet("subnet6", have=", ".join(six) or "-", want=SUBNET6)


q1 = Task("13.1", _dual_stack, [f"docker network create --ipv6 --subnet {SUBNET} --subnet {SUBNET6} {NETWORK}"],
          [NETWORK])


def _same(one: str, other: str) -> bool:
    try:
        return ipaddress.ip_address(one) == ipaddress.ip_address(other)
    except ValueError:
        return False


def _by_name_over_ipv6(state):
    for name in ("ex-v6a", "ex-v6b"):
        on(state, name, NETWORK)
        if not state.inspect(name).get("ipv6", {}).get(NETWORK):
            raise NotYet("no-ipv6-address", name=name)
    have = state.inspect("ex-v6b")["ipv6"][NETWORK]
    if not _same(have, CHOSEN):
        raise NotYet("address6", name="ex-v6b", have=have, want=CHOSEN)
    answers = state.resolve(NETWORK, "ex-v6b")
    if not any(_same(answer, CHOSEN) for answer in answers):
        raise NotYet("no-aaaa", answers=", ".join(answers) or "-")
    if not state.ping(NETWORK, "ex-v6b", 6):
        raise NotYet("no-reply6")


q2 = Task("13.2", _by_name_over_ipv6,
          [f"docker run -d --name ex-v6a --network {NETWORK} dockerlab/busybox sleep 1d",
           f"docker run -d --name ex-v6b --network {NETWORK} --ip6 {CHOSEN} dockerlab/busybox sleep 1d"],
          ["ex-v6a", "ex-v6b"], needs=["13.1"])

q3 = Question("13.3", None, ["q3.answer('which-link')"], expected="which-link",
              choices=["not-routed", "which-link", "needs-ip6tables", "host-only"])

TASKS = [q1, q2, q3]
