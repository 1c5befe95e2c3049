"""A Docker engine in memory, for the fast tier: ``Engine(FakeDockerClient(), url)`` works with no daemon.

Modelled on docker-py's own ``tests/unit/fake_api_client.py``, but with state: containers, networks,
volumes, images and execs live in dicts, and each answer has the shape the real engine gives (see
``data/engine-20.10.json``, recorded from Docker 20.10; ``test_fake_engine.py`` holds the two side by
side). Errors are the SDK's own (``docker.errors.NotFound``, ``APIError`` with the engine's status and
message), so :mod:`dockerlab.engine.client` translates them exactly as it does a real engine's.

What a command prints or exits with is canned: ``fake.api.exec_results[(container, "cmd args")]`` (or
``fake.api.exec_handler(container, cmd)``) for ``docker exec``, ``fake.api.run_results[image or command]``
for a container that runs to its end (or ``fake.api.run_handler(image, cmd)``). Every call is recorded in
``fake.api.calls`` as ``(method, args, kwargs)``. For snapshots (and so the exercises' judges), prepare
it with :func:`answer_as_the_host` and set ``DOCKERLAB_PROBE=helper``.
"""
from __future__ import annotations

import copy
import hashlib
import io
import ipaddress
import itertools
import json
import re
import tarfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docker.errors
import docker.types
import requests

from dockerlab.engine.client import OUTPUT, PRINTED_TO_FILE, Engine

RECORDED = json.loads((Path(__file__).parent / "data" / "engine-20.10.json").read_text())
API_VERSION = RECORDED["version"]["ApiVersion"]
_serial = itertools.count(1)


def _new_id(seed: str) -> str:
    return hashlib.sha256(f"{seed}-{next(_serial)}".encode()).hexdigest()


def refusal(status: int, message: str) -> docker.errors.APIError:
    """The SDK's error for an engine answer with this HTTP status and message."""
    response = requests.Response()
    response.status_code = status
    kind = docker.errors.NotFound if status == 404 else docker.errors.APIError
    return kind(message, response=response, explanation=message)


def _matches(filters: dict | None, labels: dict, name: str, object_id: str) -> bool:
    """The engine's ``--filter label=K[=V]``, ``name=`` and ``id=`` (all of them must hold)."""
    for key, wanted in (filters or {}).items():
        for value in [wanted] if isinstance(wanted, str) else wanted:
            if key == "label":
                label, has_value, expected = value.partition("=")
                if label not in labels or (has_value and labels[label] != expected):
                    return False
            elif (key == "name" and value not in name) or (key == "id" and not object_id.startswith(value)):
                return False
    return True


class Stream:
    """An event stream like the SDK's: it follows the engine (waits for new events) until ``close()``."""

    def __init__(self, events: list[dict], wanted: Callable[[dict], bool]):
        self._events, self._wanted = events, wanted
        self._position = 0
        self.closed = False

    def __iter__(self) -> Stream:
        return self

    def __next__(self) -> dict:
        while not self.closed:
            if self._position < len(self._events):
                self._position += 1
                if self._wanted(self._events[self._position - 1]):
                    return self._events[self._position - 1]
            else:
                time.sleep(0.01)
        raise StopIteration

    def close(self) -> None:
        self.closed = True


