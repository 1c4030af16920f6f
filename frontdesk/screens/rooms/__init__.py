"""The center's rooms: the calendar (F3), bookings, closures, the room report."""
