"""The transparency log: leaves, perfect-subtree hashes, its head and signed checkpoints,
append-only in the database itself. Its first leaf anchors the audit chain as it stood at
the upgrade (docs/transparency.md). An outbox message names the filing it announces, so
its receipt goes with it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 09:50:00

"""

import sqlalchemy as sa
from alembic import op

from translog import merkle
from translog.receipt import leaf_bytes

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

APPEND_ONLY = ("log_leaf", "log_node", "log_checkpoint")
GENESIS_HASH = "0" * 64


def upgrade():
    op.create_table(
        "log_leaf",
        sa.Column("leaf_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("leaf_json", sa.Text(), nullable=False),
        sa.Column("leaf_hash", sa.String(length=64), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("leaf_index", name=op.f("pk_log_leaf")),
        sa.UniqueConstraint("audit_seq", name=op.f("uq_log_leaf_audit_seq")),
    )
    op.create_index(op.f("ix_log_leaf_leaf_hash"), "log_leaf", ["leaf_hash"], unique=False)
    op.create_table(
        "log_node",
        sa.Column("level", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("level", "position", name=op.f("pk_log_node")),
    )
    op.create_table(
        "log_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_head")),
    )
    op.create_table(
        "log_checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tree_size", sa.Integer(), nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_checkpoint")),
        sa.UniqueConstraint("tree_size", name=op.f("uq_log_checkpoint_tree_size")),
    )
    op.create_index(
        op.f("ix_log_checkpoint_issued_at"), "log_checkpoint", ["issued_at"], unique=False
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("filing_accession", sa.String(length=20), nullable=True))
    _anchor_the_chain()
    _append_only()


def _anchor_the_chain():
    """Leaf 0: the audit chain's head at the upgrade, which commits every earlier event
    (and the filings and documents they name) to the log."""
    bind = op.get_bind()
    head = bind.execute(sa.text("SELECT length, head_hash FROM audit_head WHERE id = 1")).first()
    length, head_hash = (head.length, head.head_hash) if head else (0, GENESIS_HASH)
    leaf = {"kind": "log_start", "audit_seq": length, "audit_hash": head_hash}
    digest = merkle.leaf_hash(leaf_bytes(leaf)).hex()
    bind.execute(
        sa.text(
            "INSERT INTO log_leaf (leaf_index, kind, leaf_json, leaf_hash) "
            "VALUES (0, 'log_start', :leaf, :digest)"
        ),
        {"leaf": leaf_bytes(leaf).decode(), "digest": digest},
    )
    bind.execute(
        sa.text("INSERT INTO log_node (level, position, hash) VALUES (0, 0, :digest)"),
        {"digest": digest},
    )
    bind.execute(sa.text("INSERT INTO log_head (id, size) VALUES (1, 1)"))


def _append_only():
    if op.get_bind().dialect.name == "postgresql":
        # refuse_change_of_record() is 0007's.
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_record()"
            )
    else:
        for table in APPEND_ONLY:
            for operation in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON "
                    f"{table} BEGIN SELECT RAISE(ABORT, '{table} is append-only: "
                    f"{operation} refused'); END"
                )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    else:
        for table in APPEND_ONLY:
            for operation in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("filing_accession")
    op.drop_index(op.f("ix_log_checkpoint_issued_at"), table_name="log_checkpoint")
    op.drop_table("log_checkpoint")
    op.drop_table("log_head")
    op.drop_table("log_node")
    op.drop_index(op.f("ix_log_leaf_leaf_hash"), table_name="log_leaf")
    op.drop_table("log_leaf")
