"""Run Interlock end to end on the bundled examples, as a user would.

``make demo`` runs this. Each step prints the command it runs and its output.

1. A fresh workspace in ``demo-output/workspace``: the full-depth interview of an order
   service (a payment API, an e-mail API, an internal user service and a message
   queue) is answered from ``examples/order-service/answers.yaml``, the payment provider is
   researched from its OpenAPI document, the documents are rendered (specification,
   Integration Points, interview summary, plan, research notes, outcome), and the
   validator checks them.
2. The example workspace in ``examples/workspace``: a complete spec that passes, a spec
   with problems and a small web of traceability links, reported in every format.
3. An AI agent drives an interview over MCP: ``examples/mcp_session.py`` starts
   ``interlock mcp`` in a temporary workspace and answers, skips and reads as an agent
   would, through the MCP SDK's client.
4. The team server: ``examples/team_server.py`` creates a token, starts ``interlock
   serve`` on the workspace of step 1, asks its API where the interview stands, and
   prints how to start it and sign in from a browser.

Findings in step 2 are on purpose; the demo fails only when a command breaks.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUTPUT = ROOT / "demo-output"
FRESH = OUTPUT / "workspace"
EXAMPLE = HERE / "workspace"
ANSWERS = HERE / "order-service" / "answers.yaml"
PAYMENTS_API = HERE / "order-service" / "payments-openapi.yaml"
MCP_SESSION = HERE / "mcp_session.py"
TEAM_SERVER = HERE / "team_server.py"
INTERLOCK = [sys.executable, "-m", "interlock"]


def step(title: str, *args: str, cwd: Path, expect: tuple[int, ...] = (0,)) -> None:
    """Run one interlock command, show it and its output, and check its exit code."""
    print(f"\n=== {title}\n$ interlock {shlex.join(args)}", flush=True)
    done = subprocess.run([*INTERLOCK, *args], cwd=cwd, check=False)
    if done.returncode not in expect:
        sys.exit(f"demo: 'interlock {shlex.join(args)}' exited {done.returncode}")
    print(f"(exit code {done.returncode})", flush=True)


def script_step(title: str, script: Path) -> None:
    """Run one example script, show it and its output, and check that it exits 0."""
    shown = script.relative_to(ROOT)
    print(f"\n=== {title}\n$ python {shown}", flush=True)
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, check=False)
    if done.returncode != 0:
        sys.exit(f"demo: 'python {shown}' exited {done.returncode}")
    print(f"(exit code {done.returncode})", flush=True)


def interview_to_documents() -> None:
    FRESH.mkdir(parents=True)
    step("Create a workspace", "init", cwd=FRESH)
    step(
        "Answer the integration interview, at full depth, from a file",
        "interview",
        "order-service",
        "--depth",
        "full",
        "--answers",
        str(ANSWERS),
        "--by",
        "Demo",
        "--no-input",
        cwd=FRESH,
    )
    step(
        "Research the payment provider from its OpenAPI document",
        "research",
        "order-service",
        "--openapi",
        str(PAYMENTS_API),
        "--system-name",
        "Stripe",
        cwd=FRESH,
    )
    step("Where the interview stands", "status", "order-service", cwd=FRESH)
    step("Render the documents", "render", "order-service", "--author", "Demo Author", cwd=FRESH)
    step(
        "The rendered documents pass review",
        "validate",
        "specs/order-service",
        "--preset",
        "review",
        "--no-color",
        cwd=FRESH,
    )
    step("Record the outcome once it is built", "outcome", "order-service", cwd=FRESH)


def validate_examples() -> None:
    step("A complete hand-written spec passes review", "validate", "specs/payments", cwd=EXAMPLE)
    step(
        "The example workspace: placeholders, missing sections, broken links, a secret",
        "validate",
        "--no-color",
        cwd=EXAMPLE,
        expect=(1,),
    )
    reports = (
        ("sarif", "interlock.sarif"),
        ("json", "interlock.json"),
        ("junit", "interlock.xml"),
        ("markdown", "report.md"),
    )
    for fmt, name in reports:
        step(
            f"Report as {fmt}",
            "validate",
            "--format",
            fmt,
            "--output",
            str(OUTPUT / name),
            cwd=EXAMPLE,
            expect=(1,),
        )
    step(
        "Production is stricter: open checklists and approval",
        "validate",
        "specs/payments",
        "--preset",
        "production",
        cwd=EXAMPLE,
        expect=(1,),
    )
    step("The traceability graph, for a pull request", "graph", "--format", "mermaid", cwd=EXAMPLE)
    step("One rule explained", "rules", "dangling-link", cwd=EXAMPLE)


def main() -> None:
    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir()
    interview_to_documents()
    validate_examples()
    script_step("An AI agent drives the interview over MCP", MCP_SESSION)
    script_step("The team answers, reviews and approves in the browser", TEAM_SERVER)
    documents = sorted((FRESH / "specs" / "order-service").rglob("*.md"))
    print("\nRendered documents:")
    for path in documents:
        print(f"  {path.relative_to(ROOT)}")
    print(
        f"Reports: {', '.join(sorted(path.name for path in OUTPUT.glob('*.*')))} in "
        f"{OUTPUT.relative_to(ROOT)}/"
    )


if __name__ == "__main__":
    main()
