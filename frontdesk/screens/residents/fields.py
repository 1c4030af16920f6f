"""The fields only resident forms have: gender, the relation to the head, the document type and
the category, a member of the household as a choice; and how the detail names a document and
writes its history."""

from __future__ import annotations

from typing import Any

from textual.widget import Widget
from textual.widgets import Input, Label, Select

from frontdesk.i18n import _
from frontdesk.residents.detail import HouseholdView, MemberView, ResidentDetail
from frontdesk.screens.base.forms import choice
from frontdesk.vocabulary import DocumentType, Gender, Relation, ResidentCategory
from frontdesk.widgets.text import display

HEAD = Relation.HEAD.value
ID_CARD = DocumentType.ID_CARD.value
REGISTERED = ResidentCategory.REGISTERED.value
# numbered after GB 11643: the 18-character hint fits them
EIGHTEEN = frozenset({DocumentType.ID_CARD.value, DocumentType.RESIDENCE_PERMIT.value})


def gender_choice(value: str | None = None) -> Select[Any]:
    return choice([(_(f"enum.gender.{g.value}"), g.value) for g in Gender], value)


def relation_choice(value: str | None = None, *, head: bool = False) -> Select[Any]:
    """The relations to the head; the head itself only when ``head`` (then nothing else)."""
    if head:
        return choice([(_("enum.relation.head"), HEAD)], HEAD, allow_blank=False)
    return choice([(_(f"enum.relation.{r.value}"), r.value) for r in Relation if r != HEAD], value)


def document_choice(value: str | None = None) -> Select[Any]:
    """证件类型: 居民身份证 unless the record says otherwise."""
    options = [(_(f"enum.document_type.{d.value}"), d.value) for d in DocumentType]
    return choice(options, value or ID_CARD, allow_blank=False)


def category_choice(value: str | None = None) -> Select[Any]:
    """人员类别: 户籍 unless the record says otherwise."""
    options = [(_(f"enum.resident_category.{c.value}"), c.value) for c in ResidentCategory]
    return choice(options, value or REGISTERED, allow_blank=False)


def number_label_key(document_type: str | None) -> str:
    """身份证号 for an ID card, 证件号码 for any other document."""
    return "form.field.id_number" if document_type in (None, ID_CARD) else "form.field.document"


def number_placeholder(document_type: str | None) -> str:
    """What a new number looks like: 18 characters, or letters and digits as printed."""
    if document_type is None or document_type in EIGHTEEN:
        return _("form.id_placeholder")
    return _("form.document_placeholder")


def document_label(document_type: str) -> str:
    """身份证 before an ID card's masked number (the detail); the document's own name before any
    other's (护照 E1*****78)."""
    if document_type == ID_CARD:
        return _("detail.id_number")
    return _(f"enum.document_type.{document_type}")


def follow_document(form: Widget, select: Select[Any], *, placeholder: bool) -> None:
    """The number field beside ``select`` (``…document_type`` → ``…id_number``) takes the label
    of the document chosen, and (``placeholder``: a new person's empty field) its hint."""
    document = select.value
    chosen = None if document is Select.NULL else str(document)
    number = (select.id or "").removesuffix("document_type") + "id_number"
    labels = form.query(f"#row-{number.removeprefix('f-')} .field-label")
    if labels and isinstance(label := labels.first(), Label):
        label.update(_(number_label_key(chosen)))
    inputs = form.query(f"#{number}")
    if placeholder and inputs and isinstance(field := inputs.first(), Input):
        field.placeholder = number_placeholder(chosen)


def member_label(member: MemberView) -> str:
    return f"{display(member.name)}（{_(f'enum.relation.{member.relation}')}，{member.age}）"


def living_others(household: HouseholdView, resident_id: int) -> list[MemberView]:
    """The living members other than ``resident_id``, head first."""
    return [m for m in household.members if m.status == "living" and m.id != resident_id]


def masked_phones(detail: ResidentDetail) -> dict[int, str]:
    """Every person a resident's page shows, with their masked phone ("" for none)."""
    phones = {detail.person.id: detail.person.phone_masked}
    for flat in detail.neighbours:
        phones.update((n.id, n.phone_masked) for n in flat.residents)
    phones.update((m.id, m.phone_masked) for m in detail.household.members)
    if detail.former is not None:
        phones.update((r.id, r.phone_masked) for r in detail.former.relatives)
    return {k: v or "" for k, v in phones.items()}


def history_text(detail: ResidentDetail) -> str:
    """The detail's 记录: moves, the last five requests and bookings."""
    lines = [f"[b]{_('detail.history')}[/b]"]
    for move in detail.moves:
        place = move.to_address or move.from_address
        lines.append(f"{move.on_date:%Y-%m-%d}  {_(f'detail.move.{move.kind}')}  {place}")
    for request in detail.requests[:5]:
        lines.append(
            f"{request.created_at:%Y-%m-%d}  {request.number}  "
            f"{_(f'category.{request.category}')}  "
            f"{_(f'enum.request_status.{request.status}')}"
        )
    for booking in detail.bookings[:5]:
        lines.append(
            f"{booking.starts_at:%Y-%m-%d %H:%M}  {booking.room_name}  {display(booking.title)}"
        )
    if len(lines) == 1:
        lines.append(_("detail.none"))
    return "\n".join(lines)
