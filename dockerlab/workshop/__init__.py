"""A workshop for a room: JupyterHub on this machine, and per learner a JupyterLab with their own Docker engine.

``dockerlab workshop up|status|exec|progress|reset|down``. Every container, network and volume carries
the course's labels with the lesson id ``workshop`` and is removed by label.
"""
from __future__ import annotations

from .. import labels

LESSON = labels.WORKSHOP
NETWORK = "dl-workshop"
SUBNET = "10.196.0.0/24"
GATEWAY = "10.196.0.1"  # the host on the workshop network: where the learners reach the hub's API
PREFIX = "dl-workshop-"
INSTRUCTOR = "instructor"

# The least rights with which a learner's own dockerd runs its containers and the lessons' host views
# work here (measured, see docs/instructor-guide.md): mounts and cgroups (SYS_ADMIN), bridges, veths and
# iptables (NET_ADMIN), the lessons' helper joining their engine's namespaces (SYS_PTRACE), and no seccomp
# filter (runc's session keyring needs keyctl, which the default profile refuses).
LEARNER_RIGHTS = {"cap_add": ["SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE"], "security_opt": ["seccomp=unconfined"]}


def container_name(learner: str) -> str:
    """The learner's environment on the main engine, e.g. ``dl-workshop-learner1``."""
    return PREFIX + learner


def volume_names(learner: str) -> dict[str, str]:
    """The learner's volumes and where they are mounted: their engine's data and their work folder."""
    return {f"{PREFIX}{learner}-engine": "/var/lib/docker", f"{PREFIX}{learner}-work": "/root/work"}
