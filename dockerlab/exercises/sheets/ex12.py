"""Exercises for lesson 12, network namespaces by hand. Everything is made on the engine's host, as root.

A learner works with ``lab.host("ip ...")`` (``sudo ip ...`` in a terminal on the engine's host). What the
tasks make carries the sheet's names, so that ``qN.reset()`` and the sheet's end remove it and nothing else:
namespaces called ``dockerlab-ex12-...``, the bridge labelled ``dockerlab:ex12`` (``ip link set NAME alias``),
and a firewall rule with the comment ``dockerlab:ex12``. The judges read the host with one command and
ping only addresses on the namespaces' own links (:mod:`dockerlab.exercises.hostwork`).
"""
from ...labels import host_link_alias, rule_comment
from ..hostwork import NO_ROUTE, THROUGH_A_GATEWAY, look, ping_from
from ..task import NotAttempted, NotYet, Question, Task

SHEET = "ex12"
LABEL, COMMENT = host_link_alias(SHEET), rule_comment(SHEET)
A, B = "dockerlab-ex12-a", "dockerlab-ex12-b"
RED, BLUE, BRIDGE = "dockerlab-ex12-red", "dockerlab-ex12-blue", "dl-ex12-br"
GATEWAY = "10.222.2.1"


def _space(view, name):
    if name not in view.spaces:
        raise NotYet("ns-missing", name=name)
    return view.spaces[name]


def _address(view, name: str, address: str) -> str:
    """The link of namespace ``name`` that has ``address`` (``10.222.1.1/24``: with that prefix length), and is
    up; else what the namespace has."""
    space = _space(view, name)
    link = space.having(address.split("/")[0])
    if link is None or address not in space.addresses[link]:
        raise NotYet("ns-address", name=name, address=address,
                     have=", ".join(space.all_addresses()) or "-")
    if not space.links[link].up:
        raise NotYet("ns-down", name=name, link=link)
    return link


def _reaches(state, space: str, address: str) -> bool:
    """``space`` reaches ``address`` on a link of its own (no gateway on the way)."""
    code, route = ping_from(state, space, address)
    if code in (NO_ROUTE, THROUGH_A_GATEWAY):
        raise NotYet("ns-route", name=space, address=address, route=route or "-")
    return code == 0


def _cable(state):
    view = look(state, SHEET)
    if A not in view.spaces and B not in view.spaces:
        raise NotAttempted()
    _space(view, A), _space(view, B)
    _address(view, A, "10.222.1.1/24")
    _address(view, B, "10.222.1.2/24")
    if not _reaches(state, A, "10.222.1.2"):
        raise NotYet("ns-no-reply", hint="ns-cable", name=A, address="10.222.1.2")


q1 = Task("12.1", _cable,
          ["host$ ip netns add dockerlab-ex12-a", "host$ ip netns add dockerlab-ex12-b",
           "host$ ip link add eth0 netns dockerlab-ex12-a type veth peer name eth0 netns dockerlab-ex12-b",
           "host$ ip -n dockerlab-ex12-a addr add 10.222.1.1/24 dev eth0",
           "host$ ip -n dockerlab-ex12-b addr add 10.222.1.2/24 dev eth0",
           "host$ ip -n dockerlab-ex12-a link set eth0 up", "host$ ip -n dockerlab-ex12-b link set eth0 up"],
          makes=[A, B], host=True)


def _bridge(state):
    view = look(state, SHEET)
    if BRIDGE not in view.host.links and RED not in view.spaces and BLUE not in view.spaces:
        raise NotAttempted()
    bridge = view.host.links.get(BRIDGE)
    if bridge is None or bridge.kind != "bridge":
        raise NotYet("no-bridge" if bridge is None else "not-bridge", hint="no-bridge")
    if bridge.alias != LABEL:
        raise NotYet("unlabelled", have=bridge.alias or "-")
    if view.host.having(GATEWAY) != BRIDGE:
        raise NotYet("bridge-address", have=", ".join(view.host.addresses.get(BRIDGE, [])) or "-")
    if not bridge.up:
        raise NotYet("host-link-down", hint="host-down", link=BRIDGE)
    _space(view, RED), _space(view, BLUE)
    for name, address in ((RED, "10.222.2.2/24"), (BLUE, "10.222.2.3/24")):
        link = view.spaces[name].links[_address(view, name, address)]
        host_end = next((end for end in view.host.links.values() if link.peer == f"if{end.index}"), None)
        if host_end is None or host_end.master != BRIDGE:
            raise NotYet("not-on-bridge", name=name, link=link.name,
                         where=(host_end.master or host_end.name) if host_end else "-")
        if not host_end.up:
            raise NotYet("host-link-down", hint="host-down", link=host_end.name)
        if not any(route.startswith(f"default via {GATEWAY} ") for route in view.spaces[name].routes):
            raise NotYet("no-default", name=name)
    unlabelled = [rule for rule in view.rules
                  if BRIDGE in rule.split() and COMMENT not in rule.replace('"', " ").split()]
    if unlabelled:
        raise NotYet("uncommented-rule", rule=unlabelled[0])
    if not _reaches(state, RED, GATEWAY):
        raise NotYet("ns-no-reply", hint="ns-cable", name=RED, address=GATEWAY)
    if not _reaches(state, RED, "10.222.2.3"):
        if view.forward_policy == "DROP":
            raise NotYet("forward-dropped", hint="forward", name=RED, address="10.222.2.3")
        raise NotYet("ns-no-reply", hint="ns-cable", name=RED, address="10.222.2.3")


def _cabled(name: str, end: str, address: str) -> list[str]:
    return [f"host$ ip netns add {name}", f"host$ ip link add {end} type veth peer name eth0 netns {name}",
            f"host$ ip link set {end} alias {LABEL}", f"host$ ip link set {end} master {BRIDGE}",
            f"host$ ip link set {end} up", f"host$ ip -n {name} addr add {address}/24 dev eth0",
            f"host$ ip -n {name} link set eth0 up", f"host$ ip -n {name} route add default via {GATEWAY}"]


q2 = Task("12.2", _bridge,
          [f"host$ ip link add {BRIDGE} type bridge", f"host$ ip link set {BRIDGE} alias {LABEL}",
           f"host$ ip addr add {GATEWAY}/24 dev {BRIDGE}", f"host$ ip link set {BRIDGE} up",
           *_cabled(RED, "dl-ex12-red", "10.222.2.2"), *_cabled(BLUE, "dl-ex12-blue", "10.222.2.3"),
           f"host[iptables]$ iptables -I DOCKER-USER -i {BRIDGE} -o {BRIDGE} -m comment --comment {COMMENT} "
           "-j ACCEPT"],
          makes=[RED, BLUE, "dl-ex12-red", "dl-ex12-blue", BRIDGE], host=True)

q3 = Question("12.3", None, ["q3.answer('container-nat')"], expected="container-nat",
              choices=["host-nat", "container-nat", "dns-process", "host-lo"])

TASKS = [q1, q2, q3]
