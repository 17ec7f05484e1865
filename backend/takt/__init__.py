"""Takt: an open-source manufacturing execution system for the shop floor."""

from __future__ import annotations

import os

# Piccolo finds its engine and apps through this module, wherever Takt is imported from.
os.environ.setdefault("PICCOLO_CONF", "takt.piccolo_conf")

__all__ = ["__version__"]

__version__ = "0.1.0"
