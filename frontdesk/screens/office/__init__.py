"""The office: staff (F7), the audit log (F9), settings (F10)."""
