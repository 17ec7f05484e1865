"""``python -m takt``."""

from __future__ import annotations

import sys

from takt.cli import main

sys.exit(main())
