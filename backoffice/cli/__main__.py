"""``python -m backoffice.cli``: the same as the ``pos-backoffice`` command."""

import sys

from backoffice.cli.main import main

sys.exit(main())
