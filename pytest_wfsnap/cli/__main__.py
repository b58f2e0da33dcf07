"""``python -m pytest_wfsnap.cli``."""

import sys

from pytest_wfsnap.cli import main

sys.exit(main())
