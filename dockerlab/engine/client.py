"""The only module that talks to the Docker engine (through the docker SDK).

It connects, creates and removes the course's objects, lists what the lab
owns, and turns every SDK error into a :class:`~dockerlab.errors.LabError`
that says what to do. It returns plain dicts (the engine's own JSON), so
the rest of the course never needs the SDK.
"""
from __future__ import annotations

import contextlib
import dataclasses
import errno
import io
import re
import secrets
import socket
import tarfile
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlparse

import docker
import docker.errors
import requests.exceptions

from .. import errors, labels
from . import where
from .binder import in_binder

DEFAULT_SOCKET = where.DEFAULT_SOCKET
OUTPUT = "/.dockerlab-output"


def printed_to(path: str, command: list[str]) -> list[str]:
    """``command`` run by ``sh -c`` with what it prints (output and errors, in order) sent to the file ``path``."""
    return ["sh", "-c", f'"$@" >{path} 2>&1', "sh", *command]


PRINTED_TO_FILE = printed_to(OUTPUT, [])[2]
"""How a container that is not detached runs its command (``sh -c`` with it as arguments): what it prints goes
to a file in the container, read when it has ended. Its logs are no record of that: once a container's process
has ended, the engine waits 2 s for its output streams, then closes them (moby v28.5.2 ``daemon/monitor.go``
``handleContainerExit``: ``StreamConfig.Wait`` with a 2 s timeout, then ``Reset``), and on a loaded machine what
was still on the way is lost ("copy stream failed: reading from a closed fifo" in the engine's log): a doctor's
probe of the kernel read nothing, and said the kernel could make no bridge."""


def engine_url() -> str:
    """Where the course looks for the engine, as the docker CLI does (:mod:`dockerlab.engine.where`):
    ``DOCKER_HOST``, the current context, then the default socket (or a rootless or desktop engine's)."""
    return where.find().url


def socket_path(url: str | None = None) -> str | None:
    """The filesystem path of a ``unix://`` engine address, else ``None``."""
    parsed = urlparse(url or engine_url())
    return parsed.path if parsed.scheme in ("unix", "") else None


def _root_cause(exc: BaseException) -> BaseException:
    seen = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        nxt = exc.__cause__ or exc.__context__
        if nxt is None:
            break
        exc = nxt
    return exc


def unreachable_error(exc: BaseException, url: str | None = None) -> errors.LabError:
    """Turn a failed connection into the error that says what to do about it."""
    url = url or engine_url()
    cause = _root_cause(exc)
    text = str(exc)
    if isinstance(cause, PermissionError) or getattr(cause, "errno", None) == errno.EACCES \
            or "Permission denied" in text:
        return errors.SocketPermissionDenied("socket-permission", url=url)
    if in_binder():
        return errors.EngineUnreachable("engine-unreachable-binder", url=url)
    return errors.EngineUnreachable("engine-unreachable", url=url)


_IN_USE = re.compile(r'name "?/?([^" ]+)"? is already in use|network with name (\S+) already exists')


def disk_full(message: str) -> errors.DiskFull | None:
    """The error for an engine out of disk space (ENOSPC in its data root), else ``None``."""
    return errors.DiskFull("engine-disk-full", message=message) if "no space left on device" in message else None


def _api_error(exc: docker.errors.APIError) -> errors.LabError:
    message = exc.explanation or str(exc)
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    message = str(message).strip()
    full = disk_full(message)
    if full:
        return full
    if isinstance(exc, docker.errors.NotFound):
        return errors.NotFound("engine-not-found", message=message)
    if "overlaps" in message:
        return errors.SubnetOverlap("subnet-overlap", message=message)
    found = _IN_USE.search(message)
    if exc.status_code == 409 and found:
        return errors.NameInUse("name-in-use", name=found.group(1) or found.group(2), message=message)
    return errors.CommandRefused("engine-refused", message=message)


@contextlib.contextmanager
def translated_errors() -> Iterator[None]:
    """Re-raise SDK errors as :class:`LabError` with an actionable message."""
    try:
        yield
    except docker.errors.APIError as exc:
        raise _api_error(exc) from None
    except (docker.errors.DockerException, requests.exceptions.ConnectionError) as exc:
        raise unreachable_error(exc) from None


