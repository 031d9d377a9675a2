"""Prints what the schemathesis run did (cases per operation and their status codes)."""


def pytest_terminal_summary(terminalreporter):
    from skm.api.tests import test_schemathesis as run

    if not run.CASES:
        return
    terminalreporter.write_sep("-", "schemathesis: cases per operation")
    for label, count in sorted(run.CASES.items()):
        codes = ", ".join(f"{status}×{n}" for (op, status), n in sorted(run.STATUSES.items()) if op == label)
        terminalreporter.write_line(f"{label}: {count} cases ({codes})")
    terminalreporter.write_line(f"total: {sum(run.CASES.values())} cases")
