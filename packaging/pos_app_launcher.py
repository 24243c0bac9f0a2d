"""The desktop bundle's entry point: ``pos-app`` (the window, ``--smoke`` and every
headless command), as the installed console script runs it."""

import sys

from pos_app.cli.main import main

sys.exit(main())
