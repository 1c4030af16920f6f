"""Verifying the audit chains, and the anchors that make a rebuilt chain show.

Whoever can write the database file can drop the triggers, edit entries and compute every hash
again: a chain without a key cannot stop that. So the guarantee is "tamper-evident back to the
last anchor kept outside the file": an anchor holds each chain's head (place, uid, hash, time);
a chain that no longer holds that entry, or holds it changed, or ends before it, was rewritten
or cut. ``frontdesk backup`` writes one beside every copy; ``frontdesk audit anchor`` and the
supervisor's F9 write one on demand.

``verify`` walks every chain from its first entry; ``verify_tail`` (the desk, at start and on
its rounds) only the last ``TAIL`` entries of each — cheap, and what an edit of recent entries
touches.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from frontdesk.db.audit_chain import (
    GENESIS,
    INSTALLATION,
    at_text,
    chain_hash,
    chain_rows,
    chains,
    entry_at,
    head_entry,
    row_content,
)
from frontdesk.errors import UserError

TAIL = 200  # entries of each chain a desk checks on its rounds
ANCHOR_KIND = "frontdesk-audit-anchor"
ANCHOR_VERSION = 1

# What can be wrong at an entry (``audit_chain.problem.<name>`` in the catalogs).
ALTERED = "altered"  # its content does not give its hash: edited or back-dated in place
RELINKED = "relinked"  # it does not point at the entry before it: one inserted or removed
MISSING = "missing"  # a place in the chain is empty: an entry deleted
DUPLICATE = "duplicate"  # a second entry at one place: one inserted
REPOINTED = "repointed"  # it names another record than the one it was written about
TRUNCATED = "truncated"  # the chain ends before the anchor's head: its tail cut off
DIFFERS = "differs"  # the anchor's head is there, changed: the chain was rebuilt


@dataclass(frozen=True)
class Break:
    """The first broken entry of a chain."""

    community: str | None  # its code; None: the installation's chain
    seq: int
    uid: str  # "" when the entry is gone
    at: str  # ISO time; "" when the entry is gone
    problem: str
    other: dict[str, Any] = field(default_factory=dict)  # the neighbour it concerns

    def signature(self) -> str:
        return f"chain:{self.community or ''}:{self.seq}:{self.uid}:{self.problem}"


@dataclass(frozen=True)
class Head:
    """A chain's last entry: what an anchor keeps."""

    community: str | None
    count: int  # entries in the chain (its head's place, when intact)
    head_seq: int
    head_uid: str
    head_hash: str
    head_at: str


@dataclass(frozen=True)
class Verdict:
    heads: list[Head]
    breaks: list[Break]
    entries: int  # entries looked at
    anchor_checked: bool = False

    @property
    def intact(self) -> bool:
        return not self.breaks


def _walk(
    key: int, code: str | None, rows: Iterable[dict[str, Any]], *, window: bool
) -> tuple[Head | None, Break | None, int]:
    """Check one chain's entries in order; ``window``: they start mid-chain (the first one's
    link is taken as given)."""
    first_break: Break | None = None
    prev_hash, prev_uid, expected = GENESIS, "", 1
    last: dict[str, Any] | None = None
    seen = 0
    for row in rows:
        seen += 1
        if window and last is None:
            prev_hash, expected = row["prev_hash"], row["seq"]
        if first_break is None:
            problem, other = _problem(row, expected, prev_hash, prev_uid)
            if problem is not None:
                seq = expected if problem == MISSING else row["seq"]
                uid = "" if problem == MISSING else row["uid"]
                at = "" if problem == MISSING else at_text(row["at"])
                if problem == MISSING:
                    other = {"seq": row["seq"], "uid": row["uid"], "at": at_text(row["at"])}
                first_break = Break(code, seq, uid, at, problem, other)
        prev_hash, prev_uid, expected = row["hash"], row["uid"], max(expected, row["seq"] + 1)
        last = row
    if last is None:
        return None, first_break, 0
    head = Head(code, seen, last["seq"], last["uid"], last["hash"], at_text(last["at"]))
    return head, first_break, seen


