"""``interlock approve NAME --role ROLE`` and ``interlock approvals NAME``: sign-offs
bound to the content of the documents, and where they stand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interlock.cli.options import JsonOpt, NameArg

if TYPE_CHECKING:
    from interlock.workspace.approval_review import ApprovalReview

RoleOpt = Annotated[
    str,
    typer.Option(
        "--role",
        metavar="ROLE",
        help="The role you approve in: one the interview names as having to sign off.",
        show_default=False,
    ),
]
ApproverOpt = Annotated[
    str | None,
    typer.Option("--by", metavar="PERSON", help="Who approves. Default: git user.name."),
]
CommentOpt = Annotated[
    str, typer.Option("--comment", metavar="TEXT", help="A note kept with the approval.")
]
_SHOWN_DIGEST = 12
"""Hex digits of a digest shown: enough to compare, short enough to read."""


def approve(name: NameArg, role: RoleOpt, by: ApproverOpt = None, comment: CommentOpt = "") -> None:
    """Approve the rendered documents as they are now, in one of the required roles."""
    # Imported here, so that `interlock --help` starts fast.
    from interlock.folders.workspace import WorkspaceFolder

    folder = WorkspaceFolder.find(Path.cwd()).integration(name)
    recorded = folder.approve(role, by=by, comment=comment)
    approval, review = recorded.approval, recorded.review
    typer.echo(
        f"Approved as {approval.role} by {approval.by}: {', '.join(approval.documents)}"
        f" ({_short(approval.digest)})"
    )
    typer.echo(f"Recorded in {recorded.record_path.relative_to(folder.root)}.")
    if recorded.stamped is not None:
        typer.echo(
            f"Front matter of {recorded.stamped.relative_to(folder.root)}: "
            f"status {review.status}, approvers {', '.join(review.approvers)}."
        )
    typer.echo(_standing(review))


def approvals(name: NameArg, as_json: JsonOpt = False) -> None:
    """List every approval, current or stale, and the roles still missing."""
    from interlock.folders.workspace import WorkspaceFolder

    folder = WorkspaceFolder.find(Path.cwd()).integration(name)
    review = folder.approvals()
    record = review.record.path.relative_to(folder.root).as_posix()
    if as_json:
        typer.echo(json.dumps(review.to_dict(record), indent=2, ensure_ascii=False))
        return
    if not review.entries:
        typer.echo(f"No approval is recorded ({record} does not exist yet).")
    else:
        typer.echo(f"{record}:")
    for entry in review.entries:
        approval = entry.approval
        when = approval.at.strftime("%Y-%m-%d %H:%M UTC")
        line = f"  {entry.state.value:<8} {approval.role} by {approval.by}, {when}"
        line += f", {_short(approval.digest)}"
        if entry.changed:
            line += f"; since then: {', '.join(entry.changed)}"
        if entry.state.value == "unsealed":
            line += f"; line {approval.line} was changed by hand: it does not count"
        if not entry.required:
            line += "; not a role the interview requires now"
        typer.echo(line)
        if approval.comment:
            typer.echo(f"           {' '.join(approval.comment.split())}")
    typer.echo(_standing(review))


def _standing(review: ApprovalReview) -> str:
    if review.required is None:
        return "Roles required: none yet (consumers.approvers is unanswered or open)."
    if not review.required:
        return "Roles required: none (the interview names nobody who must approve)."
    done = sum(1 for role in review.roles if role.current is not None)
    text = f"{done} of {len(review.roles)} required roles approved the documents as they are"
    if review.missing:
        text += f"; missing: {', '.join(review.missing)}"
    stale = [role.role for role in review.stale]
    if stale:
        text += f"; stale (approve again after review): {', '.join(stale)}"
    return text + "."


def _short(digest: str) -> str:
    algorithm, _, hexdigits = digest.partition(":")
    return f"{algorithm}:{hexdigits[:_SHOWN_DIGEST]}"


__all__ = ["approvals", "approve"]
