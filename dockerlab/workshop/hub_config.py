"""JupyterHub's configuration for a workshop (``jupyterhub -f hub_config.py``), read from the state folder.

Learners log in with their workshop account; DockerSpawner gives each a ``dockerlab/learner`` container
on the workshop's own network, with their own engine, limits, labels and volumes.
"""
import json
import os
import sys
from pathlib import Path

from dockerlab import labels
from dockerlab.workshop import GATEWAY, INSTRUCTOR, LEARNER_RIGHTS, LESSON, NETWORK, PREFIX
from dockerlab.workshop.image import LEARNER_IMAGE

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file
state = Path(os.environ["DOCKERLAB_WORKSHOP_DIR"])
settings = json.loads((state / "settings.json").read_text("utf-8"))

c.JupyterHub.bind_url = f"http://127.0.0.1:{settings['port']}"
c.JupyterHub.hub_bind_url = f"http://{GATEWAY}:{settings['hub_port']}"
c.JupyterHub.hub_connect_url = c.JupyterHub.hub_bind_url
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "cookie_secret")
c.JupyterHub.pid_file = str(state / "hub.pid")
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

c.JupyterHub.authenticator_class = "dockerlab.workshop.auth.WorkshopAuthenticator"
c.WorkshopAuthenticator.accounts_file = str(state / "accounts.json")
c.Authenticator.admin_users = {INSTRUCTOR}
c.Authenticator.allowed_users = {INSTRUCTOR, *settings["learners"]}
c.JupyterHub.default_url = lambda handler: (  # learners land in their JupyterLab, the instructor on the room
    "/services/progress/" if handler.current_user and handler.current_user.name == INSTRUCTOR else "/hub/spawn")

c.JupyterHub.spawner_class = "dockerspawner.DockerSpawner"
c.DockerSpawner.image = LEARNER_IMAGE
c.DockerSpawner.pull_policy = "never"
c.DockerSpawner.network_name = NETWORK
c.DockerSpawner.name_template = PREFIX + "{username}"
c.DockerSpawner.volumes = {PREFIX + "{username}-engine": "/var/lib/docker", PREFIX + "{username}-work": "/root/work"}
c.DockerSpawner.remove = True
c.DockerSpawner.extra_create_kwargs = {"hostname": "{username}",
                                       "labels": {**labels.labels_for(LESSON), labels.LEARNER: "{username}"}}
c.DockerSpawner.extra_host_config = {**LEARNER_RIGHTS, "tmpfs": {"/run": ""}, "pids_limit": settings["pids"]}
c.DockerSpawner.mem_limit = settings["memory"]
c.DockerSpawner.cpu_limit = float(settings["cpus"])
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180


def only_learners(spawner):
    """Only learners have an environment (their volumes exist, made and labelled by ``workshop up``)."""
    if spawner.user.name not in settings["learners"]:
        raise ValueError(f"{spawner.user.name} has no learner environment; the room is at /services/progress/")


c.Spawner.pre_spawn_hook = only_learners

c.JupyterHub.services = [
    {"name": "workshop-cli", "api_token": settings["token"]},
    {"name": "progress", "url": f"http://127.0.0.1:{settings['view_port']}", "display": True,
     "oauth_no_confirm": True, "command": [sys.executable, "-m", "dockerlab.workshop.view"],
     "environment": {"DOCKERLAB_WORKSHOP_DIR": str(state), "DOCKER_HOST": os.environ.get("DOCKER_HOST", "")}},
]
c.JupyterHub.load_roles = [
    {"name": "workshop-cli", "services": ["workshop-cli"],
     "scopes": ["admin:users", "admin:servers", "access:servers", "access:services", "list:users", "read:users"]},
    {"name": "progress", "services": ["progress"], "scopes": ["list:users", "read:users"]},
]
