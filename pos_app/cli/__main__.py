"""``python -m pos_app.cli``: the same as the ``pos-app`` command."""

import sys

from pos_app.cli.main import main

sys.exit(main())
