"""Amounts of money as people read them, for the rules' messages and the forms alike."""


def won(amount: int | float) -> str:
    """`amount` in Korean won with thousands separators, e.g. ₩5,000,000,000."""
    return f"₩{amount:,.0f}"
