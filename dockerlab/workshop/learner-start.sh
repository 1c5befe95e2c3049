#!/bin/sh
# A learner's environment: their own Docker engine, the lab images in it, the course in ~/work,
# then the command (JupyterHub's single-user server). Similar to what `dockerlab cluster up` does per node.
set -e
# cgroup v1: the container sees its own cgroups read-only; writable, the inner engine's containers
# are created below them, so they count against this learner's memory and CPU limits.
if [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
    mount -o remount,rw /sys/fs/cgroup
    for controller in /sys/fs/cgroup/*/; do
        mount -o remount,rw,bind "$controller" "$controller" 2>/dev/null || true
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
[ -e /root/work/notebooks ] || cp -r /opt/dockerlab/course/. /root/work/
exec "$@"
