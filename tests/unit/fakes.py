"""Facts (as :func:`dockerlab.host.probe.gather` returns them) for made-up topologies of any size."""
from __future__ import annotations


def _link(name, ifindex, iflink, mac, kind, master=None):
    return {"name": name, "ifindex": ifindex, "iflink": iflink, "mac": mac, "kind": kind, "master": master,
            "parent": None, "mtu": 1500}


def bridge_facts(containers: int, networks: int = 1) -> dict:
    """``containers`` containers spread over ``networks`` bridge networks (the first is docker0)."""
    facts = {"reader": "local", "host_netns": "1", "uplink": "eth0", "namespaces": {}, "container_netns": {},
             "containers": [], "networks": [],
             "host_links": [_link("eth0", 2, 2, "02:00:00:00:00:01", "other"),
                            _link("lo", 1, 1, "00:00:00:00:00:00", "loopback")]}
    bridges = []
    for n in range(networks):
        name = "bridge" if n == 0 else f"net{n}"
        bridge = "docker0" if n == 0 else f"br-{n:012x}"
        facts["networks"].append({"Id": f"{n:064x}", "Name": name, "Driver": "bridge", "Scope": "local",
                                  "Options": {"com.docker.network.bridge.name": bridge},
                                  "IPAM": {"Config": [{"Subnet": f"10.{100 + n}.0.0/16",
                                                       "Gateway": f"10.{100 + n}.0.1"}]}, "Labels": {}})
        facts["host_links"].append(_link(bridge, 10 + n, 10 + n, f"02:42:00:00:{n:02x}:00", "bridge"))
        bridges.append((name, bridge, n))
    for index in range(containers):
        name, bridge, n = bridges[index % networks]
        cid = f"{index + 1:064x}"
        mac = f"02:42:0a:{n:02x}:{index // 256:02x}:{index % 256:02x}"
        host_index, inner_index = 1000 + index, 2 + index % 5
        facts["host_links"].append(_link(f"veth{index:07x}", host_index, inner_index, f"ee:00:00:00:{index // 256:02x}:"
                                         f"{index % 256:02x}", "veth", bridge))
        ns = str(5000 + index)
        facts["container_netns"][cid] = ns
        facts["namespaces"][ns] = [_link("eth0", inner_index, host_index, mac, "veth"),
                                   _link("lo", 1, 1, "00:00:00:00:00:00", "loopback")]
        facts["containers"].append({
            "Id": cid, "Names": [f"/c{index + 1:02d}"], "Image": "dockerlab/busybox", "State": "running",
            "Labels": {"io.dockerlab.managed": "true", "io.dockerlab.lesson": "fake"},
            "NetworkMode": "default" if n == 0 else name,
            "Networks": {name: {"NetworkID": f"{n:064x}", "IPAddress": f"10.{100 + n}.{index // 250}.{index % 250 + 2}",
                                "IPPrefixLen": 16, "MacAddress": mac, "Gateway": f"10.{100 + n}.0.1"}}})
    return facts
