"""``python -m desktop`` runs the hipthrust command."""

import sys

from desktop.cli import main

sys.exit(main())
