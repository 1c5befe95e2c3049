"""The engine matrix: Docker engines the course is verified on, each started by the test set-up.

``reference`` is the machine's own engine (Debian 12's docker.io 20.10, started by
``dockerlab engine``); its stored outputs are the lessons' own. The others are
Debian's docker.io from newer suites, each installed by ``debootstrap`` into a
folder and started in its own network and mount namespaces with its own
socket: the shape of Docker Desktop, whose engine's bridges, veths and
firewall are not on the notebook's machine either.

    python -m tests.engines start sid     # prints DOCKER_HOST=unix://...
    python -m tests.engines stop sid      # removes its containers, stops it, no trace left
"""
