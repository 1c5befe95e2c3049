"""The course's version, from its git tag (setuptools-scm writes ``_version.py`` when the package is built).

A tag ``v0.2.0`` gives 0.2.0; a commit after it 0.2.1.devN+gHASH. A source tree never built or installed
has no ``_version.py`` and says so: 0.0.0+unknown (as a build with no git history does).
"""
try:
    from ._version import __version__
except ImportError:
    __version__ = "0.0.0+unknown"
