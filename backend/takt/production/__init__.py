"""Production: work orders, their operations, work reporting, dispatch lists and line boards."""
