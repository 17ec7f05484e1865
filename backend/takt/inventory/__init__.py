"""Inventory: lots, the stock ledger and on-hand, receipts, moves, traceability."""
