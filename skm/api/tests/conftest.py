"""Prints what the schemathesis run did (cases per operation and their status codes)."""

import sys


def pytest_terminal_summary(terminalreporter):
    # Only when the schemathesis module ran: importing it loads the schema through the app.
    run = sys.modules.get("skm.api.tests.test_schemathesis")
    if run is None or not run.CASES:
        return
    terminalreporter.write_sep("-", "schemathesis: cases per operation")
    for label, count in sorted(run.CASES.items()):
        codes = ", ".join(f"{status}×{n}" for (op, status), n in sorted(run.STATUSES.items()) if op == label)
        terminalreporter.write_line(f"{label}: {count} cases ({codes})")
    terminalreporter.write_line(f"total: {sum(run.CASES.values())} cases")
