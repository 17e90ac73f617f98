"""`flask --app service ...`: demo data, users, the audit chain.

Each command imports what it runs when it runs: the wiring loads this module for every app
(a page, a job, the worker), and a command's dependencies (the demo, the monitoring run,
rq) serve that command alone (docs/design.md, "Layers and contracts").
"""

import sys

import click
from flask import Flask
from sqlalchemy import select

from service.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(users)
    app.cli.add_command(audit)
    app.cli.add_command(lifecycle)
    app.cli.add_command(monitoring)
    app.cli.add_command(outbox)
    app.cli.add_command(worker)
    app.cli.add_command(webhooks)
    app.cli.add_command(filings)
    app.cli.add_command(transparency_log)
    app.cli.add_command(retention)


@click.group("log", help="The transparency log (docs/transparency.md).")
def transparency_log():
    pass


@transparency_log.command(
    "checkpoint",
    help="Sign a checkpoint of the log as it stands, if it grew since the last one (cron, "
    "every minute); print it.",
)
def log_checkpoint():
    from service.transparency import checkpoints

    click.echo(checkpoints.issue(db.session).note, nl=False)


@click.group(help="Filings.")
def filings():
    pass


@filings.command(
    "render-pending",
    help="Queue the PDF of every filing that has none yet (with REDIS_URL; inline without), "
    "e.g. after Redis was down when they were filed. Idempotent.",
)
def filings_render_pending():
    from service import jobs
    from service.models import Filing

    pending = (
        db.session.execute(select(Filing.id).where(Filing.pdf_sha256.is_(None)).order_by(Filing.id))
        .scalars()
        .all()
    )
    for filing_id in pending:
        jobs.enqueue("service.filings.operations.render_pdf", filing_id)
    click.echo(f"{len(pending)} filing(s) without a PDF sent to be rendered")


@click.group(help="Demo data.")
def demo():
    pass


@demo.command("load", help="Load the demo organizations, users and cases (idempotent).")
def demo_load():
    from service.demo import DemoIncomplete, load

    try:
        click.echo("demo data loaded" if load() else "demo data already present")
    except DemoIncomplete as problem:
        raise click.ClickException(str(problem)) from None


@click.group(help="User accounts.")
def users():
    pass


@users.command("create", help="Create a user in an existing organization.")
@click.argument("email")
@click.option("--role", required=True)
@click.option("--organization", "organization_name", required=True, help="English name")
@click.option("--name", required=True)
@click.option("--duty", type=click.Choice(["officer", "preparer"]), help="An issuer's user only")
@click.option(
    "--organization-admin", is_flag=True, help="An issuer's user who invites and removes others"
)
@click.password_option()
def users_create(email, role, organization_name, name, duty, organization_admin, password):
    from service.auth.operations import create_user
    from service.errors import Invalid
    from service.models import Organization
    from service.unit_of_work import unit_of_work

    organization = db.session.execute(
        select(Organization).where(Organization.name_en == organization_name)
    ).scalar_one_or_none()
    if organization is None:
        raise click.ClickException(f"no organization named {organization_name!r}")
    try:
        with unit_of_work(None):
            create_user(
                email,
                password,
                role,
                organization,
                name,
                duty=duty,
                organization_admin=organization_admin,
            )
    except Invalid as error:
        raise click.ClickException(f"{error.message} {error.errors}") from None
    click.echo(f"created {email} ({role})")


@click.group(help="The audit chain.")
def audit():
    pass


@audit.command(
    "verify",
    help="Recompute the whole hash chain and keep the result for the integrity page, and "
    "check every stored filing, document and registration against what was recorded (for "
    "cron); exit 1 naming the first broken event and every mismatch.",
)
def audit_verify():
    from service.audit import chain

    try:
        result = chain.verify_and_record("flask audit verify")
    except chain.FullPassRunning as running:
        pass_ = running.unfinished
        click.echo(
            f"audit chain NOT recomputed: full pass {pass_.id if pass_ else '?'} is "
            f"{pass_.status if pass_ else 'unfinished'} already",
            err=True,
        )
        result = {"ok": False, "recomputed": False}
    if result["ok"]:
        click.echo(f"audit chain intact: {result['checked']} events, head {result['head_hash']}")
    elif result.get("recomputed", True):
        click.echo(
            f"audit chain BROKEN at event {result['broken_seq']}: {result['problem']}", err=True
        )
    records_intact = _verify_stored_records()
    log_intact = _verify_transparency_log()
    if not (result["ok"] and records_intact and log_intact):
        sys.exit(1)


