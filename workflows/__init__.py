"""The rulebook: the lifecycle machine, the statutory clock, monitoring rules.

Plain Python: nothing here imports Flask, SQLAlchemy or `service`.
"""