@dataclasses.dataclass
class ContainerSpec:
    """The options of ``docker run`` the course uses, besides the image and the command.

    ``network`` is ``--network``, ``ip`` ``--ip``, ``aliases`` ``--network-alias``, ``links`` ``--link``
    (name: alias), ``ports`` ``-p`` (``{"80/tcp": ("127.0.0.1", 8080)}``), ``volumes`` ``-v``
    (source: target), ``unmasked_paths`` ``--security-opt systempaths=unconfined``; the rest as named.
    """

    name: str | None = None
    hostname: str | None = None
    environment: list[str] | None = None
    network: str | None = None
    ip: str | None = None
    aliases: list[str] | None = None
    links: dict[str, str] | None = None
    ports: dict | None = None
    dns: list[str] | None = None
    volumes: dict[str, str] | None = None
    tmpfs: dict[str, str] | None = None
    privileged: bool = False
    cap_add: list[str] | None = None
    cap_drop: list[str] | None = None
    security_opt: list[str] | None = None
    pid_mode: str | None = None
    unmasked_paths: bool = False
    extra_labels: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if (self.ip or self.aliases) and not self.network:
            self.network = "bridge"  # what the docker CLI does: --ip without --network means the default bridge

    def host_options(self) -> dict[str, Any]:
        """The options that belong to the engine's HostConfig, as the SDK names them (unset ones left out)."""
        options = dict(network_mode=self.network, links=self.links, port_bindings=self.ports, dns=self.dns,
                       cap_add=self.cap_add, cap_drop=self.cap_drop, pid_mode=self.pid_mode,
                       security_opt=self.security_opt, privileged=self.privileged, tmpfs=self.tmpfs,
                       binds=[f"{source}:{target}:rw" for source, target in (self.volumes or {}).items()])
        return {key: value for key, value in options.items() if value}

    def exposed_ports(self) -> list[tuple[int, str]] | None:
        """The container ports that ``ports`` publishes, as ``(80, "tcp")``."""
        return [(int(key.split("/")[0]), key.split("/")[1]) for key in self.ports] if self.ports else None


labels_of = labels.of  # the name other modules know; the reader itself lives in labels.py


