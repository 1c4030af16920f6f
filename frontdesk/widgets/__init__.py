"""Reusable widgets and UI helpers shared by the screens."""
