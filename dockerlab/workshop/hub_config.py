"""JupyterHub's configuration for a workshop (``jupyterhub -f hub_config.py``), read from the state folder.

The hub, its proxy and the room's view run in the workshop engine's network namespace. Learners log in with
their workshop account; ``LearnerSpawner`` gives each a ``dockerlab/learner`` container on the workshop
engine, on a network of their own, with their own engine, filesystem, limits and labels. The instructor is
no hub admin: their account reaches the room's view only (served on an origin of its own, see ``front.py``).
"""
import json
import os
import sys
from pathlib import Path

from dockerlab import labels
from dockerlab.workshop import INSTRUCTOR, LESSON, PREFIX, disk
from dockerlab.workshop.engine import PUBLIC_ADDRESS
from dockerlab.workshop.image import LEARNER_IMAGE
from dockerlab.workshop.spawner import LEARNER_RIGHTS, SCRATCH, UNMASKED, seccomp_profile

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file
state = Path(os.environ["DOCKERLAB_WORKSHOP_DIR"])
settings = json.loads((state / "settings.json").read_text("utf-8"))
HERE = Path(__file__).parent

c.JupyterHub.bind_url = f"http://{PUBLIC_ADDRESS}:{settings['proxy_port']}"
c.JupyterHub.hub_bind_url = f"http://{PUBLIC_ADDRESS}:{settings['hub_port']}"
c.JupyterHub.hub_connect_url = c.JupyterHub.hub_bind_url
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "cookie_secret")
c.JupyterHub.pid_file = str(state / "hub.pid")
c.JupyterHub.template_paths = [str(HERE / "templates")]
c.JupyterHub.template_vars = {"room_url": settings["room_url"]}
c.JupyterHub.last_activity_interval = 60  # the room's "last activity" within a minute
# no `__Host-` cookies: they need path=/, which would send the hub's login cookie to learners' own servers
c.JupyterHub.cookie_host_prefix_enabled = False
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

c.JupyterHub.authenticator_class = "dockerlab.workshop.auth.WorkshopAuthenticator"
c.WorkshopAuthenticator.accounts_file = str(state / "accounts.json")
c.Authenticator.allowed_users = {INSTRUCTOR, *settings["learners"]}
c.Authenticator.admin_users = set()  # nobody is a hub admin: an admin's session in the learners' origin is a prize
c.JupyterHub.load_roles = [
    {"name": "workshop-cli", "services": ["workshop-cli"],
     "scopes": ["admin:users", "admin:servers", "list:users", "read:users"]},
    {"name": "progress", "services": ["progress"],
     "scopes": ["list:users", "read:users", "admin:servers", "users:activity"]},
    {"name": "instructor", "users": [INSTRUCTOR], "scopes": ["access:services!service=progress"]},
    {"name": "idle-culler", "services": ["idle-culler"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
]


def landing(handler) -> str:
    """Learners land in their JupyterLab, the instructor on the room's page (on its own origin)."""
    user = handler.current_user
    name = user.name if user else ""
    if not name and handler.request.method == "POST":  # just logged in: the form's name was accepted
        name = handler.get_body_argument("username", "").strip()
    return settings["room_url"] if name == INSTRUCTOR else "/hub/spawn"


c.JupyterHub.default_url = landing

c.JupyterHub.spawner_class = "dockerlab.workshop.spawner.LearnerSpawner"
c.Workshop.learners = settings["learners"]
c.DockerSpawner.client_kwargs = {"base_url": settings["engine"]}
c.DockerSpawner.image = LEARNER_IMAGE
c.DockerSpawner.pull_policy = "never"
c.DockerSpawner.name_template = PREFIX + "{username}"
c.DockerSpawner.volumes = {}
c.DockerSpawner.remove = True
c.DockerSpawner.extra_create_kwargs = {"hostname": "{username}", "host_config": UNMASKED,
                                       "labels": {**labels.labels_for(LESSON), labels.LEARNER: "{username}"}}


def host_config(spawner) -> dict:
    """The learner's rights, filesystem and limits (``docker run`` options)."""
    name = spawner.user.name
    return {**LEARNER_RIGHTS, "security_opt": [*LEARNER_RIGHTS["security_opt"], f"seccomp={seccomp_profile()}"],
            "binds": disk.binds(state, name), "read_only": True, "tmpfs": SCRATCH,
            "pids_limit": settings["pids"], "memswap_limit": settings["memory"]}


c.DockerSpawner.extra_host_config = host_config
c.DockerSpawner.mem_limit = settings["memory"]
c.DockerSpawner.cpu_limit = float(settings["cpus"])
c.Spawner.environment = {"JUPYTERHUB_ACTIVITY_INTERVAL": "60",
                         "DOCKERLAB_ANSWERS": "/root/work/.dockerlab/answers.json"}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

c.JupyterHub.services = [
    {"name": "workshop-cli", "api_token": settings["token"]},
    {"name": "progress", "url": f"http://127.0.0.1:{settings['view_port']}", "display": False,
     "oauth_no_confirm": True, "oauth_redirect_uri": settings["room_url"] + "oauth_callback",
     "command": [sys.executable, "-m", "dockerlab.workshop.view"],
     "environment": {"DOCKERLAB_WORKSHOP_DIR": str(state), **{  # where the workshop engine keeps its things
         key: os.environ[key] for key in ("DOCKERLAB_ENGINE_INSTANCE", "DOCKERLAB_WORKSHOP_ENGINE_DIR")
         if key in os.environ}}},
    # an idle learner's environment (and so their engine) stops after this long; their work stays, and it starts
    # again when they come back
    {"name": "idle-culler", "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                                        f"--timeout={settings['cull_after']}", "--cull-every=300"]},
]
