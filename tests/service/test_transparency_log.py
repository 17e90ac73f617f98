"""The transparency log in the database: leaves appended in the transaction that makes each
record, the stored tree against independent references, checkpoints, proofs and receipts
over HTTP, `flask audit verify`'s check, and a rewritten history caught by a checkpoint
kept outside. On both engines (DATABASE_URL)."""

import base64
import json
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import select, text

from service.applications import operations
from service.extensions import db
from service.models import Application, AuditEvent, Filing, LogLeaf
from service.models.types import utcnow
from service.transparency import checkpoints, log
from service.transparency.verify import check
from tests.conftest import database_url, migrated_app
from tests.service.conftest import token
from tests.service.factories import PASSWORD, Cast
from tests.translog.reference import c2sp_open, pymerkle_inclusion, pymerkle_tree, rfc_consistency
from translog import merkle, note, receipt


def _leaves() -> list[bytes]:
    return [
        row.encode()
        for row in db.session.execute(
            select(LogLeaf.leaf_json).order_by(LogLeaf.leaf_index)
        ).scalars()
    ]


def test_a_transition_puts_its_filing_and_its_event_in_the_log_in_its_transaction(ctx):
    cast = Cast()
    application = cast.case_in("submitted")
    filing = db.session.execute(
        select(Filing).where(Filing.application_id == application.id, Filing.kind == "application")
    ).scalar_one()
    event = db.session.execute(
        select(AuditEvent)
        .where(AuditEvent.application_id == application.id)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).scalar_one()
    filing_row = log.leaf_of(db.session, log.filing_leaf(filing))
    event_row = db.session.execute(
        select(LogLeaf).where(LogLeaf.audit_seq == event.seq)
    ).scalar_one()
    assert json.loads(event_row.leaf_json) == {
        "kind": "audit_event",
        "seq": event.seq,
        "hash": event.hash,
    }
    assert filing_row.leaf_index < event_row.leaf_index  # the event is the change's last write
    leaf = json.loads(filing_row.leaf_json)
    assert leaf["pdf_sha256"] == filing.pdf_sha256 and leaf["accession"] == filing.accession_number
    assert check(db.session).ok


def test_a_step_holds_the_chains_lock_for_two_round_trips_on_postgresql(app, ctx):
    """The statement that takes the chain's head also takes the log's, locked after it
    (which returns its frontier); one more, to the COMMIT, writes the event with the
    chain head's hash, the leaf, its nodes and the new frontier. Each one statement on
    PostgreSQL (docs/design.md, "The unit of work"), one by one on SQLite."""
    cast = Cast()
    case = cast.case_in("submitted")
    # A checkpoint just signed: none falls due inside this step (its reads would count).
    app.extensions[checkpoints._RECENT] = utcnow()
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        # The tests' outer transaction turns the COMMIT into a savepoint's release.
        if "SAVEPOINT" not in statement:
            seen.append(statement)

    sqlalchemy_event.listen(db.engine, "after_cursor_execute", record)
    try:
        operations.transition(case.id, "mark_complete", cast.reviewer, {})
    finally:
        sqlalchemy_event.remove(db.engine, "after_cursor_execute", record)
    locked = next(n for n, s in enumerate(seen) if "UPDATE audit_head SET length" in s)
    words = [" ".join(statement.split()[0:3]) for statement in seen[locked:]]
    if db.engine.dialect.name == "postgresql":
        taking = " ".join(seen[locked].split())
        assert taking.startswith("WITH taken_first AS (UPDATE audit_head SET length")
        # The log's head is updated once the chain's is taken: it is locked second.
        assert "taken_then AS (UPDATE log_head SET size" in taking
        assert "AND (EXISTS (SELECT taken_first.length" in taking
        assert words[1:] == ["WITH write_0 AS"]  # all the writes, in one statement
        written = " ".join(seen[-1].split())
        for table in ("audit_event", "log_leaf", "log_node"):
            assert f"INSERT INTO {table}" in written
        assert "UPDATE audit_head SET head_hash" in written
        assert written.split(") ")[-1].startswith("UPDATE log_head SET frontier")
    else:
        # The same statements one by one: the leaf's new nodes an INSERT each (how many
        # depends on where the leaf falls in the tree).
        assert words[:6] == [
            "UPDATE audit_head SET",
            "UPDATE log_head SET",
            "INSERT INTO audit_event",
            "UPDATE audit_head SET",
            "INSERT INTO log_leaf",
            "INSERT INTO log_node",
        ]
        assert words[-1] == "UPDATE log_head SET"  # the new frontier
        assert set(words[5:-1]) == {"INSERT INTO log_node"}
    assert check(db.session).ok


