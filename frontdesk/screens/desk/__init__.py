"""The desk itself: the login, the lock, home (F5), help (F1), one's own password."""
