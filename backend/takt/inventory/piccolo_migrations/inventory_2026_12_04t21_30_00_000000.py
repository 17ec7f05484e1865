"""Line-side on-hand changes of work reports wait as pending deltas, folded in batches.

Every report on a line changes the same few on-hand rows (its components at the line side).
Applied inside each report's commit (the trigger this replaces), those rows stayed locked to
the end of the commit's WAL flush, so reports on a line queued behind each other and every
upsert walked the rows' growing chains of dead versions. On PostgreSQL a report now inserts
its line-side deltas into ``inv_on_hand_pending`` in its own transaction, a worker folds them
into ``inv_on_hand`` in batches (one transaction: the deltas deleted, on-hand changed), and
every read of stock goes through the view ``inv_on_hand_now``, on-hand plus pending deltas,
which is exact in any snapshot. SQLite (writers serialised by ``BEGIN IMMEDIATE``) keeps
writing on-hand in the report itself; its view is on-hand as it is.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-04T21:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Line-side on-hand deltas pending until folded; stock read through a view"

_POSTGRES = (
    "DROP TRIGGER IF EXISTS inv_movement_on_hand_at_commit ON inv_movement",
    "DROP FUNCTION IF EXISTS inv_apply_movement_at_commit()",
    """
    CREATE TABLE inv_on_hand_pending (
        stock_key varchar(64) NOT NULL,
        item integer NOT NULL,
        lot integer,
        location integer NOT NULL,
        quantity numeric(18, 6) NOT NULL,
        at timestamptz NOT NULL
    ) WITH (vacuum_truncate = false)
    """,
    # A queue, written and emptied all the time: no key of its own, one index, which serves
    # both the view's look-up of a row's deltas and its look-up of a location's.
    """
    CREATE INDEX inv_on_hand_pending_location_key
    ON inv_on_hand_pending (location, stock_key)
    """,
    # Rows without pending deltas as they are (a location's or item's query keeps using the
    # partial indexes of inv_on_hand), then every key with pending deltas summed onto its
    # row, or on its own when it has no row yet. Grouped by every column the key is made
    # of, so a query for one location reads only that location's deltas.
    """
    CREATE VIEW inv_on_hand_now AS
    SELECT h.id, h.stock_key, h.item, h.lot, h.location, h.quantity, h.updated_at
    FROM inv_on_hand h
    WHERE NOT EXISTS (SELECT 1 FROM inv_on_hand_pending p
                      WHERE p.location = h.location AND p.stock_key = h.stock_key)
    UNION ALL
    SELECT h.id, p.stock_key, p.item, p.lot, p.location,
           ROUND(COALESCE(h.quantity, 0) + p.quantity, 6)::numeric(18, 6),
           GREATEST(h.updated_at, p.at)
    FROM (SELECT stock_key, item, lot, location, SUM(quantity) AS quantity, MAX(at) AS at
          FROM inv_on_hand_pending GROUP BY stock_key, item, lot, location) p
    LEFT JOIN inv_on_hand h ON h.stock_key = p.stock_key
    """,
)
_SQLITE = (
    """
    CREATE TABLE inv_on_hand_pending (
        stock_key VARCHAR(64) NOT NULL,
        item INTEGER NOT NULL,
        lot INTEGER,
        location INTEGER NOT NULL,
        quantity NUMERIC NOT NULL,
        at TIMESTAMPTZ NOT NULL
    )
    """,
    """
    CREATE VIEW inv_on_hand_now AS
    SELECT id, stock_key, item, lot, location, quantity, updated_at FROM inv_on_hand
    """,
)
_DROP = (
    "DROP VIEW IF EXISTS inv_on_hand_now",
    "DROP TABLE IF EXISTS inv_on_hand_pending",
)


class _OnHand(Table, tablename="inv_on_hand"):
    """Only to run raw SQL on the app's engine."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inventory", description=DESCRIPTION)

    async def create():
        postgres = _OnHand._meta.db.engine_type == "postgres"
        for statement in _POSTGRES if postgres else _SQLITE:
            await _OnHand.raw(statement)

    async def drop():
        for statement in _DROP:
            await _OnHand.raw(statement)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    manager.drop_column(
        table_class_name="Movement",
        tablename="inv_movement",
        column_name="on_hand_at_commit",
        db_column_name="on_hand_at_commit",
        schema=None,
    )
    return manager