class Engine:
    """A connection to one Docker engine. Similar to the ``docker`` CLI itself."""

    def __init__(self, client: docker.DockerClient, url: str):
        self.client = client
        self.api = client.api
        self.url = url

    @classmethod
    def connect(cls, url: str | None = None, timeout: int = 60) -> Engine:
        """Connect and negotiate the API version. Similar to ``docker version``."""
        url = url or engine_url()
        try:
            client = docker.DockerClient(base_url=url, version="auto", timeout=timeout)
        except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
            raise unreachable_error(exc, url) from None
        return cls(client, url)

    # -- the engine itself ----------------------------------------------------------
    def version(self) -> dict:
        """Engine and API version. Similar to ``docker version``."""
        with translated_errors():
            return self.api.version()

    def info(self) -> dict:
        """Engine-wide facts (storage driver, cgroups...). Similar to ``docker info``."""
        with translated_errors():
            return self.api.info()

    def events(self, since: int | None = None, **filters) -> Iterator[dict]:
        """The engine's event stream (from ``since``, in Unix seconds, if given).

        Similar to ``docker events --since SECONDS --filter ...``. The stream has a ``close()``.
        """
        with translated_errors():
            return self.api.events(decode=True, filters=filters or None, since=since)

    # -- containers -----------------------------------------------------------------
    def container(self, name: str) -> dict:
        """One container's JSON. Similar to ``docker inspect NAME``."""
        with translated_errors():
            return self.api.inspect_container(name)

    def containers(self, all: bool = True, **filters) -> list[dict]:
        """Containers, as ``docker ps -a --filter ...`` lists them."""
        with translated_errors():
            return self.api.containers(all=all, filters=filters or None)

    def run(self, image: str, command: list[str] | None, *, lesson: str, spec: ContainerSpec | None = None,
            detach: bool = True, remove: bool = False, **options: Any) -> tuple[dict, str]:
        """Create and start a labelled container. Similar to ``docker run [-d] [--rm] OPTIONS IMAGE COMMAND``.

        The options come as a :class:`ContainerSpec`, or as its fields by name (``name="c1"``), or both
        (the names win). Returns the container's JSON and, when not detached, what it printed (read whole from
        a file: see :data:`PRINTED_TO_FILE`; the image needs a ``sh``). A
        container the engine refuses to start is removed again, so a refused ``run`` leaves nothing behind.
        """
        spec = dataclasses.replace(spec or ContainerSpec(), **options)
        if not detach and command:
            command = printed_to(OUTPUT, command)
        networking_config = None
        if spec.network and (spec.ip or spec.aliases):
            networking_config = self.api.create_networking_config(
                {spec.network: self.api.create_endpoint_config(ipv4_address=spec.ip, aliases=spec.aliases)})
        built_host_config = self.api.create_host_config(**spec.host_options())
        if spec.unmasked_paths:  # what `--security-opt systempaths=unconfined` does in the CLI
            built_host_config.update({"MaskedPaths": [], "ReadonlyPaths": []})
        with translated_errors():
            created = self.api.create_container(
                image, command=command, name=spec.name, hostname=spec.hostname, environment=spec.environment,
                labels={**labels.labels_for(lesson), **(spec.extra_labels or {})}, ports=spec.exposed_ports(),
                host_config=built_host_config, networking_config=networking_config, detach=detach)
        cid = created["Id"]
        try:
            with translated_errors():
                self.api.start(cid)
                output = ""
                if not detach:
                    self.api.wait(cid)
                    output = self._printed(cid)
                info = self.api.inspect_container(cid)
        except errors.LabError:
            self._remove_quietly(cid)
            raise
        if remove:
            self._remove_quietly(cid)
        return info, output

    def _printed(self, cid: str) -> str:
        """What a container that has ended printed: its :data:`OUTPUT` file (``docker cp``), else its logs."""
        printed = self._file_of(cid, OUTPUT)
        if printed is None:  # no file: the command was not wrapped
            return self.api.logs(cid, stdout=True, stderr=True).decode("utf-8", "replace")
        return printed

    def _remove_quietly(self, cid: str) -> None:
        with contextlib.suppress(docker.errors.APIError):
            self.api.remove_container(cid, force=True, v=True)

    def can_start(self, image: str, *, lesson: str, **rights) -> bool:
        """Whether a container with these rights (``privileged``, ``cap_add``...) starts and exits 0."""
        try:
            created = self.api.create_container(
                image, ["true"], labels=labels.labels_for(lesson),
                host_config=self.api.create_host_config(network_mode="none", **rights))
        except docker.errors.APIError:
            return False
        try:
            self.api.start(created["Id"])
            return self.api.wait(created["Id"], timeout=30)["StatusCode"] == 0
        except (docker.errors.APIError, requests.exceptions.RequestException):
            return False
        finally:
            self._remove_quietly(created["Id"])

    def exec(self, container: str, command: list[str], stdin: bytes | None = None,
             timeout: float = 60) -> tuple[int, str]:
        """Run a command inside a running container. Similar to ``docker exec [-i] CONTAINER COMMAND``.

        What it prints is kept whole as :meth:`run` keeps it: in a file of the container (``sh -c``), read with
        ``docker cp`` and removed (an ended exec's streams, too, get 2 s: moby v28.5.2 ``daemon/monitor.go``; a
        ``docker ps`` on a lab node read nothing, and a container just made there was taken for absent).

        With ``stdin``, those bytes are the command's input (``docker exec -i ... < FILE``); its output is
        then not kept, and ``-1`` is returned if it has not finished after ``timeout`` seconds.
        """
        with translated_errors():
            if stdin is not None:
                return self._exec_with_input(container, command, stdin, timeout)
            kept = f"{OUTPUT}-{secrets.token_hex(6)}"  # one file per exec: several may run in one container at once
            code, _ = self._exec_once(container, printed_to(kept, command))
            output = self._file_of(container, kept)
            if output is None:  # the shell could not write it: the command did not run, and runs as it is
                return self._exec_once(container, command)
            self._exec_once(container, ["rm", "-f", kept])
        return code, output

    def _exec_once(self, container: str, command: list[str]) -> tuple[int, str]:
        exec_id = self.api.exec_create(container, command, stdout=True, stderr=True)["Id"]
        output = self.api.exec_start(exec_id).decode("utf-8", "replace")
        return self.api.exec_inspect(exec_id)["ExitCode"], output

    def _file_of(self, container: str, path: str) -> str | None:
        """The text of one file in a container (running or ended), or ``None`` if it has none there.
        Similar to ``docker cp CONTAINER:PATH -``."""
        try:
            chunks, _ = self.api.get_archive(container, path)
            with tarfile.open(fileobj=io.BytesIO(b"".join(chunks))) as archive:
                member = archive.extractfile(archive.getmembers()[0])
                return member.read().decode("utf-8", "replace") if member else ""
        except (docker.errors.APIError, tarfile.TarError, IndexError):
            return None

    def _exec_with_input(self, container: str, command: list[str], stdin: bytes,
                         timeout: float) -> tuple[int, str]:
        exec_id = self.api.exec_create(container, command, stdin=True, stdout=True, stderr=True)["Id"]
        stream = self.api.exec_start(exec_id, socket=True)
        raw = getattr(stream, "_sock", stream)  # the SDK wraps the connection's socket
        raw.sendall(stdin)
        raw.shutdown(socket.SHUT_WR)
        while raw.recv(65536):
            pass
        raw.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.api.exec_inspect(exec_id)
            if not state["Running"]:
                return state["ExitCode"], ""
            time.sleep(0.1)
        return -1, ""

    def logs(self, name: str) -> str:
        """What a container printed. Similar to ``docker logs``."""
        with translated_errors():
            return self.api.logs(name, stdout=True, stderr=True).decode("utf-8", "replace")

    def remove_container(self, name: str) -> None:
        """Remove a container, running or not. Similar to ``docker rm -f``."""
        with translated_errors():
            self.api.remove_container(name, force=True, v=True)

    # -- networks -------------------------------------------------------------------
    def network(self, name: str) -> dict:
        """One network's JSON. Similar to ``docker network inspect NAME``."""
        with translated_errors():
            return self.api.inspect_network(name)

    def networks(self, **filters) -> list[dict]:
        """Networks, as ``docker network ls --filter ...`` lists them."""
        with translated_errors():
            return self.api.networks(filters=filters or None)

    def create_network(self, name: str, *, lesson: str, driver: str = "bridge",
                       subnet: str | None = None, gateway: str | None = None,
                       ip_range: str | None = None, options: dict[str, str] | None = None,
                       internal: bool = False, attachable: bool = False) -> dict:
        """Create a labelled network. Similar to ``docker network create``."""
        ipam = None
        if subnet or gateway or ip_range:
            pool = docker.types.IPAMPool(subnet=subnet, gateway=gateway, iprange=ip_range)
            ipam = docker.types.IPAMConfig(pool_configs=[pool])
        with translated_errors():
            if any(n["Name"] == name for n in self.api.networks(names=[name])):
                raise errors.NameInUse("name-in-use", name=name,
                                       message=f"network with name {name} already exists")
            created = self.api.create_network(
                name, driver=driver, options=options, ipam=ipam, internal=internal,
                attachable=attachable, labels=labels.labels_for(lesson), check_duplicate=True)
            return self.api.inspect_network(created["Id"])

    def connect_network(self, network: str, container: str) -> None:
        """Connect a running container to one more network. Similar to ``docker network connect NETWORK CONTAINER``."""
        with translated_errors():
            self.api.connect_container_to_network(container, network)

    def remove_network(self, name: str) -> None:
        """Remove a network. Similar to ``docker network rm NAME``."""
        with translated_errors():
            self.api.remove_network(name)

    def create_volume(self, name: str, *, lesson: str) -> None:
        """Create a labelled volume. Similar to ``docker volume create``."""
        with translated_errors():
            self.api.create_volume(name, labels=labels.labels_for(lesson))

    # -- the lab's own objects ------------------------------------------------------
    def labelled(self, lesson: str | None = None) -> dict[str, list[str]]:
        """Names of the course's containers, networks and volumes (of one lesson, if given)."""
        wanted = labels.label_filter(lesson)
        with translated_errors():
            containers = [labels.container_name(c) for c in self.api.containers(all=True, filters=wanted)]
            networks = [n["Name"] for n in self.api.networks(filters=wanted)]
            volumes = [v["Name"] for v in (self.api.volumes(filters=wanted).get("Volumes") or [])]
        return {"containers": sorted(containers), "networks": sorted(networks), "volumes": sorted(volumes)}

    def remove_labelled(self, lesson: str | None = None) -> dict[str, list[str]]:
        """Remove the course's containers, then networks, then volumes; nothing else.

        Similar to ``docker rm -f $(docker ps -aq --filter label=io.dockerlab.managed=true)``
        followed by the same for networks and volumes. Objects that vanish
        meanwhile are fine; each name is checked against its labels again
        right before removal.
        """
        found = self.labelled(lesson)
        removed: dict[str, list[str]] = {"containers": [], "networks": [], "volumes": []}
        steps: list[tuple[str, Callable[[str], dict], Callable[[str], None]]] = [
            ("containers", self.api.inspect_container, lambda n: self.api.remove_container(n, force=True, v=True)),
            ("networks", self.api.inspect_network, self.api.remove_network),
            ("volumes", self.api.inspect_volume, self.api.remove_volume),
        ]
        for kind, inspect, remove in steps:
            pending, failure = list(found[kind]), None
            for _ in range(3):  # an object another one still uses (a --link target) goes on a later pass
                failed = []
                for name in pending:
                    try:
                        attrs = inspect(name)
                        if not labels.is_managed(labels.of(attrs), lesson):
                            continue
                        remove(name)
                        removed[kind].append(name)
                    except docker.errors.NotFound:
                        continue
                    except docker.errors.APIError as exc:
                        failed.append(name)
                        failure = exc
                pending = failed
                if not pending:
                    break
            if pending:
                raise _api_error(failure) from None
        return removed

    # -- images ---------------------------------------------------------------------
    def image(self, tag: str) -> dict | None:
        """An image's JSON, or ``None`` if absent. Similar to ``docker image inspect``."""
        try:
            with translated_errors():
                return self.api.inspect_image(tag)
        except errors.NotFound:
            return None

    def build(self, context: io.BytesIO, tag: str, image_labels: dict[str, str],
              progress: Callable[[str], None], network: str | None = None) -> None:
        """Build an image from a tar context, reporting each step. Similar to ``docker build``."""
        with translated_errors():
            for chunk in self.api.build(fileobj=context, custom_context=True, tag=tag, labels=image_labels,
                                        rm=True, forcerm=True, decode=True, pull=False,
                                        network_mode=network):
                if "error" in chunk:
                    message = chunk["error"].strip()
                    raise disk_full(message) or errors.ImageUnavailable("image-build-failed", tag=tag,
                                                                        message=message)
                if chunk.get("stream", "").strip():
                    progress(chunk["stream"].rstrip())

    def save_image(self, tag: str) -> bytes:
        """An image as a tar archive, as ``docker load`` reads it. Similar to ``docker save TAG``."""
        with translated_errors():
            return b"".join(self.api.get_image(tag))

    def import_image(self, archive: str, tag: str, changes: list[str]) -> None:
        """Make an image from a root filesystem tarball. Similar to ``docker import``."""
        repository, _, version = tag.partition(":")
        with translated_errors():
            self.api.import_image_from_file(archive, repository=repository, tag=version or "latest",
                                            changes=changes)

    def pull(self, reference: str, progress: Callable[[str], None]) -> None:
        """Pull an image from its registry, reporting progress. Similar to ``docker pull``."""
        repository, _, tag = reference.partition(":")
        with translated_errors():
            for chunk in self.api.pull(repository, tag=tag or "latest", stream=True, decode=True):
                if "error" in chunk:
                    raise disk_full(chunk["error"]) or errors.ImageUnavailable("image-pull-failed", tag=reference,
                                                                               message=chunk["error"])
                status = chunk.get("status", "")
                if status and "Downloading" not in status and "Extracting" not in status:
                    progress(f"{chunk.get('id', reference)}: {status}")
