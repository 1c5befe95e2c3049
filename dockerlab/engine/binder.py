"""Whether this process runs in a Binder session, where no Docker engine can exist.

BinderHub's spawner gives every session ``BINDER_REQUEST``, ``BINDER_REPO_URL``,
``BINDER_REF_URL``, ``BINDER_LAUNCH_HOST`` and ``BINDER_PERSISTENT_REQUEST``;
on mybinder.org's Kubernetes the pod also sees ``BINDER_SERVICE_HOST``.
``JUPYTERHUB_*`` alone is not enough: any JupyterHub sets those, and a hub of
your own may well have an engine. Similar to ``env | grep ^BINDER_``.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

MARKERS = ("BINDER_REQUEST", "BINDER_REPO_URL", "BINDER_REF_URL", "BINDER_LAUNCH_HOST",
           "BINDER_PERSISTENT_REQUEST", "BINDER_SERVICE_HOST")


def in_binder(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``environ`` (this process's environment by default) is a Binder session's."""
    environ = os.environ if environ is None else environ
    return any(environ.get(name) for name in MARKERS)
