"""Residents: search (F2), a resident's detail, the resident and household forms."""
