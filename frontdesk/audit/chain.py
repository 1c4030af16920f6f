"""Verifying the audit chains, and the anchors that make a rebuilt chain show.

Whoever can write the database file can drop the triggers, edit entries and compute every hash
again: a chain without a key cannot stop that. So the guarantee is "tamper-evident back to the
last anchor kept outside the file": an anchor holds each chain's head (place, uid, hash, time);
a chain that no longer holds that entry, or holds it changed, or ends before it, was rewritten
or cut. An entry's hash covers its record's uid, not the row id (a move may renumber rows), so
an anchor also keeps a digest of which record each uid named (``audit_subject``): history
re-pointed at another record shows against it. After a move that renumbers rows, take a new
anchor. ``frontdesk backup`` writes one beside every copy; ``frontdesk audit anchor`` and the
supervisor's F9 write one on demand.

``verify`` walks every chain from its first entry; ``verify_tail`` (the desk, at start and on
its rounds) only the last ``TAIL`` entries of each — cheap, and what an edit of recent entries
touches.
"""

from __future__ import annotations

import hashlib
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
    subjects,
)
from frontdesk.errors import UserError

TAIL = 200  # entries of each chain a desk checks on its rounds
ANCHOR_KIND = "frontdesk-audit-anchor"
ANCHOR_VERSION = 2  # 2: with the subjects' mapping (1: the chains' heads only)

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
class Mapping:
    """Which record each subject uid named, as an anchor keeps it: the subjects up to id
    ``upto``, their ``count``, SHA-256 over their (entity, entity_id, uid) rows sorted, and
    ``marks``: 8 hex digits of each row's own digest, to name the one that changed."""

    upto: int
    count: int
    digest: str
    marks: str


@dataclass(frozen=True)
class Remapped:
    """A subject that names another record than at the anchor (``uid`` "": rows are gone)."""

    entity: str
    entity_id: int
    uid: str
    count_then: int
    count_now: int


@dataclass(frozen=True)
class Anchor:
    heads: list[Head]
    mapping: Mapping | None  # None: a version-1 anchor, kept before mappings were


@dataclass(frozen=True)
class Verdict:
    heads: list[Head]
    breaks: list[Break]
    entries: int  # entries looked at
    anchor_checked: bool = False
    remapped: list[Remapped] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks and not self.remapped


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


def _line(entity: str, entity_id: int, uid: str) -> bytes:
    return f"{entity}\t{entity_id}\t{uid}\n".encode()


def _digest(rows: list[tuple[int, str, int, str]]) -> str:
    lines = sorted(_line(e, n, u) for _i, e, n, u in rows)
    return hashlib.sha256(f"{len(rows)}\n".encode() + b"".join(lines)).hexdigest()


def _mark(entity: str, entity_id: int, uid: str) -> str:
    return hashlib.sha256(_line(entity, entity_id, uid)).hexdigest()[:8]


def current_mapping() -> Mapping:
    """The subjects' mapping as it stands (one read of ``audit_subject``), for an anchor."""
    rows = subjects()
    upto = rows[-1][0] if rows else 0
    marks = "".join(_mark(e, n, u) for _i, e, n, u in rows)
    return Mapping(upto, len(rows), _digest(rows), marks)


def anchor_document(now: datetime, database: str) -> dict[str, Any]:
    return {
        "kind": ANCHOR_KIND,
        "version": ANCHOR_VERSION,
        "written_at": now.isoformat(timespec="seconds"),
        "database": database,
        "chains": [asdict(head) for head in current_heads()],
        "subjects": asdict(current_mapping()),
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


def read_anchor(path: Path) -> Anchor:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("kind") != ANCHOR_KIND:
            raise ValueError(document.get("kind"))
        heads = [Head(**chain) for chain in document["chains"]]
        if int(document.get("version", 1)) < 2:
            return Anchor(heads, None)
        mapping = Mapping(**document["subjects"])
        numbers = isinstance(mapping.upto, int) and isinstance(mapping.count, int)
        if not (numbers and isinstance(mapping.marks, str) and isinstance(mapping.digest, str)):
            raise ValueError(mapping)
        if len(mapping.marks) != 8 * mapping.count:
            raise ValueError(mapping)
        return Anchor(heads, mapping)
    except OSError as exc:
        raise UserError(
            "audit_chain.anchor_unreadable", path=str(path), error=exc.strerror
        ) from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError("audit_chain.anchor_invalid", path=str(path)) from exc


def check_mapping(kept: Mapping) -> list[Remapped]:
    """The subjects the anchor saw (id up to its ``upto``) that no longer name the same
    record: each one whose row changed, named; or, if rows are gone, their count."""
    rows = subjects(kept.upto)
    if len(rows) == kept.count and _digest(rows) == kept.digest:
        return []  # subjects added since are fine
    marks = {kept.marks[i : i + 8] for i in range(0, len(kept.marks), 8)}
    changed = [
        Remapped(e, n, u, kept.count, len(rows))
        for _i, e, n, u in rows
        if _mark(e, n, u) not in marks
    ]
    return changed or [Remapped("", 0, "", kept.count, len(rows))]


def check_anchor(verdict: Verdict, anchor: Anchor) -> Verdict:
    """``verdict`` with what ``anchor`` shows besides: a chain cut before the anchor's head,
    or holding it changed (rebuilt); a subject naming another record than it did."""
    keys = {code: key for key, code in chains()}
    heads = {head.community: head for head in verdict.heads}
    broken = {b.community for b in verdict.breaks}
    found: list[Break] = []
    for kept in anchor.heads:
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
    remapped = [] if anchor.mapping is None else check_mapping(anchor.mapping)
    breaks = [*verdict.breaks, *found]
    return Verdict(verdict.heads, breaks, verdict.entries, anchor_checked=True, remapped=remapped)


def describe_remapped(changed: Remapped) -> str:
    """One line naming a subject that no longer names the record it did at the anchor."""
    from frontdesk.i18n import _

    if not changed.uid:
        return _("audit_chain.subjects_gone", then=changed.count_then, now=changed.count_now)
    return _(
        "audit_chain.subject_repointed",
        uid=changed.uid,
        entity=changed.entity,
        entity_id=changed.entity_id,
    )


def _name(code: str) -> str:
    """The community's name for its code (the code itself when it cannot be read)."""
    from frontdesk.db.models import Community

    try:
        name = Community.select(Community.name).where(Community.code == code).scalar()
    except Exception:  # verify reads a file that may be damaged: the code says enough
        return code
    return str(name) if name else code


def describe(broken: Break) -> str:
    """One line naming the broken entry: its chain, place, uid and time, and what is wrong."""
    from frontdesk.i18n import _

    where = (
        _("audit_chain.where_installation")
        if broken.community is None
        else _("audit_chain.where_community", code=broken.community, name=_name(broken.community))
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


def describe_guards(problems: dict[str, list[str]]) -> list[str]:
    """One line for each kind of guard problem (``audit_chain.guard_problems``)."""
    from frontdesk.i18n import _

    return [
        _(f"audit_chain.guards_{kind}", names=", ".join(names)) for kind, names in problems.items()
    ]