def test_the_heads_frontier_is_the_nodes_after_every_kind_of_append(ctx):
    """What the head keeps is what the nodes hold: after a step's append, a bulk one larger
    than one INSERT, and one that completes a perfect tree."""
    for count in (1, 3, log.ROWS_PER_INSERT + 5, 1):
        log.append(
            db.session, [({"kind": "test", "count": count, "n": n}, None) for n in range(count)]
        )
        size, stored = db.session.execute(text("SELECT size, frontier FROM log_head")).one()
        pieces = merkle.perfect_pieces(0, size)
        held = log.nodes(db.session, pieces)
        assert json.loads(stored) == [held[piece].hex() for piece in pieces]
    assert check(db.session).ok


def test_a_frontier_altered_in_the_head_is_found_by_the_check(ctx):
    """An insider who alters the head's frontier makes the next append's nodes wrong: the
    stored nodes no longer give the leaves' root, and the check says so."""
    log.append(db.session, [({"kind": "test", "n": n}, None) for n in range(6)])
    size, stored = db.session.execute(text("SELECT size, frontier FROM log_head")).one()
    altered = json.dumps(["ab" * 32 for _ in json.loads(stored)])
    db.session.execute(text("UPDATE log_head SET frontier = :f"), {"f": altered})
    # Up to the next power of two, so that every old piece is folded into a new node.
    count = (1 << size.bit_length()) - size
    log.append(db.session, [({"kind": "test", "after": n}, None) for n in range(count)])
    found = check(db.session)
    assert not found.ok
    assert found.problem == "the stored tree nodes do not give the leaves' root"


def test_a_proofs_nodes_are_read_from_the_primary_key(ctx):
    """A proof reads O(log n) nodes by key: a plan that scans log_node would make each
    proof O(n) (SQLite scans for a row-value IN; the OR of pairs it searches by key)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is asserted on SQLite; PostgreSQL picks by table size")
    log.append(db.session, [({"kind": "test", "frontier": n}, None) for n in range(11)])
    seen = []

    def record(conn, cursor, statement, parameters, *args):
        seen.append((statement, parameters))

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", record)
    try:
        read = log.nodes(db.session, merkle.perfect_pieces(0, 11))
    finally:
        sqlalchemy_event.remove(db.engine, "before_cursor_execute", record)
    assert sorted(read) == sorted(merkle.perfect_pieces(0, 11))
    statement, parameters = seen[-1]
    driver = db.session.connection().connection.driver_connection
    plan = " | ".join(
        row[-1] for row in driver.execute("EXPLAIN QUERY PLAN " + statement, parameters)
    )
    assert "SEARCH log_node USING" in plan and "SCAN log_node" not in plan, plan


def test_an_append_larger_than_one_insert_keeps_the_tree(ctx):
    """More rows than one INSERT carries (log.ROWS_PER_INSERT): written in several, the
    tree still matches pymerkle's."""
    before = log.size(db.session)
    count = log.ROWS_PER_INSERT * 2 + 17
    log.append(db.session, [({"kind": "test", "bulk": n}, None) for n in range(count)])
    leaves = _leaves()
    assert log.size(db.session) == len(leaves) == before + count
    reference, fetch = pymerkle_tree(leaves), log.fetcher(db.session)
    for tree_size in (before + 1, before + log.ROWS_PER_INSERT, len(leaves)):
        assert merkle.root_hash(tree_size, fetch) == reference.get_root(tree_size)
    assert check(db.session).ok


def test_an_event_after_more_leaves_than_a_step_writes_them_with_it_and_keeps_nothing(ctx):
    """Leaves gathered before an event past what a step writes row by row (a bulk load)
    go with the event's write in chunks built for that append alone: the tree holds, the
    event's leaf is last, and no statement is kept for the pair."""
    from service import transactions
    from service.audit import chain
    from workflows.lifecycle import SYSTEM

    Cast().case_in("draft")
    count = log.ROWS_PER_INSERT + 3
    db.session.info[log.PENDING_LEAVES] = [
        ({"kind": "test", "gathered": n}, None) for n in range(count)
    ]
    before, kept = log.size(db.session), transactions._written_together.cache_info().currsize
    event = chain.append(db.session, actor=SYSTEM, action="probe")
    assert transactions._written_together.cache_info().currsize == kept
    assert log.size(db.session) == before + count + 1
    leaf = log.leaf_of(db.session, log.audit_event_leaf(event))
    assert leaf.leaf_index == before + count and leaf.audit_seq == event.seq
    leaves = _leaves()
    assert merkle.root_hash(len(leaves), log.fetcher(db.session)) == pymerkle_tree(leaves).get_root(
        len(leaves)
    )
    assert check(db.session).ok


