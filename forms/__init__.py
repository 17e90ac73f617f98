"""What a submission must contain: marshmallow schemas, one per submission.

Plain Python: nothing here imports Flask, SQLAlchemy or `service`. Field
labels and help text live in each field's `metadata`; validation messages are
written in English and Korean next to the rule that raises them.
"""
