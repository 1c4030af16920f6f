"""Widgets shared by the screens: the header, the rooms' grid, text that lines up in cells."""