def test_the_stored_tree_gives_the_roots_and_proofs_of_pymerkle_and_the_rfc(ctx):
    log.append(db.session, [({"kind": "test", "n": n}, None) for n in range(3)])
    for n in range(3, 40, 7):  # appends of uneven batches
        log.append(db.session, [({"kind": "test", "n": m}, None) for m in range(n, n + 7)])
    leaves = _leaves()
    size = log.size(db.session)
    assert size == len(leaves)
    reference, fetch = pymerkle_tree(leaves), log.fetcher(db.session)
    for tree_size in range(1, size + 1):
        assert merkle.root_hash(tree_size, fetch) == reference.get_root(tree_size)
    for index in range(0, size, 3):
        assert merkle.inclusion_proof(index, size, fetch) == pymerkle_inclusion(
            reference, index, size
        )
    for first in range(1, size, 4):
        assert merkle.consistency_proof(first, size, fetch) == rfc_consistency(first, leaves)


def test_a_failed_log_append_rolls_the_whole_transition_back(ctx):
    cast = Cast()
    application = cast.case_in("submitted")
    events_before = db.session.execute(select(AuditEvent.seq)).scalars().all()
    db.session.execute(text("DELETE FROM log_head"))  # the log cannot append any more
    with pytest.raises(Exception):  # noqa: B017 - whatever the engine raises
        operations.transition(application.id, "mark_complete", cast.reviewer, {})
    db.session.rollback()
    assert db.session.get(Application, application.id).state == "submitted"
    assert db.session.execute(select(AuditEvent.seq)).scalars().all() == events_before


def test_audit_verify_finds_a_leaf_altered_or_an_event_without_its_leaf(app, ctx):
    cast = Cast()
    cast.case_in("submitted")
    runner = app.test_cli_runner()
    answer = runner.invoke(args=["audit", "verify"])
    assert "transparency log intact" in answer.output
    _drop_triggers()
    db.session.execute(
        text(
            "UPDATE log_leaf SET leaf_json = replace(leaf_json, '\"seq\"', '\"seq\" ') "
            "WHERE leaf_index = (SELECT max(leaf_index) FROM log_leaf)"
        )
    )
    answer = runner.invoke(args=["audit", "verify"])
    assert answer.exit_code == 1
    assert "transparency log BROKEN: leaf" in answer.output and "was altered" in answer.output


def test_an_event_the_log_lacks_is_named(ctx, monkeypatch):
    from service.audit import chain
    from workflows.lifecycle import SYSTEM

    Cast().case_in("draft")
    monkeypatch.setattr(chain, "joined_append", None)  # an event written past the log
    event = chain.append(db.session, actor=SYSTEM, action="probe")
    result = check(db.session)
    assert not result.ok and result.problem == f"audit event {event.seq} has no leaf in the log"


def test_the_public_endpoints_serve_a_key_checkpoints_and_proofs(client, ctx):
    Cast().case_in("submitted")
    key = client.get("/api/v1/log/key")
    assert key.status_code == 200 and key.mimetype == "text/plain"
    verifier = note.parse_verifier(key.text)
    latest = client.get("/api/v1/log/checkpoint")
    assert latest.status_code == 200 and latest.mimetype == "text/plain"
    opened = note.open_checkpoint(latest.text, verifier)
    c2sp_open(latest.text, key.text.strip())  # the independent reader agrees
    again = client.get(f"/api/v1/log/checkpoints?size={opened.size}")
    assert again.text == latest.text
    assert client.get("/api/v1/log/checkpoints?size=999999").status_code == 404

    leaves = _leaves()[: opened.size]
    target = len(leaves) - 1
    digest = merkle.leaf_hash(leaves[target])
    for encoded in (digest.hex(), base64.b64encode(digest).decode()):
        proof = client.get(
            "/api/v1/log/proof/inclusion", query_string={"leaf": encoded, "size": opened.size}
        )
        assert proof.status_code == 200, proof.text
        body = proof.get_json()
        merkle.verify_inclusion(
            body["leaf_index"],
            opened.size,
            digest,
            [base64.b64decode(p) for p in body["inclusion_proof"]],
            opened.root,
        )
    consistency = client.get(f"/api/v1/log/proof/consistency?from=1&to={opened.size}")
    body = consistency.get_json()
    merkle.verify_consistency(
        1,
        opened.size,
        merkle.leaf_hash(leaves[0]),
        opened.root,
        [base64.b64decode(p) for p in body["proof"]],
    )
    # Bad input: a malformed hash (422); a tree the log has not reached, from past to (404).
    assert client.get("/api/v1/log/proof/inclusion?leaf=xyz&size=1").status_code == 422
    too_big = client.get(f"/api/v1/log/proof/consistency?from=1&to={opened.size + 1000}")
    assert too_big.status_code == 404
    backwards = client.get(f"/api/v1/log/proof/consistency?from={opened.size}&to=1")
    assert backwards.status_code == 404
    unknown = client.get(f"/api/v1/log/proof/inclusion?leaf={'ab' * 32}&size={opened.size}")
    assert unknown.status_code == 404


