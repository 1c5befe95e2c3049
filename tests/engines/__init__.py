"""The engine matrix: Docker engines the course is verified on, each started by the test set-up.

``reference`` is the machine's own engine (Debian 12's docker.io 20.10, started by
``dockerlab engine``); its stored outputs are the lessons' own. The others are
Debian's docker.io from newer suites, each installed by ``debootstrap`` into a
folder and started in its own network and mount namespaces with its own
socket: the shape of Docker Desktop, whose engine's bridges, veths and
firewall are not on the notebook's machine either.

Engines of one suite may differ in their settings (each :class:`~tests.engines.matrix.MatrixEngine` holds
its ``daemon.json``, its namespace's sysctls, a learner's own container, rootless or not).

    python -m tests.engines list              # every engine and its settings; [lane]: run by ./lab test
    python -m tests.engines start sid         # prints DOCKER_HOST=unix://...
    python -m tests.engines stop sid          # removes its containers, stops it, no trace left
    python -m tests.engines test sid-custom   # start it, run every lesson, sheet and the matrix's tests, stop it
"""
