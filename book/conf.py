"""Sphinx settings of the course's website (tools/site.py runs Sphinx with this folder as its configuration).

The pages are notebooks with their stored outputs (MyST-NB, never executed) and MyST markdown, in the
book theme. The language is given by tools/site.py (``-D language=en|ko``); the launch buttons' addresses
come from book/site.toml through ``DOCKERLAB_SITE_SETTINGS``.
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "dockerlab"
author = "the dockerlab authors"
copyright = "the dockerlab authors: prose and pictures CC BY 4.0, code MIT"
extensions = ["myst_nb", "dockerlab_book"]
language = os.environ.get("DOCKERLAB_LANG", "en")

# the stored outputs of a real run: nothing is executed, no widget state is needed
nb_execution_mode = "off"
nb_merge_streams = True
nb_render_markdown_format = "myst"
myst_enable_extensions = ["colon_fence"]
# links were made to point at pages (.html) or the repository by tools/site.py: Sphinx keeps them as they are
myst_all_links_external = True
# headings keep their straight quotes and double hyphens: JupyterLab's anchors are made from them
smartquotes = False
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

html_theme = "sphinx_book_theme"
html_title = "dockerlab"
html_static_path = ["_static"]
html_css_files = ["dockerlab.css"]
templates_path = ["_templates"]
html_search_language = language
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "article_header_start": ["toggle-primary-sidebar.html", "dockerlab-launch.html"],
    "use_download_button": False,
    "show_navbar_depth": 1,
    "home_page_in_toc": True,
    "navigation_with_keys": True,
}