class FakeAPIClient:
    """The part of ``docker.APIClient`` that :class:`dockerlab.engine.client.Engine` calls, on in-memory state."""

    def __init__(self) -> None:
        self.containers_: dict[str, dict] = {}
        self.networks_: dict[str, dict] = {}
        self.volumes_: dict[str, dict] = {}
        self.images_: dict[str, dict] = {}
        self.execs: dict[str, dict] = {}
        self.events_: list[dict] = []
        self.exec_results: dict[tuple[str, str], tuple[int, str]] = {}
        self.exec_handler: Callable[[str, list[str]], tuple[int, str]] | None = None
        self.run_results: dict[str, tuple[int, str]] = {}
        self.lost_stream = ""
        """What an exec's stream brings when its output went to a file (the engine may cut it: nothing counts)."""
        self.run_handler: Callable[[str, list[str]], tuple[int, str] | None] | None = None
        self.build_chunks: list[dict] = [{"stream": "Step 1/1 : FROM scratch\n"}, {"stream": "Successfully built\n"}]
        self.pull_chunks: list[dict] = [{"status": "Pulling from library/busybox", "id": "1.36"},
                                        {"status": "Downloading", "id": "abc"}]
        self.calls: list[tuple[str, tuple, dict]] = []
        self.refuse: dict[str, docker.errors.APIError] = {}  # method name -> the error it raises next
        self._pid = itertools.count(20000)
        self._add_network("bridge", "bridge", subnet="172.17.0.0/16", gateway="172.17.0.1",
                          options={"com.docker.network.bridge.name": "docker0"})
        self._add_network("host", "host")
        self._add_network("none", "null")

    def __getattribute__(self, name: str) -> Any:
        attribute = object.__getattribute__(self, name)
        if callable(attribute) and not name.startswith("_") and name in type(self).__dict__:
            def recorded(*args: Any, **kwargs: Any) -> Any:
                self.calls.append((name, args, kwargs))
                if name in self.refuse:
                    raise self.refuse.pop(name)
                return attribute(*args, **kwargs)
            return recorded
        return attribute

    # -- the engine itself --------------------------------------------------------------
    def version(self) -> dict:
        return copy.deepcopy(RECORDED["version"])

    def info(self) -> dict:
        return {"ServerVersion": RECORDED["version"]["Version"], "Driver": "overlay2", "CgroupVersion": "2",
                "Containers": len(self.containers_), "Name": "fake"}

    def events(self, decode: bool = True, filters: dict | None = None, since: int | None = None) -> Stream:
        types = (filters or {}).get("type")
        return Stream(self.events_,
                      lambda e: (since is None or e["time"] >= since) and (not types or e["Type"] in types))

    def _event(self, kind: str, action: str, object_id: str, attributes: dict) -> None:
        now = 1_800_000_000 + len(self.events_)
        self.events_.append({"Type": kind, "Action": action, "Actor": {"ID": object_id, "Attributes": attributes},
                             "time": now, "timeNano": now * 10**9})

    # -- containers ----------------------------------------------------------------------
    def _container(self, name: str) -> dict:
        for container in self.containers_.values():
            if name in (container["Id"], container["Name"].lstrip("/")) or \
                    (len(name) >= 12 and container["Id"].startswith(name)):
                return container
        raise refusal(404, f"No such container: {name}")

    def inspect_container(self, name: str) -> dict:
        return copy.deepcopy(self._container(name))

    def containers(self, all: bool = False, filters: dict | None = None) -> list[dict]:
        listed = [c.get("_view", c) for c in self.containers_.values()]  # the engine's list lags, as it does
        return [self._listed(c) for c in listed
                if (all or c["State"]["Running"]) and _matches(filters, c["Config"]["Labels"], c["Name"], c["Id"])]

    def _listed(self, container: dict) -> dict:
        """A ``docker ps`` entry, as the engine makes it from the container (or from its view: see :meth:`removal`)."""
        ports = [{"IP": binding["HostIp"], "PrivatePort": int(key.split("/")[0]),
                  "PublicPort": int(binding["HostPort"]), "Type": key.split("/")[1]}
                 for key, bindings in (container["NetworkSettings"]["Ports"] or {}).items() for binding in bindings]
        names = [container["Name"]] + [f"/{other['Name'].lstrip('/')}{alias}"
                                       for other in self.containers_.values()
                                       for alias in [f"/{a}" for link in other["HostConfig"]["Links"] or []
                                                     for target, a in [link.split(":")]
                                                     if target.lstrip("/") == container["Name"].lstrip("/")]]
        return {"Id": container["Id"], "Names": names, "Image": container["Config"]["Image"],
                "ImageID": container["Image"], "Command": " ".join(container["Config"]["Cmd"] or []),
                "Created": 1_800_000_000, "Ports": ports, "Labels": dict(container["Config"]["Labels"]),
                "State": container["State"]["Status"], "Status": "Up" if container["State"]["Running"] else "Exited",
                "HostConfig": {"NetworkMode": container["HostConfig"]["NetworkMode"]},
                "NetworkSettings": {"Networks": copy.deepcopy(container["NetworkSettings"]["Networks"])},
                "Mounts": []}

    def create_host_config(self, **options: Any) -> dict:
        return docker.types.HostConfig(version=API_VERSION, **options)

    def create_networking_config(self, endpoints: dict) -> dict:
        return docker.types.NetworkingConfig(endpoints)

    def create_endpoint_config(self, **options: Any) -> dict:
        return docker.types.EndpointConfig(API_VERSION, **options)

    def create_container(self, image: str, command: list[str] | None = None, name: str | None = None,
                         hostname: str | None = None, environment: list[str] | None = None,
                         labels: dict | None = None, ports: list | None = None, host_config: dict | None = None,
                         networking_config: dict | None = None, detach: bool = False) -> dict:
        if image not in self.images_:
            raise refusal(404, f"No such image: {image}")
        name = name or f"fake_{next(_serial)}"
        if any(c["Name"] == f"/{name}" for c in self.containers_.values()):
            raise refusal(409, f'Conflict. The container name "/{name}" is already in use by container '
                                f'"{self._container(name)["Id"]}". You have to remove (or rename) that container '
                                f"to be able to reuse that name.")
        host = dict(host_config or {})
        host.setdefault("NetworkMode", "default")
        cid = _new_id(name)
        image_labels = self.images_[image]["Config"]["Labels"] or {}
        self.containers_[cid] = {
            "Id": cid, "Name": f"/{name}", "Image": self.images_[image]["Id"],
            "Config": {"Image": image, "Cmd": command, "Hostname": hostname or cid[:12], "Env": environment,
                       "Labels": {**image_labels, **(labels or {})}},
            "HostConfig": {"Links": None, "PortBindings": None, **host},
            "State": {"Status": "created", "Running": False, "Pid": 0, "ExitCode": 0},
            "NetworkSettings": {"Networks": {}, "Ports": {}},
            "_endpoints": (networking_config or {}).get("EndpointsConfig") or {},
        }
        self._event("container", "create", cid, {"name": name})
        return {"Id": cid, "Warnings": []}

    def start(self, name: str) -> None:
        container = self._container(name)
        if container["State"]["Running"]:
            return
        mode = container["HostConfig"]["NetworkMode"]
        network = "bridge" if mode == "default" else mode
        if network in self.networks_ or any(n["Name"] == network for n in self.networks_.values()):
            endpoint = container.pop("_endpoints", {}).get(network) or {}
            self._attach(container, self._network(network), endpoint.get("IPAMConfig", {}).get("IPv4Address"),
                         endpoint.get("Aliases"))
        container["NetworkSettings"]["Ports"] = copy.deepcopy(container["HostConfig"]["PortBindings"] or {})
        image, command = container["Config"]["Image"], container["Config"]["Cmd"] or []
        wrapped = command[:3] == ["sh", "-c", PRINTED_TO_FILE]
        command = command[4:] if wrapped else command
        result = self.run_handler(image, command) if self.run_handler else None
        result = result or self.run_results.get(" ".join(command)) or self.run_results.get(image)
        if result is None:
            container["State"].update(Status="running", Running=True, Pid=next(self._pid))
        else:
            container["State"].update(Status="exited", Running=False, Pid=0, ExitCode=result[0])
            container["_files" if wrapped else "_logs"] = {OUTPUT: result[1]} if wrapped else result[1]
        self._event("container", "start", container["Id"], {"name": container["Name"].lstrip("/")})

    def wait(self, name: str, timeout: float | None = None) -> dict:
        return {"StatusCode": self._container(name)["State"]["ExitCode"], "Error": None}

    def logs(self, name: str, stdout: bool = True, stderr: bool = True) -> bytes:
        return self._container(name).get("_logs", "").encode()

    def get_archive(self, name: str, path: str) -> tuple[list[bytes], dict]:
        """``docker cp NAME:PATH -``: a tar stream of the file the container wrote."""
        files = self._container(name).get("_files", {})
        if path not in files:
            raise refusal(404, f"Could not find the file {path} in container {name}")
        data, packed = files[path].encode(), io.BytesIO()
        with tarfile.open(fileobj=packed, mode="w") as archive:
            member = tarfile.TarInfo(path.rsplit("/", 1)[-1])
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
        return [packed.getvalue()], {"name": member.name, "size": len(data)}

    def stop(self, name: str, timeout: int | None = None) -> None:
        container = self._container(name)
        container["State"].update(Status="exited", Running=False, Pid=0, ExitCode=137)
        self._event("container", "die", container["Id"], {"name": container["Name"].lstrip("/")})

    def remove_container(self, name: str, force: bool = False, v: bool = False) -> None:
        container = self._container(name)
        if container["State"]["Running"] and not force:
            raise refusal(409, f"You cannot remove a running container {container['Id']}. "
                                "Stop the container before attempting removal or force remove")
        for network in list(container["NetworkSettings"]["Networks"]):
            self._detach(container, self._network(network))
        del self.containers_[container["Id"]]
        self._event("container", "destroy", container["Id"], {"name": container["Name"].lstrip("/")})

    def removal(self, name: str, order: str = "20.10") -> list[Callable[[], None]]:
        """``docker rm -f NAME`` on a running container, one step at a time, in the order an engine takes them.

        Each step changes the state and sends its events; a test runs them one by one, looking between.
        ``20.10`` (moby v20.10.24 ``handleContainerExit``): ``kill``, then ``die`` while the list that
        ``docker ps`` reads still says running (the process gone, its Pid 0), then the network
        ``disconnect`` events, then the list updated, then ``destroy``. ``28.5`` (moby v28.5.2): the
        disconnects and the list come before ``die``.
        """
        container = self._container(name)
        cid, short = container["Id"], container["Name"].lstrip("/")
        if order not in ("20.10", "28.5"):
            raise ValueError(order)

        def kill() -> None:
            self._event("container", "kill", cid, {"name": short, "signal": "9"})

        def die() -> None:
            if order == "20.10":
                container.setdefault("_view", copy.deepcopy(container))  # the list is not updated yet
            container["State"].update(Status="exited", Running=False, Pid=0, ExitCode=137)
            self._event("container", "die", cid, {"name": short, "exitCode": "137"})

        def disconnect() -> None:
            for network in list(container["NetworkSettings"]["Networks"]):
                self._detach(container, self._network(network))

        def update_list() -> None:
            container.pop("_view", None)

        def destroy() -> None:
            del self.containers_[cid]
            self._event("container", "destroy", cid, {"name": short})

        if order == "20.10":
            return [kill, die, disconnect, update_list, destroy]
        return [kill, disconnect, update_list, die, destroy]

    # -- exec ----------------------------------------------------------------------------
    def exec_create(self, container: str, cmd: list[str], stdin: bool = False, stdout: bool = True,
                    stderr: bool = True) -> dict:
        found = self._container(container)
        if not found["State"]["Running"]:
            raise refusal(409, f"Container {found['Id']} is not running")
        exec_id = _new_id("exec")
        name = found["Name"].lstrip("/")
        kept = re.fullmatch(r'"\$@" >(\S+) 2>&1', cmd[2]) if cmd[:2] == ["sh", "-c"] and len(cmd) > 3 else None
        files = found.setdefault("_files", {})
        if kept:  # the course's exec: the command's output goes to a file, nothing to the stream
            cmd = cmd[4:]
        if cmd[:2] == ["rm", "-f"] and cmd[2] in files:
            del files[cmd[2]]
            code, output = 0, ""
        else:
            code, output = self.exec_handler(name, cmd) if self.exec_handler else \
                self.exec_results.get((name, " ".join(cmd)), (0, ""))
        if kept:
            files[kept.group(1)], output = output, self.lost_stream
        self.execs[exec_id] = {"container": found["Name"].lstrip("/"), "cmd": cmd, "ExitCode": code,
                               "output": output, "Running": False, "stdin": b""}
        return {"Id": exec_id}

    def exec_start(self, exec_id: str, socket: bool = False) -> Any:
        if socket:
            return FakeSocket(self.execs[exec_id])
        return self.execs[exec_id]["output"].encode()

    def exec_inspect(self, exec_id: str) -> dict:
        state = self.execs[exec_id]
        return {"ExitCode": state["ExitCode"], "Running": state["Running"]}

    # -- networks ------------------------------------------------------------------------
    def _network(self, name: str) -> dict:
        for network in self.networks_.values():
            if name in (network["Id"], network["Name"]) or (len(name) >= 12 and network["Id"].startswith(name)):
                return network
        raise refusal(404, f"network {name} not found")

    def _add_network(self, name: str, driver: str, subnet: str | None = None, gateway: str | None = None,
                     options: dict | None = None, labels: dict | None = None, internal: bool = False,
                     attachable: bool = False, ip_range: str | None = None) -> dict:
        pool = {key: value for key, value in (("Subnet", subnet), ("Gateway", gateway), ("IPRange", ip_range))
                if value}
        network = {"Id": _new_id(name), "Name": name, "Driver": driver, "Scope": "local", "Internal": internal,
                   "Attachable": attachable, "Ingress": False, "EnableIPv6": False, "Options": options or {},
                   "Labels": labels or {}, "IPAM": {"Driver": "default", "Options": None,
                                                    "Config": [pool] if pool else []},
                   "Containers": {}, "ConfigFrom": {"Network": ""}, "ConfigOnly": False,
                   "Created": "2026-01-01T00:00:00Z"}
        self.networks_[network["Id"]] = network
        return network

    def inspect_network(self, name: str) -> dict:
        return copy.deepcopy(self._network(name))

    def networks(self, names: list[str] | None = None, filters: dict | None = None) -> list[dict]:
        listed = [copy.deepcopy(n) for n in self.networks_.values()
                  if (not names or n["Name"] in names) and _matches(filters, n["Labels"], n["Name"], n["Id"])]
        for network in listed:
            network["Containers"] = {}  # `docker network ls` does not list the endpoints
        return listed

    def create_network(self, name: str, driver: str = "bridge", options: dict | None = None,
                       ipam: dict | None = None, internal: bool = False, attachable: bool = False,
                       labels: dict | None = None, check_duplicate: bool = True) -> dict:
        if driver == "overlay":
            raise refusal(500, "This node is not a swarm manager. Use \"docker swarm init\" or "
                                "\"docker swarm join\" to connect this node to swarm and try again.")
        if check_duplicate and any(n["Name"] == name for n in self.networks_.values()):
            raise refusal(409, f"network with name {name} already exists")
        pool = ((ipam or {}).get("Config") or [{}])[0]
        subnet = pool.get("Subnet") or self._free_subnet()
        for other in self.networks_.values():
            for config in other["IPAM"]["Config"]:
                if ipaddress.ip_network(config["Subnet"]).overlaps(ipaddress.ip_network(subnet)):
                    raise refusal(403, "Pool overlaps with other one on this address space")
        network = self._add_network(name, driver, subnet, pool.get("Gateway"), options, labels, internal,
                                    attachable, pool.get("IPRange"))
        self._event("network", "create", network["Id"], {"name": name, "type": driver})
        return {"Id": network["Id"], "Warning": ""}

    def _free_subnet(self) -> str:
        taken = [ipaddress.ip_network(c["Subnet"]) for n in self.networks_.values() for c in n["IPAM"]["Config"]]
        return next(str(candidate) for second in range(18, 32)
                    for candidate in [ipaddress.ip_network(f"172.{second}.0.0/16")]
                    if not any(candidate.overlaps(other) for other in taken))

    def remove_network(self, name: str) -> None:
        network = self._network(name)
        if network["Containers"]:
            raise refusal(403, f"error while removing network: network {network['Name']} id {network['Id']} "
                                "has active endpoints")
        del self.networks_[network["Id"]]
        self._event("network", "destroy", network["Id"], {"name": network["Name"]})

    def connect_container_to_network(self, container: str, net_id: str, ipv4_address: str | None = None,
                                     aliases: list[str] | None = None) -> None:
        found, network = self._container(container), self._network(net_id)
        if network["Name"] in found["NetworkSettings"]["Networks"]:
            raise refusal(403, f"endpoint with name {found['Name'].lstrip('/')} already exists in network "
                                f"{network['Name']}")
        self._attach(found, network, ipv4_address, aliases)

    def disconnect_container_from_network(self, container: str, net_id: str) -> None:
        found, network = self._container(container), self._network(net_id)
        if network["Name"] not in found["NetworkSettings"]["Networks"]:
            raise refusal(403, f"container {found['Id']} is not connected to network {network['Name']}")
        self._detach(found, network)

    def _attach(self, container: dict, network: dict, ip: str | None, aliases: list[str] | None) -> None:
        config = network["IPAM"]["Config"][0] if network["IPAM"]["Config"] else None
        address, prefix, gateway = "", 0, ""
        if config:
            subnet = ipaddress.ip_network(config["Subnet"])
            gateway = config.get("Gateway") or str(subnet.network_address + 1)
            used = {gateway} | {e["IPv4Address"].split("/")[0] for e in network["Containers"].values()}
            address = ip or next(str(a) for a in subnet.hosts() if str(a) not in used)
            prefix = subnet.prefixlen
        mac = "02:42:" + ":".join(f"{int(part):02x}" for part in address.split(".")) if address else ""
        container["NetworkSettings"]["Networks"][network["Name"]] = {
            "NetworkID": network["Id"], "EndpointID": _new_id("endpoint"), "Gateway": gateway,
            "IPAddress": address, "IPPrefixLen": prefix, "MacAddress": mac,
            "Aliases": [*(aliases or []), container["Id"][:12]] if network["Name"] != "bridge" else None,
            "IPAMConfig": {"IPv4Address": ip} if ip else None}
        endpoint = container["NetworkSettings"]["Networks"][network["Name"]]["EndpointID"]
        network["Containers"][container["Id"]] = {"Name": container["Name"].lstrip("/"), "EndpointID": endpoint,
                                                  "MacAddress": mac, "IPv6Address": "",
                                                  "IPv4Address": f"{address}/{prefix}" if address else ""}
        self._event("network", "connect", network["Id"], {"container": container["Id"], "name": network["Name"]})

    def _detach(self, container: dict, network: dict) -> None:
        del container["NetworkSettings"]["Networks"][network["Name"]]
        network["Containers"].pop(container["Id"], None)
        self._event("network", "disconnect", network["Id"],
                    {"container": container["Id"], "name": network["Name"]})

    # -- volumes -------------------------------------------------------------------------
    def volumes(self, filters: dict | None = None) -> dict:
        return {"Volumes": [copy.deepcopy(v) for v in self.volumes_.values()
                            if _matches(filters, v["Labels"], v["Name"], v["Name"])] or None, "Warnings": None}

    def create_volume(self, name: str, labels: dict | None = None) -> dict:
        self.volumes_[name] = {"Name": name, "Driver": "local", "Labels": labels or {}, "Options": None,
                               "Scope": "local", "Mountpoint": f"/var/lib/docker/volumes/{name}/_data",
                               "CreatedAt": "2026-01-01T00:00:00Z"}
        return copy.deepcopy(self.volumes_[name])

    def inspect_volume(self, name: str) -> dict:
        if name not in self.volumes_:
            raise refusal(404, f"get {name}: no such volume")
        return copy.deepcopy(self.volumes_[name])

    def remove_volume(self, name: str) -> None:
        self.inspect_volume(name)
        del self.volumes_[name]

    # -- images --------------------------------------------------------------------------
    def add_image(self, tag: str, labels: dict | None = None) -> dict:
        """Put an image on the fake engine (a test's set-up, not an SDK call)."""
        image = copy.deepcopy(RECORDED["image_inspect"])
        image.update(Id="sha256:" + _new_id(tag), RepoTags=[tag])
        image["Config"]["Labels"] = labels
        self.images_[tag] = image
        return image

    def inspect_image(self, tag: str) -> dict:
        if tag not in self.images_:
            raise refusal(404, f"No such image: {tag}")
        return copy.deepcopy(self.images_[tag])

    def build(self, fileobj: Any = None, custom_context: bool = False, tag: str = "", labels: dict | None = None,
              **options: Any) -> Iterator[dict]:
        yield from self.build_chunks
        if not any("error" in chunk for chunk in self.build_chunks):
            self.add_image(tag, labels)

    def pull(self, repository: str, tag: str = "latest", stream: bool = True, decode: bool = True) -> Iterator[dict]:
        yield from self.pull_chunks
        if not any("error" in chunk for chunk in self.pull_chunks):
            self.add_image(f"{repository}:{tag}")

    def import_image_from_file(self, filename: str, repository: str, tag: str, changes: list[str]) -> dict:
        labels = dict(change.removeprefix("LABEL ").split("=", 1) for change in changes if change.startswith("LABEL"))
        self.add_image(f"{repository}:{tag}", labels)
        return {"status": "sha256:" + _new_id(filename)}

    def get_image(self, tag: str) -> Iterator[bytes]:
        self.inspect_image(tag)
        yield b"fake image archive of "
        yield tag.encode()


