"""Changes a registered issuer applies for in advance (docs/domain.md section 5)."""
