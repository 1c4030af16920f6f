"""Keys a role may not use are not offered (the services refuse them anyway)."""

from __future__ import annotations

from typing import cast

from textual.dom import DOMNode

from frontdesk.permissions import Can
from frontdesk.screens.base.host import DeskHost


def permitted(node: DOMNode, needs: dict[str, Can], action: str) -> bool:
    """Whether the signed-in operator may use ``action`` (one of a screen's ``needs``)."""
    need = needs.get(action)
    app = cast(DeskHost, node.app)
    return need is None or app.desk.can(need)