class FakeSocket:
    """The raw socket of an exec started with ``socket=True``: what is sent is the command's input."""

    def __init__(self, state: dict):
        self._state = state
        self._sock = self

    def sendall(self, data: bytes) -> None:
        self._state["stdin"] += data

    def shutdown(self, how: int) -> None:
        pass

    def recv(self, size: int) -> bytes:
        return b""

    def close(self) -> None:
        pass


def kernel_view(pids: list[int]) -> str:
    """What the probe's helper script prints on a host with docker0 and, for each container process in
    ``pids``, a veth on docker0 whose peer is the container's eth0 (the kernel's ifindex/iflink pairing)."""
    lines = ["host 4026531840 eth0",
             "H eth0 2 2 02:00:00:00:00:01 1 - - - 1 1500",
             "H docker0 3 3 02:42:6c:00:00:01 1 - - bridge 0 1500"]
    for number in range(len(pids)):
        lines.append(f"H veth{number:07x} {100 + number} {10 + number} ee:00:00:00:00:{number:02x} "
                     "1 docker0 - - 0 1500")
    lines += ["A eth0 192.0.2.5/24", "A docker0 172.17.0.1/16"]  # ip -o -4 addr, as the script prints it
    for number, pid in enumerate(pids):
        if pid == 0:  # a container that stopped while it was read: no namespace to stat
            lines.append("pid 0")
            continue
        lines += [f"pid {pid} {4026532000 + number}",
                  "L lo 1 1 00:00:00:00:00:00 772 - - - 0 65536",
                  f"L eth0 {10 + number} {100 + number} 02:42:ac:11:00:{number + 2:02x} 1 - - - 0 1500"]
    return "\n".join([*lines, "end"]) + "\n"


