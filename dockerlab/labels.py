"""Every label key, reserved name and tag the course uses, in one place, and the one reader of labels.

The course marks what it makes in four ways, all here: engine objects (containers, networks, volumes)
carry the labels ``MANAGED`` and ``LESSON``; links it makes on the host carry ``dockerlab:<lesson>`` in
their ``ifalias``; firewall rules it adds carry the comment ``dockerlab:<lesson>``; network namespaces it
makes by hand are named ``dockerlab-<NN>-...``. Cleanup selects by these marks only: anything without
them is the learner's own and is never touched, whatever its name.
"""
from __future__ import annotations

MANAGED = "io.dockerlab.managed"
"""Set to ``"true"`` on every container, network and volume the course makes.

Never on images: containers inherit their image's labels, so a container a
learner starts from a lab image in a terminal stays the learner's.
"""

LESSON = "io.dockerlab.lesson"
"""Which lesson (or one of the reserved names below) made the object, e.g. ``"01-default-bridge"``."""

# -- reserved lesson names: what the course makes outside a lesson ----------------------------------------
CLI = "cli"
"""The ``dockerlab`` command and its proxy in a terminal (``dockerlab proxy``)."""
TESTS = "tests"
"""The test suite's own objects."""
CHECKS = "checks"
"""An exercise judge's throwaway probes (``docker run --rm ... nslookup``)."""
DOCTOR = "doctor"
"""``dockerlab doctor``'s throwaway probes."""
SNAPSHOT_HELPER = "probe"
"""The helper container that reads the kernel's links where the engine's host is elsewhere."""
HOST_HELPER = "host-shell"
"""The helper containers that run a command on the engine's host (``lab.host``)."""
CLUSTER = "cluster"
"""A lab cluster started from a terminal (``dockerlab cluster up``)."""
WORKSHOP = "workshop"
"""A workshop's hub, proxy and learners' environments (``dockerlab workshop up``)."""
WHY_PROBE = "why"
"""``dockerlab why --probe``'s throwaway probe, and the stand-in machine it cables to the host."""
RESERVED = (CLI, TESTS, CHECKS, DOCTOR, SNAPSHOT_HELPER, HOST_HELPER, CLUSTER, WORKSHOP, WHY_PROBE)

SOLVED = "io.dockerlab.solved"
"""On what ``qN.solve()`` made: the exercise it solved for the learner, e.g. ``"04.1"`` (solved by the course)."""

RECIPE = "io.dockerlab.recipe"
"""On lab images: which recipe made the image, so a second setup is instant."""

LEARNER = "io.dockerlab.learner"
"""On a workshop learner's environment: whose it is (their user name on the hub)."""

SOURCE = "io.dockerlab.source"
"""On lab images: ``"build"`` (made from the host's static busybox) or ``"pull"``."""

CABLE = "io.dockerlab.cable"
"""On a ``--network none`` container the course cabled to the host by hand (the stand-in outside world):
``ADDRESS,HOST_ADDRESS``, the addresses of its end and of the host's end, so that drawings show them."""

HOST_LINK_ALIAS_PREFIX = "dockerlab:"
"""Host-side links the course makes carry this prefix in their ``ifalias``, then the lesson id."""

RULE_COMMENT_PREFIX = "dockerlab:"
"""A firewall rule the course adds carries ``-m comment --comment dockerlab:<lesson>``."""

NAMESPACE_PREFIX = "dockerlab-"
"""A network namespace the course makes by hand is named ``dockerlab-<NN>-<name>`` (lesson NN's)."""

BUSYBOX_IMAGE = "dockerlab/busybox:latest"
"""The small image every lesson runs: sh, ip, ping, nslookup, wget, httpd, nc."""

PUBLIC_BUSYBOX = "busybox:1.36"
"""The usual public image the lab image is made from where a registry answers."""

CONTAINED_DNS = ("127.0.0.1",)
"""The course's containers get ``--dns 127.0.0.1``: a name Docker's DNS cannot answer is then
asked of nobody, instead of your real DNS server, so no lookup ever leaves the machine."""


def of(attrs: dict) -> dict[str, str]:
    """The labels in an object's JSON: a container's or image's (under ``Config``), a network's, a
    volume's, or an entry of ``docker ps``. Similar to ``docker inspect --format '{{json .Config.Labels}}'``."""
    return (attrs.get("Config") or attrs).get("Labels") or {}


def lesson_of(labels: dict[str, str] | None) -> str | None:
    """The lesson that made an object with these labels, or ``None`` if it is not the course's."""
    return (labels or {}).get(LESSON) if is_managed(labels) else None


def labels_for(lesson: str) -> dict[str, str]:
    """The labels to put on an object that ``lesson`` creates."""
    return {MANAGED: "true", LESSON: lesson}


def label_filter(lesson: str | None = None) -> dict[str, list[str]]:
    """An engine filter that matches the course's objects (of one lesson, if given)."""
    wanted = [f"{MANAGED}=true"]
    if lesson is not None:
        wanted.append(f"{LESSON}={lesson}")
    return {"label": wanted}


def is_managed(labels: dict[str, str] | None, lesson: str | None = None) -> bool:
    """Whether an object with these labels is the course's (and ``lesson``'s, if given)."""
    labels = labels or {}
    if labels.get(MANAGED) != "true":
        return False
    return lesson is None or labels.get(LESSON) == lesson


def container_name(listed: dict) -> str:
    """A container's own name from the engine's list entry.

    ``Names`` also holds link names such as ``/app/db`` (container ``app``
    links this one as ``db``), in no fixed order: the own name has one slash.
    """
    names = listed.get("Names") or ["/"]
    return next((name for name in names if name.count("/") == 1), names[0]).lstrip("/")


def host_link_alias(lesson: str) -> str:
    """The ``ifalias`` of a host link ``lesson`` makes. Similar to ``ip link set dev NAME alias dockerlab:LESSON``."""
    return HOST_LINK_ALIAS_PREFIX + lesson


def rule_comment(lesson: str) -> str:
    """The comment of a firewall rule ``lesson`` adds (``iptables ... -m comment --comment dockerlab:LESSON``)."""
    return RULE_COMMENT_PREFIX + lesson


def namespace_prefix(lesson: str | None) -> str:
    """How the names of the namespaces ``lesson`` makes begin (``dockerlab-12-``); any lesson's if ``None``."""
    return NAMESPACE_PREFIX + (lesson.split("-")[0] + "-" if lesson else "")
