"""Prints the fuzz run's figures (operations, examples, failures) whether it passed or not."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.fuzz.test_api_fuzz import FIGURES

    if FIGURES:
        terminalreporter.section("API fuzz run (schemathesis)")
        for line in FIGURES:
            terminalreporter.write_line(line)
