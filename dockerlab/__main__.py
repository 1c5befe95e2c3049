"""``python -m dockerlab`` is the ``dockerlab`` command."""
import sys

from .commands.cli import main

sys.exit(main())
