"""An item's container quantity and a line's rule for missing scan-to-consume material.

``container_quantity`` is what one box, tray or reel of the item holds: the handheld offers it
as the quantity of a work report (operators report a container at a time) and of a receipt.
``missing_material`` says what a work report does while the step's scan-to-consume components
have not been scanned: ``warn`` (the operator is told what is missing and may go on) or
``refuse`` (409 until the lots are scanned).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Numeric, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T23:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Item container quantity; line rule for missing scan-to-consume material"

_PLAIN = {
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}

async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="masterdata", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Item",
        tablename="md_item",
        column_name="container_quantity",
        db_column_name="container_quantity",
        column_class_name="Numeric",
        column_class=Numeric,
        params={**_PLAIN, "default": None, "null": True, "digits": (18, 6)},
        schema=None,
    )
    manager.add_column(
        table_class_name="Line",
        tablename="md_line",
        column_name="missing_material",
        db_column_name="missing_material",
        column_class_name="Varchar",
        column_class=Varchar,
        params={**_PLAIN, "default": "warn", "null": False, "length": 10},
        schema=None,
    )
    return manager