def answer_as_the_host(api: FakeAPIClient) -> None:
    """Let snapshots work: the probe's helper container answers with :func:`kernel_view`.

    Use with ``DOCKERLAB_PROBE=helper`` (``monkeypatch.setenv``), so no snapshot reads this machine's
    own kernel. ``fake_engine(prepare=answer_as_the_host)``.
    """
    from dockerlab.host import probe

    def on_exec(container: str, command: list[str]) -> tuple[int, str]:
        if container == probe.HELPER_NAME:
            pids = re.search(r"PIDS='?([\d ]*)'?", command[-1])
            return 0, kernel_view([int(pid) for pid in pids.group(1).split()] if pids else [])
        return 0, ""
    api.exec_handler = on_exec


class FakeDockerClient:
    """Stands where ``docker.DockerClient`` does: :class:`Engine` only uses its ``api``."""

    def __init__(self, api: FakeAPIClient | None = None):
        self.api = api or FakeAPIClient()


def fake_engine(images: tuple[str, ...] = ("dockerlab/busybox:latest",),
                prepare: Callable[[FakeAPIClient], None] | None = None) -> Engine:
    """A session on a fresh fake engine that has ``images`` (lab images, with the course's recipe label)."""
    from dockerlab import labels
    from dockerlab.engine import images as lab_images
    from dockerlab.host.session import LiveSession

    client = FakeDockerClient()
    for tag in images:
        recipe = lab_images.NODE_RECIPE if tag == lab_images.NODE_IMAGE else lab_images.RECIPE_VERSION
        client.api.add_image(tag, {labels.RECIPE: recipe, labels.SOURCE: "build"})
    if prepare:
        prepare(client.api)
    return LiveSession(Engine(client, "unix:///fake/docker.sock"), "unit")  # type: ignore[arg-type]
