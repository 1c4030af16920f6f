"""One i18n layer for every user-facing string.

Messages are looked up by key in ``locale/<lang>.toml`` (nested tables are flattened to dotted
keys) and formatted with ``str.format``. ``zh`` is the default; ``en`` is complete. A test checks
that every key used in the code exists in both catalogs and that both catalogs hold the same keys.

Reading a catalog's TOML takes longer than drawing the first screen would, so the flattened
catalog is kept in the user's cache folder (``marshal``, a few hundred microseconds to load),
under the checksum of the TOML it came from: an edited or upgraded catalog is read afresh.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from platformdirs import user_cache_path

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

_current = DEFAULT_LANGUAGE


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{full}."))
        else:
            flat[full] = str(value)
    return flat


LOCALE = Path(__file__).with_name("locale")


def cache_folder() -> Path:
    """Where flattened catalogs are kept (``FRONTDESK_CACHE``, else the user's cache folder)."""
    return Path(os.environ.get("FRONTDESK_CACHE") or user_cache_path("frontdesk"))


@cache
def catalog(language: str) -> dict[str, str]:
    raw = (LOCALE / f"{language}.toml").read_bytes()
    # what the cached copy must have come from: this TOML, and this Python's marshal format
    stamp = (zlib.crc32(raw), len(raw), sys.version_info[:2])
    kept = cache_folder() / f"catalog-{language}.marshal"
    try:
        found_stamp, flat = marshal.loads(kept.read_bytes())
        if found_stamp == stamp and isinstance(flat, dict):
            return flat
    except (OSError, EOFError, ValueError, TypeError):
        pass  # none yet, unreadable or from another version: read the TOML
    import tomllib

    flat = _flatten(tomllib.loads(raw.decode("utf-8")))
    _keep(kept, marshal.dumps((stamp, flat)))
    return flat


def _keep(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (another desk may be reading it); a folder that cannot
    be written only means the TOML is read again next time."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):  # nothing was written, or nowhere to write it
            temporary.unlink()


def normalise(language: str | None) -> str | None:
    """'zh_CN.UTF-8', 'zh-cn', 'ZH' → 'zh'; 'en_US' → 'en'; anything else → None."""
    if not language:
        return None
    short = language.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return short if short in LANGUAGES else None


def choose(cli_value: str | None = None) -> str:
    """``--lang``, then ``FRONTDESK_LANG``, then Chinese."""
    return normalise(cli_value) or normalise(os.environ.get("FRONTDESK_LANG")) or DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    global _current
    found = normalise(language)
    if found is None:
        raise ValueError(f"unsupported language: {language!r}")
    _current = found


def language() -> str:
    return _current


def _(key: str, /, **params: object) -> str:
    """The message ``key`` in the current language. A missing key shows itself, never crashes."""
    text = catalog(_current).get(key)
    if text is None:
        text = catalog(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**params) if params else text


def has(key: str) -> bool:
    return key in catalog(_current)


def join(items: Iterable[str]) -> str:
    """A list in running text, joined the way the current language writes one (``list.separator``:
    "、" in Chinese, ", " in English)."""
    return _("list.separator").join(items)
