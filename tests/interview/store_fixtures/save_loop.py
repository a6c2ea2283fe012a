"""Save a growing answer sheet in a loop, printing the count after each save returns.

The store tests run this in a subprocess and kill it at random moments; it resumes
from the file it finds, so several kills grow one sheet. With ``FUNCTION CALL``
arguments it crashes itself instead, just before the CALL-th call of
``os.FUNCTION`` made after its third save: a crash at a chosen step of a write.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from interlock.interview.answers import Answer, AnswerSheet
from interlock.interview.store import AnswerStore


def answer_text(number: int) -> str:
    """Return the text saved as answer ``number``: long enough for a kill to land mid-write."""
    return f"answer {number}\nsecond line, ünïcødé 🚀\n" + " ".join(["padding"] * 200) + "\n"


def crash_before(function: str, call: int) -> None:
    """Make the ``call``-th call of ``os.<function>`` kill this process, as a crash would."""
    real = getattr(os, function)
    calls = 0

    def crashing(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == call:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    setattr(os, function, crashing)


def main(path: str, crash: list[str]) -> None:
    store = AnswerStore(path, lock_timeout=10)
    sheet = store.load() if store.exists() else AnswerSheet(name="loop")
    count = len(sheet.answers)
    saves = 0
    while True:
        count += 1
        sheet = sheet.with_answer(f"q{count}", Answer(value=answer_text(count), by="loop"))
        store.save(sheet)
        print(count, flush=True)
        saves += 1
        if crash and saves == 3:
            crash_before(crash[0], int(crash[1]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
