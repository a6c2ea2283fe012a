"""Hold the lock of an answers file until stdin closes, printing ``locked`` once held.

``session`` holds it the way an interview does (with the note saying who holds it);
``bare`` holds only the OS lock, like a holder that has not written its note yet.
"""

from __future__ import annotations

import sys

from filelock import FileLock

from interlock.interview.store import AnswerStore


def main(path: str, how: str) -> None:
    store = AnswerStore(path)
    if how == "session":
        with store.session():
            print("locked", flush=True)
            sys.stdin.read()
    else:
        with FileLock(store.lock_path):
            print("locked", flush=True)
            sys.stdin.read()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
