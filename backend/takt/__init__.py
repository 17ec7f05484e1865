"""Takt: an open-source manufacturing execution system for the shop floor."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
