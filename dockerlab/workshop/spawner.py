"""How the hub starts a learner's environment: DockerSpawner on the workshop's own engine, with the rights below.

Each learner gets a network of their own (no two learners share a link), their own filesystem (engine data,
home, work: ``disk.py``), a read-only image, and before the container starts, their own cgroup to make
children in (``engine.delegate``). Loaded by the hub (``hub_config.py``).
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from dockerspawner import DockerSpawner
from tornado import web

from . import network_name
from .engine import delegate


@cache
def seccomp_profile() -> str:
    """Docker's default seccomp profile (moby v20.10.24 ``profiles/seccomp/default.json``) plus two measured needs
    of the learner's own runc: ``pivot_root`` (with CAP_SYS_ADMIN, which is the learner's user namespace's only)
    and the kernel keyring answering ENOSYS (runc then skips its session keyring; the keyring is not namespaced)."""
    profile = json.loads(Path(__file__).with_name("seccomp-default.json").read_text("utf-8"))
    profile["syscalls"] += [
        {"names": ["pivot_root"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
        {"names": ["keyctl", "add_key", "request_key"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
    ]
    return json.dumps(profile)


# The rights of a learner's container. All of them count in the learner's own user namespace only (the engine
# runs with --userns-remap): SYS_ADMIN (their engine's mounts and cgroups), NET_ADMIN (bridges, veths,
# iptables in their own network namespace), SYS_PTRACE (the lessons' helper entering their engine's
# namespaces); procfs and sysfs unmasked (a nested runc mounts fresh ones; their writable host-global files
# need capabilities in the host's user namespace); a private cgroup namespace.
LEARNER_RIGHTS = {"cap_add": ["SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE"], "cgroupns": "private",
                  "security_opt": ["no-new-privileges"]}
# What `docker run --security-opt systempaths=unconfined` sends
UNMASKED: dict[str, list[str]] = {"MaskedPaths": [], "ReadonlyPaths": []}
# What may be written outside their filesystem: memory-backed, small, counted against their memory limit
SCRATCH = {"/tmp": "size=256m", "/run": "size=64m", "/var/log": "size=32m", "/etc/docker": "size=1m",
           "/var/tmp": "size=64m"}


class LearnerSpawner(DockerSpawner):
    """DockerSpawner with a network per learner and the learner's cgroup delegated before it starts."""

    async def start(self):
        if self.user.name not in self.config.get("Workshop", {}).get("learners", []):
            raise web.HTTPError(400, "This account has no learner environment: the room's page is the instructor's.")
        self.network_name = network_name(self.user.name)
        self.use_internal_ip = True
        return await super().start()

    async def start_object(self):
        delegate(self.container_id)
        await super().start_object()
