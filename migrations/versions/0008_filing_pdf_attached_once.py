"""A filing's PDF may be attached once after the filing committed (rendered by the job
worker when REDIS_URL is set); every other UPDATE of a filing is still refused.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:30:00

"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Everything a filing records besides its PDF: none of it may change.
RECORD = (
    "id", "accession_number", "kind", "application_id", "organization_id", "filed_at",
    "filed_by_id", "filed_by_label", "content_json", "content_sha256", "internal",
)
PDF = ("pdf_storage_key", "pdf_sha256", "pdf_size")


def _attaching_once(same: str) -> str:
    """The only allowed UPDATE: PDF columns from NULL to values, the record unchanged."""
    unchanged = " AND ".join(f"NEW.{c} {same} OLD.{c}" for c in RECORD)
    filled = " AND ".join(f"NEW.{c} IS NOT NULL" for c in PDF)
    return f"OLD.pdf_sha256 IS NULL AND OLD.pdf_storage_key IS NULL AND {filled} AND {unchanged}"


PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION filing_pdf_attached_once() RETURNS trigger AS $$
BEGIN
    IF {_attaching_once("IS NOT DISTINCT FROM")} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'filing is append-only: UPDATE refused (a PDF is attached once)'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute("DROP TRIGGER IF EXISTS filing_append_only ON filing")
        op.execute(
            "CREATE TRIGGER filing_no_delete BEFORE DELETE ON filing "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record()"
        )
        op.execute(
            "CREATE TRIGGER filing_pdf_once BEFORE UPDATE ON filing "
            "FOR EACH ROW EXECUTE FUNCTION filing_pdf_attached_once()"
        )
    else:
        op.execute("DROP TRIGGER IF EXISTS filing_no_update")
        op.execute(
            "CREATE TRIGGER filing_no_update BEFORE UPDATE ON filing "
            f"WHEN NOT ({_attaching_once('IS')}) "
            "BEGIN SELECT RAISE(ABORT, 'filing is append-only: UPDATE refused'); END"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS filing_pdf_once ON filing")
        op.execute("DROP TRIGGER IF EXISTS filing_no_delete ON filing")
        op.execute("DROP FUNCTION IF EXISTS filing_pdf_attached_once()")
        op.execute(
            "CREATE TRIGGER filing_append_only BEFORE UPDATE OR DELETE ON filing "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record()"
        )
    else:
        op.execute("DROP TRIGGER IF EXISTS filing_no_update")
        op.execute(
            "CREATE TRIGGER filing_no_update BEFORE UPDATE ON filing "
            "BEGIN SELECT RAISE(ABORT, 'filing is append-only: UPDATE refused'); END"
        )