def _verify_transparency_log() -> bool:
    """The log's leaves, nodes and signed checkpoints, and its agreement with the chain."""
    from service.transparency.verify import check

    result = check(db.session)
    if result.ok:
        click.echo(
            f"transparency log intact: {result.size} leaves, {result.checkpoints} checkpoints, "
            "in step with the audit chain"
        )
    else:
        click.echo(f"transparency log BROKEN: {result.problem}", err=True)
    return result.ok


def _verify_stored_records() -> bool:
    """Filings, documents and registrations against what was recorded; each mismatch named."""
    from service.audit import stored

    found = 0
    for mismatch in stored.mismatches(db.session):
        found += 1
        click.echo(f"MISMATCH {mismatch}", err=True)
    if not found:
        click.echo("stored records intact: filings, documents and registrations match")
    return not found


@click.group(help="The registration lifecycle.")
def lifecycle():
    pass


@lifecycle.command("diagram", help="Draw the lifecycle from the machine's table as SVG.")
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
def lifecycle_diagram(out):
    from workflows.diagram import edges, render_svg
    from workflows.lifecycle import STATES

    with open(out, "w", encoding="utf-8") as handle:
        handle.write(render_svg())
    click.echo(f"wrote {out}: {len(STATES)} states, {len(edges())} arrows")


@click.group(help="Supervision after registration.")
def monitoring():
    pass


@monitoring.command(
    "run",
    help="Record overdue reports as findings and lapse expired "
    "registrations (for cron; idempotent).",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Run as of this day (simulation); default: today in Korea.",
)
def monitoring_run(today):
    from service.monitoring.run import run_monitoring

    result = run_monitoring(today=today.date() if today else None)
    for line in result.findings:
        click.echo(f"finding: {line}")
    for number in result.lapsed:
        click.echo(f"lapsed: {number}")
    click.echo(f"{len(result.findings)} new finding(s), {len(result.lapsed)} lapse(s)")


@click.group(help="Personal data kept no longer than the privacy page says.")
def retention():
    pass


@retention.command(
    "purge",
    help="Delete sign-in records older than their retention period (for cron; idempotent).",
)
def retention_purge():
    from service.retention import purge_sign_in_records

    purged = purge_sign_in_records()
    click.echo(
        f"before {purged.before:%Y-%m-%d}: {purged.sessions} session(s), "
        f"{purged.tokens} token(s), {purged.failed_sign_ins} failed sign-in count(s) deleted"
    )


@click.group(help="E-mails to issuers.")
def outbox():
    pass


@outbox.command(
    "send",
    help="Try every message not yet sent again (for cron; idempotent); exit 1 if any failed.",
)
def outbox_send():
    from service.notifications.operations import send_unsent

    try:
        result = send_unsent()
    except RuntimeError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"{result.sent} sent, {result.failed} failed")
    # A failure left for the next run still makes cron report it.
    if result.failed:
        sys.exit(1)


@click.group(help="Webhooks: the issuers' systems told of events.")
def webhooks():
    pass


@webhooks.command(
    "send",
    help="Attempt every webhook delivery that is due (for cron without REDIS_URL; idempotent).",
)
def webhooks_send():
    from service.webhooks.deliveries import deliver_due

    counts = deliver_due()
    click.echo(", ".join(f"{count} {status}" for status, count in counts.items()))


@click.command(help="Run the job worker (RQ on REDIS_URL): PDF rendering, e-mail, webhooks.")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst):
    from flask import current_app
    from rq import SimpleWorker

    from service import jobs

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: jobs run inline, no worker is needed")
    # SimpleWorker runs each job in this process, inside this app context (no fork, so no
    # database connection is shared across processes); run more workers to scale out.
    queue = jobs.queue()
    click.echo(f"worker on queue {queue.name!r}")
    # With its scheduler: a webhook's retry is queued to run later (jobs.enqueue_in).
    SimpleWorker([queue], connection=queue.connection).work(burst=burst, with_scheduler=True)


@audit.command(
    "verify-export",
    help="Check an export ZIP offline against its manifest; exit 1 naming each file that "
    "does not match.",
)
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--checkpoints",
    "held",
    type=click.Path(exists=True, file_okay=False),
    help="A folder of the log's checkpoints kept before (the auditor's own copies): the "
    "export's log must be consistent with each.",
)
def audit_verify_export(archive, held):
    from service.auditor.records import verify_export

    result = verify_export(archive, held)
    if result.ok:
        click.echo(f"export intact: {result.checked} files match the manifest")
        return
    for problem in result.problems:
        click.echo(f"MISMATCH {problem}", err=True)
    sys.exit(1)
