"""Piccolo app of the platform module."""

from __future__ import annotations

from pathlib import Path

from piccolo.conf.apps import AppConfig

from takt.platform.tables import (
    AdminSession,
    AuditEntry,
    DocumentSequence,
    IdempotencyRecord,
    PushSubscription,
    User,
)

APP_CONFIG = AppConfig(
    app_name="platform",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[User, AdminSession, IdempotencyRecord, AuditEntry, DocumentSequence,
                   PushSubscription],
    migration_dependencies=[],
    commands=[],
)
