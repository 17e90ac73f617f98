"""Supervision after registration: reports, findings, supervisory action, the dashboard."""
