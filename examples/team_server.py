"""The team server on the demo workspace: a token, ``interlock serve``, one API call.

``make demo`` runs this after the interview is answered in ``demo-output/workspace``.
It creates an admin token, starts ``interlock serve`` on a free loopback port, asks the
API where the order service stands and which approvals are missing, then stops the
server and prints how to start it yourself and sign in from a browser.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
WORKSPACE = ROOT / "demo-output" / "workspace"
INTERLOCK = [sys.executable, "-m", "interlock"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def main() -> None:
    token = subprocess.run(
        [*INTERLOCK, "token", "create", "--name", "Demo Admin", "--role", "admin"],
        cwd=WORKSPACE,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"$ interlock token create --name 'Demo Admin' --role admin\n{token[:10]}… (shown once)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    print(f"$ interlock serve --port {port}")
    server = subprocess.Popen([*INTERLOCK, "serve", "--port", str(port)], cwd=WORKSPACE)
    try:
        headers = {"Authorization": f"Bearer {token}"}
        deadline = time.monotonic() + 30
        while True:
            try:
                status = httpx.get(f"{url}/api/v1/integrations/order-service", headers=headers)
                break
            except httpx.ConnectError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("demo: interlock serve did not start")
                time.sleep(0.2)
        status.raise_for_status()
        data = status.json()
        progress = data["progress"]
        print(
            f"GET /api/v1/integrations/order-service: {progress['answered']} answered, "
            f"{len(data['open_questions'])} open question(s)"
        )
        approvals = httpx.get(f"{url}/api/v1/integrations/order-service/approvals", headers=headers)
        approvals.raise_for_status()
        print(
            "GET /api/v1/integrations/order-service/approvals: status "
            f"{approvals.json()['status']}, missing {', '.join(approvals.json()['missing'])}"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    shown = WORKSPACE.relative_to(ROOT)
    print(
        "\nTo answer, review and approve in the browser:\n"
        f"  cd {shown}\n"
        "  ../../.venv/bin/interlock token create --name 'Your Name' --role admin\n"
        "  ../../.venv/bin/interlock serve        # then open http://127.0.0.1:8000/ "
        "and sign in with the token"
    )


if __name__ == "__main__":
    main()
