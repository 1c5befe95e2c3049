# The course in one container, for `docker compose up` (compose.yaml): JupyterLab with the course, talking to
# your own Docker engine through its socket. Built on your machine: no image of the course is pulled.
#
# BASE: a Debian 13 (trixie) system. For you: the public debian:trixie-slim. The course's own test builds
# this same file on a base made from the same Debian packages with debootstrap (no registry there), in
# which the next step finds its packages already installed.
ARG BASE=debian:trixie-slim
FROM ${BASE}
ARG PACKAGES="python3 python3-venv docker-cli busybox-static iproute2 ca-certificates"
RUN dpkg -s ${PACKAGES} >/dev/null 2>&1 || { apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${PACKAGES} \
    && rm -rf /var/lib/apt/lists/*; }
# pip reads these: empty for you (PyPI); the test builds with no network, from wheels in build/compose-wheels
ARG PIP_NO_INDEX=
ARG PIP_FIND_LINKS=
COPY . /opt/dockerlab/src
RUN python3 -m venv /opt/dockerlab/venv \
    && /opt/dockerlab/venv/bin/pip install --quiet --disable-pip-version-check /opt/dockerlab/src \
    && install -D -m 644 /opt/dockerlab/src/tools/jupyter-server-config.json \
        /opt/dockerlab/venv/etc/jupyter/jupyter_server_config.json \
    && rm -rf /opt/dockerlab/src /root/.cache
ENV PATH=/opt/dockerlab/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    DOCKERLAB_WORK=/work \
    PYTHONUNBUFFERED=1
WORKDIR /work
EXPOSE 8888
# your copy of the course goes to /work (the volume), JupyterLab listens on the container's port 8888
CMD ["dockerlab", "open", "--ip", "0.0.0.0", "--port", "8888", "--no-browser"]
