"""The screens, grouped by what they serve; each with its ``.tcss`` beside it.

- ``base``: what every screen shares — ``DeskScreen`` / ``DeskModal`` and the one way to call a
  service (``base.screen``), the desk a screen may ask for (``base.host``), forms, the choice
  pop-up, translated keys, following other desks' changes, the palette's commands, the theme.
- ``desk``: the login, the lock, home (F5), help (F1), one's own password.
- ``residents``: search (F2), a resident's detail, the resident and household forms.
- ``rooms``: the rooms' calendar (F3), bookings, closures, the room report.
- ``requests``: the queue (F4), a request's detail, logging one (F6), its actions.
- ``office``: staff (F7), the audit log (F9), settings (F10).
"""
