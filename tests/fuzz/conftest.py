"""With XJ_FUZZ_REPORT=1, print what the fuzzing exercised and which error texts showed untranslated."""

import os


def pytest_terminal_summary(terminalreporter):
    if not os.environ.get("XJ_FUZZ_REPORT"):
        return
    from .harness import OUTCOMES, UNTRANSLATED

    terminalreporter.section("fuzz outcomes")
    for (subject, kind, outcome), count in sorted(OUTCOMES.items()):
        terminalreporter.write_line(f"{subject:40} {kind:10} {outcome:8} {count}")
    for text in sorted(UNTRANSLATED):
        terminalreporter.write_line(f"untranslated: {text}")
