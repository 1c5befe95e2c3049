"""JupyterLab in a learner's environment: root there (their engine needs it), the course in ~/work."""
c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
c.ServerApp.allow_root = True
c.ServerApp.root_dir = "/root/work"
c.ServerApp.terminado_settings = {"shell_command": ["/bin/bash", "-l"]}
