"""Piccolo app of the inventory module."""

from __future__ import annotations

from pathlib import Path

from piccolo.conf.apps import AppConfig

from takt.inventory import tables

APP_CONFIG = AppConfig(
    app_name="inventory",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[getattr(tables, name) for name in tables.__all__],
    migration_dependencies=["takt.masterdata.piccolo_app"],
    commands=[],
)
