"""The course in the browser, with no server (JupyterLite)."""
