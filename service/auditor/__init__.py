"""The auditor's desk: find, download and verify every filing and audit event, read-only."""
