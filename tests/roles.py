"""Staff of each role in the open test database, for calling services as that person."""

from __future__ import annotations

from frontdesk.db.models import Staff


def staff_of(role: str = "supervisor") -> int:
    """The first active staff member with ``role`` (the demo has every role)."""
    found = (
        Staff.select(Staff.id)
        .where((Staff.role == role) & (Staff.active == True))  # noqa: E712
        .order_by(Staff.id)
        .scalar()
    )
    assert found is not None, f"no active {role} in this database"
    return int(found)
