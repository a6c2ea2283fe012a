"""Run Interlock end to end on the bundled example workspace, as a user would.

``make demo`` runs this. Each step prints the command it runs and its output; the
reports land in ``demo-output/``. The example workspace has a complete spec that
passes, a spec with problems and a small web of traceability links, so the run
shows findings on purpose: the demo fails only when a command breaks.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKSPACE = HERE / "workspace"
OUTPUT = ROOT / "demo-output"
INTERLOCK = [sys.executable, "-m", "interlock"]


def step(title: str, *args: str, cwd: Path = WORKSPACE, expect: tuple[int, ...] = (0,)) -> None:
    """Run one interlock command, show it and its output, and check its exit code."""
    print(f"\n=== {title}\n$ interlock {shlex.join(args)}", flush=True)
    done = subprocess.run([*INTERLOCK, *args], cwd=cwd, check=False)
    if done.returncode not in expect:
        sys.exit(f"demo: 'interlock {shlex.join(args)}' exited {done.returncode}")
    print(f"(exit code {done.returncode})")


def main() -> None:
    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir()
    shutil.rmtree(WORKSPACE / ".interlock" / "cache", ignore_errors=True)
    step("A complete integration spec passes review", "validate", "specs/payments")
    step(
        "The whole workspace: a spec with problems, broken links and a secret",
        "validate",
        "--no-color",
        expect=(1,),
    )
    for fmt, name in (("sarif", "interlock.sarif"), ("json", "interlock.json"),
                      ("junit", "interlock.xml"), ("markdown", "report.md")):
        step(f"Report as {fmt}", "validate", "--format", fmt, "--output", str(OUTPUT / name),
             expect=(1,))
    step("Production is stricter: open checklists and approval", "validate", "specs/payments",
         "--preset", "production", expect=(1,))
    step("One rule explained", "rules", "dangling-link")
    print(f"\nReports written to {OUTPUT.relative_to(ROOT)}/: "
          + ", ".join(sorted(path.name for path in OUTPUT.iterdir())))


if __name__ == "__main__":
    main()
