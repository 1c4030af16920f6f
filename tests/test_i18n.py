"""Every user-facing string goes through the catalogs, and both catalogs are complete."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from frontdesk import i18n
from frontdesk import vocabulary as enums
from frontdesk.i18n import _, catalog
from frontdesk.overview import DatabaseInfo
from frontdesk.permissions import Can
from frontdesk.residents.privacy import REVEAL_REASONS

PACKAGE = Path(__file__).resolve().parent.parent / "frontdesk"
FIELD = re.compile(r"{(\w*)}")


def _literal_keys() -> set[str]:
    """Keys passed as literals to ``_()``, ``UserError()``, ``Binding()`` and ``has()``."""
    keys: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            args = [
                a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if name in {"_", "UserError"} and args and args[0] is node.args[0]:
                keys.add(str(args[0].value))
            elif name == "Binding" and len(node.args) >= 3 and node.args[2] in args:
                keys.add(str(getattr(node.args[2], "value", "")))
    return keys


def _dynamic_keys() -> set[str]:
    """Families of keys the code builds at run time."""
    keys = {f"weekday.{n}" for n in range(7)}
    keys |= {f"info.{name}" for name in DatabaseInfo.__dataclass_fields__}
    for module in ("home", "residents", "rooms", "requests"):
        keys |= {f"screen.{module}", f"palette.go_{module}_help"}
    keys |= {f"residents.status.{s}" for s in ("living", "moved_out", "deceased", "all")}
    keys |= {f"residents.age.{a}" for a in ("child", "minor", "adult", "elderly", "old")}
    keys |= {f"detail.move.{kind.value}" for kind in enums.MoveKind}
    keys |= {f"resident.neighbour.{where}" for where in ("above", "below", "same_floor")}
    keys |= {f"find.{column}" for column in ("name", "gender", "age", "address", "grid", "phone")}
    keys |= {f"reveal.field.{field}" for field in ("id_number", "phone", "forwarding_contact")}
    keys |= set(REVEAL_REASONS)
    keys |= {f"palette.language_{language}" for language in i18n.LANGUAGES}
    for enum, prefix in [
        (enums.Role, "enum.role"),
        (enums.Gender, "enum.gender"),
        (enums.Relation, "enum.relation"),
        (enums.ResidentStatus, "enum.resident_status"),
        (enums.Urgency, "enum.urgency"),
        (enums.Level, "enum.level"),
        (enums.RequestStatus, "enum.request_status"),
        (enums.BookingStatus, "enum.booking_status"),
    ]:
        keys |= {f"{prefix}.{member.value}" for member in enum}
    keys |= {f"header.role.{role.value}" for role in enums.Role}
    keys |= {f"can.{what.value}" for what in Can}
    from frontdesk import audit

    keys |= {audit.action_key(action) for action in audit.KNOWN_ACTIONS}
    keys |= {f"audit.family.{family}" for family in audit.FAMILIES}
    keys |= {f"audit.entity.{entity}" for entity in audit.ENTITIES}
    keys |= {f"audit.col.{column}" for column in audit.EXPORT_COLUMNS}
    keys |= {"screen.audit_log", "audit_log.operator_item", "audit_log.operator_inactive"}
    keys |= {f"audit_log.col.{c}" for c in ("time", "operator", "action", "record", "reason")}
    keys |= {f"audit_log.filter.{n}" for n in ("since", "until")}
    keys |= {f"audit_log.palette.filter_{n}" for n in ("operator", "action", "since")}
    from frontdesk import settings

    keys |= {spec.label_key for spec in settings.EDITABLE} | {"screen.settings"}
    keys |= {spec.help_key for spec in settings.EDITABLE}
    keys |= {f"settings.unit.{spec.unit}" for spec in settings.EDITABLE if spec.unit}
    keys |= {f"settings.col.{column}" for column in ("setting", "value", "default")}
    return keys


def test_code_uses_keys_present_in_every_catalog() -> None:
    used = _literal_keys() | _dynamic_keys()
    assert len(used) > 100
    for language in i18n.LANGUAGES:
        missing = sorted(used - set(catalog(language)))
        assert not missing, f"{language} catalog lacks {missing}"


@pytest.mark.parametrize("language", [lang for lang in i18n.LANGUAGES if lang != "zh"])
def test_catalogs_hold_the_same_keys_and_placeholders(language: str) -> None:
    zh, other = catalog("zh"), catalog(language)
    assert set(zh) == set(other)
    for key, text in zh.items():
        assert text.strip() and other[key].strip(), key
        assert set(FIELD.findall(text)) == set(FIELD.findall(other[key])), key


def test_chinese_is_the_default_and_english_is_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRONTDESK_LANG", raising=False)
    assert i18n.choose(None) == "zh"
    monkeypatch.setenv("FRONTDESK_LANG", "en_US.UTF-8")
    assert i18n.choose(None) == "en"
    assert i18n.choose("zh") == "zh"
    i18n.set_language("en")
    assert _("key.residents") == "People"
    i18n.set_language("zh")
    assert _("key.residents") == "居民"
    assert _("home.welcome", community="丽景街社区") == "丽景街社区 · 今日概况"


def test_tag_category_and_room_names_are_translated() -> None:
    from frontdesk.demo import DemoOptions  # noqa: F401  (the demo defines the codes)

    for prefix in ("tag.", "category.", "room."):
        zh = {k for k in catalog("zh") if k.startswith(prefix)}
        assert zh and zh == {k for k in catalog("en") if k.startswith(prefix)}


def test_a_catalog_is_read_from_its_cached_copy_until_the_toml_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The flattened catalog is kept (marshal) under the TOML's checksum: the same messages
    from the copy, and an edited catalog read afresh."""
    locale = tmp_path / "locale"
    locale.mkdir()
    toml = locale / "zh.toml"
    toml.write_text('[login]\nsubmit = "登录"\n[app]\ntitle = "前台"\n', "utf-8")
    monkeypatch.setattr(i18n, "LOCALE", locale)
    monkeypatch.setenv("FRONTDESK_CACHE", str(tmp_path / "cache"))
    i18n.catalog.cache_clear()
    try:
        first = i18n.catalog("zh")
        assert first == {"login.submit": "登录", "app.title": "前台"}
        kept = tmp_path / "cache" / "catalog-zh.marshal"
        assert kept.exists()
        i18n.catalog.cache_clear()
        monkeypatch.setattr("tomllib.loads", _no_toml)  # the copy alone answers
        assert i18n.catalog("zh") == first
        monkeypatch.undo()
        monkeypatch.setattr(i18n, "LOCALE", locale)
        monkeypatch.setenv("FRONTDESK_CACHE", str(tmp_path / "cache"))
        toml.write_text('[login]\nsubmit = "签到"\n', "utf-8")  # edited: another checksum
        i18n.catalog.cache_clear()
        assert i18n.catalog("zh") == {"login.submit": "签到"}
        kept.write_bytes(b"not marshal")  # damaged: the TOML is read, the copy made anew
        i18n.catalog.cache_clear()
        assert i18n.catalog("zh") == {"login.submit": "签到"}
        monkeypatch.setenv("FRONTDESK_CACHE", str(toml))  # a folder that cannot be made
        i18n.catalog.cache_clear()
        assert i18n.catalog("zh") == {"login.submit": "签到"}
    finally:
        i18n.catalog.cache_clear()


def _no_toml(text: str) -> object:
    raise AssertionError("the TOML was read though its cached copy was there")


def test_the_real_catalogs_come_back_the_same_from_their_copies() -> None:
    for language in i18n.LANGUAGES:
        i18n.catalog.cache_clear()
        parsed = i18n.catalog(language)  # read from the TOML or from the copy: compared below
        import tomllib

        raw = (i18n.LOCALE / f"{language}.toml").read_text("utf-8")
        assert parsed == i18n._flatten(tomllib.loads(raw))
        i18n.catalog.cache_clear()
        assert i18n.catalog(language) == parsed
