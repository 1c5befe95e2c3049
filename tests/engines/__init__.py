"""The engine matrix: Docker engines the course is verified on, each started by the test set-up.

The reference engine is Debian sid's docker.io 28.5 (its outputs are the lessons' stored
ones); the machine's own 20.10 is a lane like the others. Each matrix engine is a distribution's
docker.io of one suite (Debian's; Ubuntu 26.04's for Docker 29: ``resolute``, ``resolute-nft``), installed
by ``debootstrap`` into a folder and started in its own network and mount namespaces with its own
socket: the shape of Docker Desktop, whose engine's bridges, veths and
firewall are not on the notebook's machine either.

Engines of one suite may differ in their settings (each :class:`~tests.engines.matrix.MatrixEngine` holds
its ``daemon.json``, its namespace's sysctls, a learner's own container, rootless or not).

    python -m tests.engines list              # the lanes, and every engine with its settings
    python -m tests.engines start sid         # prints DOCKER_HOST=unix://...
    python -m tests.engines stop sid          # removes its containers, stops it, no trace left
    python -m tests.engines lanes sid-custom  # an opt-in lane: every lesson, sheet and the matrix's tests on it
    python -m tests.engines lanes resolute-nft  # the same on Docker 29 with its nftables backend

CI's lanes, and which of them run only when named, are in :mod:`tests.engines.lanes`.
"""
