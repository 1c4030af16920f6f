"""Mobile numbers: 11 digits on a real Chinese prefix, unique across the generated database."""

from __future__ import annotations

import random


class Phones:
    def __init__(self, rng: random.Random) -> None:
        from faker.providers.phone_number.zh_CN import Provider

        self.rng = rng
        self._prefixes = tuple(str(prefix) for prefix in Provider.phonenumber_prefixes)
        self._issued: set[str] = set()

    def new(self) -> str:
        rng = self.rng
        prefixes = self._prefixes
        while True:
            number = (
                f"{prefixes[int(rng.random() * len(prefixes))]}{rng.randrange(100_000_000):08d}"
            )
            if number not in self._issued:
                self._issued.add(number)
                return number

    def landline(self) -> str:
        """An office number in 吕梁 (area code 0358); not a mobile, not checked for reuse."""
        return f"0358-{self.rng.randrange(8_200_000, 8_899_999)}"
