"""The pages of the team server (being built)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

__all__ = ["mount_static", "router"]

router = APIRouter()


def mount_static(app: FastAPI) -> None:
    """Serve the pages' style sheet and script."""
    del app
