"""Partial indexes over the on-hand rows that are not zero.

On-hand keeps a row for every item x lot x location that ever held stock, so most rows are
zero after a while (29,089 of 29,103 at the line-side location in the million-movement bench).
The stock list, the count behind it and a report's look-up of the line's stock only want the
non-zero ones; these indexes hold just those.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T02:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Partial indexes on non-zero on-hand rows by location and by item"

STATEMENTS = (
    "CREATE INDEX IF NOT EXISTS inv_on_hand_location_nonzero ON inv_on_hand (location) "
    "WHERE quantity <> 0",
    "CREATE INDEX IF NOT EXISTS inv_on_hand_item_nonzero ON inv_on_hand (item) "
    "WHERE quantity <> 0",
)


class _OnHand(Table, tablename="inv_on_hand"):
    """Only to run raw SQL on the app\'s engine."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inventory", description=DESCRIPTION)

    async def create_indexes():
        for statement in STATEMENTS:
            await _OnHand.raw(statement)

    async def drop_indexes():
        for name in ("inv_on_hand_location_nonzero", "inv_on_hand_item_nonzero"):
            await _OnHand.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