def test_a_filing_receipt_proves_its_pdf_and_refuses_a_changed_one(client, ctx):
    cast = Cast()
    application = cast.case_in("submitted")
    filing = (
        db.session.execute(select(Filing).where(Filing.application_id == application.id))
        .scalars()
        .first()
    )
    headers = token(client, cast.issuer)
    answer = client.get(f"/api/v1/filings/{filing.accession_number}/receipt", headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.get_json()
    pdf = client.get(f"/api/v1/filings/{filing.accession_number}.pdf", headers=headers).data
    verifier = checkpoints.verifier()
    leaf, checkpoint = receipt.verify_receipt(body, verifier, pdf)
    assert leaf["accession"] == filing.accession_number and checkpoint.size == body["tree_size"]
    with pytest.raises(receipt.ReceiptError, match="not the one the log holds"):
        receipt.verify_receipt(body, verifier, pdf + b"\n")
    # Another issuer's token does not read it.
    other = token(client, Cast().issuer)
    assert (
        client.get(f"/api/v1/filings/{filing.accession_number}/receipt", headers=other).status_code
        == 404
    )


# -- a rewritten history -----------------------------------------------------------------

TRIGGERS = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {table}_no_{op}"
        for table in ("audit_event", "filing", "log_leaf", "log_node", "log_checkpoint")
        for op in ("update", "delete")
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"
        for table in ("audit_event", "filing", "log_leaf", "log_node", "log_checkpoint")
    ],
}


def _drop_triggers():
    for statement in TRIGGERS[db.engine.dialect.name]:
        db.session.execute(text(statement))


def _rewrite_history(seq: int) -> None:
    """What an insider with the whole database (and the signing key) can do: change an
    event, recompute the chain after it, rebuild the log from the rewritten records and
    sign a fresh checkpoint."""
    from service.audit.chain import _hashed_fields, event_hash

    _drop_triggers()
    events = (
        db.session.execute(select(AuditEvent).where(AuditEvent.seq >= seq).order_by(AuditEvent.seq))
        .scalars()
        .all()
    )
    previous = events[0].prev_hash
    rehashed = {}
    for event in events:
        detail = dict(event.detail)
        if event.seq == seq:
            detail["payload"] = {"rewritten": True}
        fields = _hashed_fields(event) | {"detail": detail}
        new_hash = event_hash(previous, fields)
        db.session.execute(
            text("UPDATE audit_event SET detail = :d, prev_hash = :p, hash = :h WHERE seq = :s"),
            {"d": json.dumps(detail), "p": previous, "h": new_hash, "s": event.seq},
        )
        rehashed[event.seq], previous = new_hash, new_hash
    db.session.execute(text("UPDATE audit_head SET head_hash = :h"), {"h": previous})
    rows = db.session.execute(
        select(LogLeaf.leaf_json, LogLeaf.audit_seq).order_by(LogLeaf.leaf_index)
    ).all()
    leaves = []
    for row in rows:
        leaf = json.loads(row.leaf_json)
        if row.audit_seq in rehashed:
            leaf["hash"] = rehashed[row.audit_seq]
        leaves.append((leaf, row.audit_seq))
    for table in ("log_leaf", "log_node", "log_checkpoint"):
        db.session.execute(text(f"DELETE FROM {table}"))
    db.session.execute(text("UPDATE log_head SET size = 0, frontier = '[]'"))
    db.session.expunge_all()
    log.append(db.session, leaves)
    checkpoints.sign_size(db.session, len(leaves))
    db.session.commit()  # the insider's rewrite is committed, as a request sees it


