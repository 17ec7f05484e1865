"""On PostgreSQL, line-side movements of work reports change on-hand when they commit.

Every report on a line changes the same few on-hand rows (its components at the line side).
Written by the report's own statements, their row locks were held until the commit, including
the time a busy worker takes to send it, and reports on one line queued behind each other. A
deferred constraint trigger applies a movement marked ``on_hand_at_commit`` inside the commit
instead, so the row lock lives only there, on the server. SQLite needs none of this (its
writers are serialised by ``BEGIN IMMEDIATE``): there the report writes on-hand itself.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T02:38:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Apply line-side movements to on-hand at commit (PostgreSQL)"

CREATE = (
    """
    CREATE OR REPLACE FUNCTION inv_apply_movement_at_commit() RETURNS trigger AS $$
    DECLARE
        place integer := COALESCE(NEW.to_location, NEW.from_location);
        change numeric := CASE WHEN NEW.to_location IS NOT NULL THEN NEW.quantity
                               ELSE -NEW.quantity END;
    BEGIN
        INSERT INTO inv_on_hand (stock_key, item, lot, location, quantity, updated_at)
        VALUES (NEW.item || ':' || COALESCE(NEW.lot, 0) || ':' || place, NEW.item, NEW.lot,
                place, ROUND(change, 6), NEW.at)
        ON CONFLICT (stock_key) DO UPDATE
        SET quantity = ROUND(inv_on_hand.quantity + excluded.quantity, 6),
            updated_at = excluded.updated_at;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS inv_movement_on_hand_at_commit ON inv_movement",
    """
    CREATE CONSTRAINT TRIGGER inv_movement_on_hand_at_commit
    AFTER INSERT ON inv_movement DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.on_hand_at_commit)
    EXECUTE FUNCTION inv_apply_movement_at_commit()
    """,
)
DROP = (
    "DROP TRIGGER IF EXISTS inv_movement_on_hand_at_commit ON inv_movement",
    "DROP FUNCTION IF EXISTS inv_apply_movement_at_commit()",
)


class _Movement(Table, tablename="inv_movement"):
    """Only to run raw SQL on the app\'s engine."""


async def _run(statements: tuple[str, ...]) -> None:
    if _Movement._meta.db.engine_type != "postgres":
        return
    for statement in statements:
        await _Movement.raw(statement)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inventory", description=DESCRIPTION)

    async def create():
        await _run(CREATE)

    async def drop():
        await _run(DROP)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
