"""Residents: lookup (``search``), the detail view, privacy (masking and reveals), editing.

Every function here returns frozen dataclasses or plain values, never Peewee rows, and imports
no Textual.
"""
