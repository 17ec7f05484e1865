"""Piccolo's configuration: the engine and the apps (one per domain module)."""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry

from takt.platform.mode import make_engine
from takt.settings import get_settings

DB = make_engine(get_settings())

APP_REGISTRY = AppRegistry(
    apps=[
        "takt.platform.piccolo_app",
        "takt.masterdata.piccolo_app",
        "takt.workforce.piccolo_app",
        "takt.inventory.piccolo_app",
        "takt.production.piccolo_app",
    ]
)
