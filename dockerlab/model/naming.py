"""Which address a name gives inside one container, worked out (not asked) as ``/etc/hosts`` and Docker's DNS answer.

Where a container asks depends on its networks (lesson 06): on the default bridge (and with
``--network host``) nothing of Docker's answers names, only ``/etc/hosts`` (its own name, ``--link``,
``--add-host``); on a user-defined network its resolv.conf names ``127.0.0.11``, Docker's DNS, which
answers the names of the containers on the networks the asking container is on — their names, their
``--network-alias`` names and, from Docker 25, the names listed in ``DNSNames`` — and the ``--link`` names
of the asking container itself on those networks. It asks the networks in order (see
:meth:`~dockerlab.model.enginemap.EngineMap.resolver_order`) and the first one that knows the name
answers; a name of the form ``NAME.NETWORK`` is asked of that network only (moby v28.5.2
``libnetwork/sandbox.go``, ``Sandbox.ResolveName``). Several containers with one name all answer
(lesson 07).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .enginemap import EngineMap, Member

DOCKER_DNS = "127.0.0.11"


@dataclass
class Resolution:
    """What a name gives inside one container, and how that was worked out."""

    name: str
    asker: str
    addresses: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    network: str | None = None      # the network whose DNS answered
    source: str = ""                # dns, hosts, link or "" (not known)
    resolver: str = ""              # dns (127.0.0.11), hosts-only (default bridge), host (the host's resolver), none
    elsewhere: dict[str, list[str]] = field(default_factory=dict)  # network -> containers with that name there

    @property
    def known(self) -> bool:
        return bool(self.addresses)


def _uses_docker_dns(emap: EngineMap, member: Member) -> bool:
    """Docker writes ``nameserver 127.0.0.11`` for a container on any network that is not the default bridge."""
    return any(not (emap.networks.get(e.network) and emap.networks[e.network].default_bridge)
               and emap.networks.get(e.network) is not None for e in member.endpoints)


def _address_on(emap: EngineMap, container: str, network: str) -> str | None:
    member = emap.members.get(container)
    endpoint = member.endpoint(network) if member else None
    return endpoint.ipv4 if endpoint else None


def _from_hosts_file(emap: EngineMap, member: Member, name: str) -> tuple[list[str], list[str]] | None:
    """What ``/etc/hosts`` says: its own names, ``--link`` lines (on the default bridge), ``--add-host`` lines."""
    if name in (member.name, member.hostname, member.id[:12]) and member.addresses():
        return member.addresses()[:1], [member.name]
    for extra in member.extra_hosts:
        host, _, address = extra.partition(":")
        if host == name:
            return [address], []
    for alias, target in member.hosts_links.items():
        other = emap.members.get(target)
        if other and name in (alias, target, other.hostname):
            linked = _address_on(emap, target, "bridge")
            return ([linked], [target]) if linked else ([], [target])
    return None


def resolve(emap: EngineMap, asker: str, name: str) -> Resolution:
    """What ``name`` gives inside ``asker``. Similar to ``docker exec ASKER nslookup NAME``, without the exec."""
    member = emap.stack_of(asker)
    found = Resolution(name, asker)
    for network in emap.networks.values():
        if network.default_bridge:
            continue
        owners = emap.names_on(network.name).get(name)
        if owners:
            found.elsewhere[network.name] = owners
    if member.network_mode == "host":
        found.resolver = "host"
        return found
    if member.network_mode == "none":
        found.resolver = "none"
        return found
    hosts = _from_hosts_file(emap, member, name)
    if hosts is not None:
        found.addresses, found.owners, found.source = hosts[0], hosts[1], "hosts"
    if not _uses_docker_dns(emap, member):
        found.resolver = "hosts-only"
        return found
    found.resolver = "dns"
    if found.known:
        return found
    base, _, network_name = name.partition(".")
    tries = [(name, None)] + ([(base, network_name)] if network_name else [])
    order = emap.resolver_order(member)
    for wanted, only in tries:
        for endpoint in order:  # the asker's own --link names on its networks come first
            if only not in (None, endpoint.network):
                continue
            if wanted in endpoint.links:
                target = endpoint.links[wanted]
                address = _address_on(emap, target, endpoint.network)
                if address:
                    found.addresses, found.owners, found.network, found.source = [address], [target], \
                        endpoint.network, "link"
                    return found
        for endpoint in order:
            net = emap.networks.get(endpoint.network)
            if net is None or net.default_bridge or (only not in (None, endpoint.network)):
                continue
            owners = emap.names_on(endpoint.network).get(wanted)
            if owners:
                addresses = [a for a in (_address_on(emap, o, endpoint.network) for o in owners) if a]
                found.addresses, found.owners, found.network, found.source = sorted(addresses), owners, \
                    endpoint.network, "dns"
                return found
    return found