def _problem(
    row: dict[str, Any], expected: int, prev_hash: str, prev_uid: str
) -> tuple[str | None, dict[str, Any]]:
    if row["seq"] < expected:
        return DUPLICATE, {"seq": row["seq"]}
    if row["seq"] > expected:
        return MISSING, {}
    if row["prev_hash"] != prev_hash:
        return RELINKED, {"seq": expected - 1, "uid": prev_uid}
    if chain_hash(row["prev_hash"], row_content(row)) != row["hash"]:
        return ALTERED, {}
    if row["entity_id"] is not None and row["subject_uid"] != row["entity_uid"]:
        return REPOINTED, {}
    return None, {}


def verify(*, tail: int | None = None) -> Verdict:
    """Every chain of the bound database, from its first entry (``tail``: its last ``tail``)."""
    heads: list[Head] = []
    breaks: list[Break] = []
    entries = 0
    for key, code in chains():
        rows = chain_rows(key, last=tail)
        head, broken, seen = _walk(key, code, rows, window=tail is not None)
        entries += seen
        if head is not None:
            heads.append(head)
        if broken is not None:
            breaks.append(broken)
    return Verdict(heads, breaks, entries)


def verify_tail() -> Verdict:
    return verify(tail=TAIL)


# ------------------------------------------------------------------------------------ anchors


def current_heads() -> list[Head]:
    """Each chain's head as it stands (one indexed read per chain), for an anchor."""
    heads = []
    for key, code in chains():
        row = head_entry(key)
        if row is not None:
            heads.append(
                Head(code, row["seq"], row["seq"], row["uid"], row["hash"], at_text(row["at"]))
            )
    return heads


def anchor_document(now: datetime, database: str) -> dict[str, Any]:
    return {
        "kind": ANCHOR_KIND,
        "version": ANCHOR_VERSION,
        "written_at": now.isoformat(timespec="seconds"),
        "database": database,
        "chains": [asdict(head) for head in current_heads()],
    }


def write_anchor(path: Path, now: datetime, database: str) -> dict[str, Any]:
    """Write the anchor of the bound database to ``path`` (JSON, readable by its owner only;
    never over an existing file)."""
    import os

    document = anchor_document(now, database)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with open(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return document


def read_anchor(path: Path) -> list[Head]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("kind") != ANCHOR_KIND:
            raise ValueError(document.get("kind"))
        return [Head(**chain) for chain in document["chains"]]
    except OSError as exc:
        raise UserError(
            "audit_chain.anchor_unreadable", path=str(path), error=exc.strerror
        ) from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError("audit_chain.anchor_invalid", path=str(path)) from exc


def check_anchor(verdict: Verdict, anchor: list[Head]) -> Verdict:
    """``verdict`` with what ``anchor`` shows besides: a chain cut before the anchor's head,
    or holding it changed (rebuilt)."""
    keys = {code: key for key, code in chains()}
    heads = {head.community: head for head in verdict.heads}
    broken = {b.community for b in verdict.breaks}
    found: list[Break] = []
    for kept in anchor:
        if kept.community in broken:
            continue  # its first break is already named
        head = heads.get(kept.community)
        if head is None or head.head_seq < kept.head_seq:
            found.append(
                Break(
                    kept.community,
                    kept.head_seq,
                    kept.head_uid,
                    kept.head_at,
                    TRUNCATED,
                    {"seq": head.head_seq if head else 0},
                )
            )
            continue
        key = keys.get(kept.community, INSTALLATION)
        row = entry_at(key, kept.head_seq)
        if row is None or row["uid"] != kept.head_uid or row["hash"] != kept.head_hash:
            uid = row["uid"] if row else kept.head_uid
            at = at_text(row["at"]) if row else kept.head_at
            found.append(Break(kept.community, kept.head_seq, uid, at, DIFFERS, {}))
    return Verdict(verdict.heads, [*verdict.breaks, *found], verdict.entries, anchor_checked=True)


def describe(broken: Break) -> str:
    """One line naming the broken entry: its chain, place, uid and time, and what is wrong."""
    from frontdesk.i18n import _

    where = (
        _("audit_chain.where_installation")
        if broken.community is None
        else _("audit_chain.where_community", code=broken.community)
    )
    other = {f"other_{k}": str(v).replace("T", " ") for k, v in broken.other.items()}
    return _(
        f"audit_chain.problem.{broken.problem}",
        where=where,
        seq=broken.seq,
        uid=broken.uid,
        at=broken.at.replace("T", " "),
        **{"other_seq": "", "other_uid": "", "other_at": "", **other},
    )