def test_a_rewritten_history_passes_inside_but_not_against_a_checkpoint_kept_outside(
    app, client, ctx, tmp_path
):
    cast = Cast()
    application = cast.case_in("assessment")
    held = tmp_path / "held"
    held.mkdir()
    kept = checkpoints.issue(db.session)  # an auditor fetched this one and kept it
    (held / "checkpoint-before").write_text(kept.note)
    key = tmp_path / "log.key"
    key.write_text(client.get("/api/v1/log/key").text)

    target = db.session.execute(
        select(AuditEvent.seq).where(
            AuditEvent.application_id == application.id, AuditEvent.action == "submit"
        )
    ).scalar_one()
    _rewrite_history(target)

    # The operator's own checks find nothing wrong: chain and log agree.
    answer = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert "audit chain intact" in answer.output
    assert "transparency log intact" in answer.output

    # The standalone verifier, given the checkpoint kept before, refuses the new log.
    from translog.verify import main

    newer = tmp_path / "newer"
    newer.write_text(client.get("/api/v1/log/checkpoint").text)
    size = note.open_checkpoint(newer.read_text(), note.parse_verifier(key.read_text())).size
    proof = tmp_path / "proof.json"
    proof.write_text(
        client.get(f"/api/v1/log/proof/consistency?from={kept.tree_size}&to={size}").text
    )
    assert (
        main(
            [
                "consistency",
                str(held / "checkpoint-before"),
                str(newer),
                str(proof),
                "--key",
                str(key),
            ]
        )
        == 1
    )
    leaves_file = tmp_path / "leaves.bin"
    leaves_file.write_bytes(b"".join(merkle.leaf_hash(leaf) for leaf in _leaves()))
    assert main(["log", str(leaves_file), str(newer), "--held", str(held), "--key", str(key)]) == 1


def test_an_export_carries_receipts_and_fails_against_a_checkpoint_kept_before_a_rewrite(
    app, client, ctx, tmp_path
):
    import zipfile

    cast = Cast()
    application = cast.case_in("assessment")
    held = tmp_path / "held"
    held.mkdir()
    (held / "kept-by-the-auditor").write_text(checkpoints.issue(db.session).note)
    client.post("/login", data={"email": cast.auditor.email, "password": PASSWORD})
    archive = tmp_path / "export.zip"
    archive.write_bytes(client.get("/audit/export.zip").data)
    names = zipfile.ZipFile(archive).namelist()
    assert "log/checkpoint" in names and "log/leaves.bin" in names
    assert any(n.startswith("log/receipts/VAR-") for n in names)
    runner = app.test_cli_runner()
    intact = runner.invoke(
        args=["audit", "verify-export", str(archive), "--checkpoints", str(held)]
    )
    assert intact.exit_code == 0, intact.output

    target = db.session.execute(
        select(AuditEvent.seq).where(
            AuditEvent.application_id == application.id, AuditEvent.action == "submit"
        )
    ).scalar_one()
    _rewrite_history(target)
    rewritten = tmp_path / "rewritten.zip"
    rewritten.write_bytes(client.get("/audit/export.zip").data)
    alone = runner.invoke(args=["audit", "verify-export", str(rewritten)])
    assert alone.exit_code == 0, alone.output  # on its own, a rewritten export looks whole
    against = runner.invoke(
        args=["audit", "verify-export", str(rewritten), "--checkpoints", str(held)]
    )
    assert against.exit_code == 1
    assert "not consistent with checkpoint kept-by-the-auditor" in against.output


def test_the_log_page_explains_the_log_and_shows_the_latest_checkpoint(client, ctx):
    Cast().case_in("submitted")
    latest = checkpoints.issue(db.session)
    korean = client.get("/register/log", headers={"Accept-Language": "ko"})
    assert korean.status_code == 200
    assert "투명성 로그" in korean.text and latest.note.split("\n")[2] in korean.text
    english = client.get("/register/log", headers={"Accept-Language": "en"})
    assert "What the log proves" in english.text
    assert checkpoints.verifier().encoded() in english.text


