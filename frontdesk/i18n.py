"""One i18n layer for every user-facing string.

Messages are looked up by key in ``locale/<lang>.toml`` (nested tables are flattened to dotted
keys) and formatted with ``str.format``. ``zh`` is the default; ``en`` is complete. A test checks
that every key used in the code exists in both catalogs and that both catalogs hold the same keys.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from importlib import resources
from typing import Any

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


@cache
def catalog(language: str) -> dict[str, str]:
    text = resources.files("frontdesk").joinpath("locale", f"{language}.toml").read_text("utf-8")
    return _flatten(tomllib.loads(text))


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
