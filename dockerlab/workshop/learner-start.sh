#!/bin/sh
# A learner's environment: their own Docker engine, the lab images in it, the course in ~/work, the reporter of
# their progress, then the command (JupyterHub's single-user server). Runs as the learner's root, which is an
# unprivileged uid on the host (the workshop engine remaps it).
set -e
# cgroups of their own: fresh mounts of this container's cgroup namespace, whose root folder the host made
# theirs before the start; every container their engine starts counts against their limits.
if [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
    mount -t tmpfs -o mode=755,size=1m cgroup /sys/fs/cgroup
    for controller in $(awk 'NR > 1 && $2 != 0 && $4 == 1 {print $1}' /proc/cgroups); do
        mkdir -p "/sys/fs/cgroup/$controller"
        mount -t cgroup -o "$controller" cgroup "/sys/fs/cgroup/$controller"
    done
fi
dockerd --host unix:///var/run/docker.sock --dns 127.0.0.1 >/var/log/dockerd.log 2>&1 &
tries=0
until docker version >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 240 ]; then echo "dockerd did not start:"; tail -20 /var/log/dockerd.log; exit 1; fi
    sleep 0.25
done
docker image inspect dockerlab/busybox:latest >/dev/null 2>&1 || docker load -q -i /opt/dockerlab/images/busybox.tar
python3 -m dockerlab.workshop.learner course
python3 -m dockerlab.workshop.learner report --every 30 >/var/log/dockerlab-report.log 2>&1 &
exec "$@"