def test_the_filing_notice_mailed_to_the_issuer_carries_the_filings_receipt(app, monkeypatch, ctx):
    from aiosmtpd.controller import Controller

    from tests.service.notifications.test_mail import Inbox, _free_port

    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", str(port))
        cast = Cast()
        application = cast.case_in("submitted")
    finally:
        controller.stop()
    filing = (
        db.session.execute(select(Filing).where(Filing.application_id == application.id))
        .scalars()
        .first()
    )
    body = inbox.messages[-1][1].get_content()
    marker = f"({filing.accession_number}-receipt.json; docs/transparency.md):\n"
    assert marker in body
    mailed = json.loads(body.split(marker, 1)[1])
    from service.storage import storage

    with storage().open(filing.pdf_storage_key) as handle:
        pdf = handle.read()
    leaf, _ = receipt.verify_receipt(mailed, checkpoints.verifier(), pdf)
    assert leaf["accession"] == filing.accession_number


def test_a_step_that_finds_a_checkpoint_due_signs_one_of_its_own_append(app, ctx, monkeypatch):
    """In the embedded default the change that finds a checkpoint due signs it as it
    commits: the tree as its event's leaf left it, in its own transaction."""
    cast = Cast()
    case = cast.case_in("submitted")
    monkeypatch.setattr(checkpoints, "CHECKPOINT_INTERVAL", timedelta(0))
    app.extensions.pop(checkpoints._RECENT, None)
    before = checkpoints.latest(db.session)
    operations.transition(case.id, "mark_complete", cast.reviewer, {})
    signed = checkpoints.latest(db.session)
    leaf = log.leaf_of(db.session, log.audit_event_leaf(_last_event()))
    assert signed.tree_size == log.size(db.session) == leaf.leaf_index + 1
    assert before is None or signed.tree_size > before.tree_size
    opened = note.open_checkpoint(signed.note, checkpoints.verifier())
    assert opened.root == merkle.root_of([merkle.leaf_hash(data) for data in _leaves()])


def _last_event() -> AuditEvent:
    return db.session.execute(
        select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)
    ).scalar_one()


@pytest.mark.real_commits
def test_with_redis_the_worker_appends_the_filing_leaf_as_it_attaches_the_pdf(app, redis_queue):
    from tests.service.conftest import run_worker

    with app.app_context():
        cast = Cast()
        case_id = cast.case_in("submitted").id
        filing = (
            db.session.execute(select(Filing).where(Filing.application_id == case_id))
            .scalars()
            .first()
        )
        accession = filing.accession_number
        # No PDF yet, so no filing leaf yet; requests sign no checkpoint with REDIS_URL.
        assert log.leaf_of(db.session, log.filing_leaf(filing)) is None
        db.session.remove()
        run_worker(redis_queue)
        filing = db.session.execute(
            select(Filing).where(Filing.accession_number == accession)
        ).scalar_one()
        row = log.leaf_of(db.session, log.filing_leaf(filing))
        assert row is not None and json.loads(row.leaf_json)["pdf_sha256"] == filing.pdf_sha256
        # Signed by the worker's transaction, unless one less than a minute old stands.
        assert not checkpoints.due(db.session, log.size(db.session))
        assert check(db.session).ok


def test_the_cron_command_signs_the_log_as_it_stands(app, ctx):
    Cast().case_in("submitted")
    answer = app.test_cli_runner().invoke(args=["log", "checkpoint"])
    assert answer.exit_code == 0, answer.output
    signed = note.open_checkpoint(answer.output, checkpoints.verifier())
    assert signed.size == log.size(db.session)
    assert signed.root == merkle.root_of([merkle.leaf_hash(leaf) for leaf in _leaves()])


@pytest.fixture(scope="module")
def migrating_app(tmp_path_factory, worker_id):
    """A database of this module's own, to take back before the head kept its frontier."""
    instance = tmp_path_factory.mktemp("frontier-migration")
    return migrated_app(instance, database_url(instance, worker_id, "_frontier"))


@pytest.mark.real_commits
def test_a_log_grown_before_the_head_kept_its_frontier_gets_it_from_its_nodes(migrating_app):
    """Migration 0024 fills the head's frontier from the nodes stored, and appends go on
    from it with the tree intact."""
    with migrating_app.app_context():
        log.append(db.session, [({"kind": "test", "before": n}, None) for n in range(12)])
        db.session.commit()
        size, kept = db.session.execute(text("SELECT size, frontier FROM log_head")).one()
        db.session.remove()
        downgrade(revision="0023")
        upgrade()
        filled = db.session.execute(text("SELECT frontier FROM log_head")).scalar_one()
        log.append(db.session, [({"kind": "test", "after": n}, None) for n in range(5)])
        db.session.commit()
        found = check(db.session)
        db.session.remove()
    assert len(json.loads(kept)) == len(merkle.perfect_pieces(0, size)) > 1
    assert filled == kept
    assert found.ok, found.problem
