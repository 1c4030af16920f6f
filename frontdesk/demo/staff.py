"""Staff accounts: grid managers, reception, community leaders, subdistrict staff, the admin.

Every account of a role shares one memorable password; each distinct password is hashed once
(scrypt is slow on purpose) with a salt drawn from the generator, so the data stays reproducible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from frontdesk.auth.passwords import hash_password
from frontdesk.demo.context import Context
from frontdesk.vocabulary import Role

PASSWORDS = {
    Role.GRID_MANAGER: "grid2026",
    Role.RECEPTION: "desk2026",
    Role.SUPERVISOR: "lead2026",
    Role.SUBDISTRICT: "jiedao2026",
    Role.ADMIN: "admin2026",
}


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    password: str
    role: str
    display_name: str


@dataclass
class CommunityStaff:
    managers: list[Account] = field(default_factory=list)  # one per level-4 grid, in order
    reception: list[Account] = field(default_factory=list)
    supervisors: list[Account] = field(default_factory=list)  # 社区书记, 社区主任


class StaffMaker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._hashes: dict[str, str] = {}
        self.accounts: list[Account] = []

    def _hash(self, password: str) -> str:
        if password not in self._hashes:
            salt = self.ctx.rng.randbytes(16)
            self._hashes[password] = hash_password(password, salt=salt)
        return self._hashes[password]

    def add(
        self,
        username: str,
        role: Role,
        *,
        community: int | None = None,
        subdistrict: int | None = None,
    ) -> Account:
        ctx = self.ctx
        rng = ctx.rng
        male = rng.random() < 0.45
        birth_year = ctx.today.year - 24 - int(rng.random() * 28)
        display_name = ctx.names.person(male, birth_year)
        password = PASSWORDS[role]
        created = dt.datetime.combine(ctx.launch, dt.time(9, 0)) + dt.timedelta(
            minutes=len(self.accounts)
        )
        table = ctx.tables.staff
        account = Account(table.new_id(), username, password, role.value, display_name)
        table.add(
            account.id,
            username,
            display_name,
            role.value,
            ctx.phones.new(),
            community,
            subdistrict,
            self._hash(password),
            created,
            created,
        )
        self.accounts.append(account)
        return account

    def community(self, community_id: int, code: str, grids_l4: int) -> CommunityStaff:
        slug = code.lower()
        team = CommunityStaff()
        for number in range(1, 3):
            team.supervisors.append(
                self.add(f"lead-{slug}-{number}", Role.SUPERVISOR, community=community_id)
            )
        for number in range(1, 3):
            team.reception.append(
                self.add(f"desk-{slug}-{number}", Role.RECEPTION, community=community_id)
            )
        for number in range(1, grids_l4 + 1):
            team.managers.append(
                self.add(f"gm-{slug}-{number:02d}", Role.GRID_MANAGER, community=community_id)
            )
        return team

    def subdistrict(self, subdistrict_id: int, slug: str) -> list[Account]:
        return [
            self.add(f"jd-{slug}-{number}", Role.SUBDISTRICT, subdistrict=subdistrict_id)
            for number in range(1, 3)
        ]

    def admin(self) -> Account:
        return self.add("admin", Role.ADMIN)
