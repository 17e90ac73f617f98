"""Every table, in one package so migrations see them together."""

from service.models.accounts import (
    ApiToken,
    Invitation,
    LoginThrottle,
    Organization,
    User,
    UserSession,
)
from service.models.applications import Application, Document, InformationRequest, Opinion
from service.models.audit import AuditEvent, AuditHead, AuditVerification
from service.models.changes import ChangeApproval
from service.models.files import StoredChunk
from service.models.filings import Filing, NumberSequence, Registration
from service.models.hearings import Objection, PriorNotice
from service.models.monitoring import Finding, Report, ReportDraft
from service.models.review import Note, OutboxMessage
from service.models.transparency import LogCheckpoint, LogHead, LogLeaf, LogNode
from service.models.webhooks import Webhook, WebhookDelivery

__all__ = [
    "ApiToken",
    "Invitation",
    "Application",
    "AuditEvent",
    "AuditHead",
    "AuditVerification",
    "ChangeApproval",
    "Document",
    "Filing",
    "Finding",
    "InformationRequest",
    "LogCheckpoint",
    "LogHead",
    "LogLeaf",
    "LogNode",
    "LoginThrottle",
    "Note",
    "NumberSequence",
    "Opinion",
    "Organization",
    "Objection",
    "PriorNotice",
    "OutboxMessage",
    "Registration",
    "Report",
    "ReportDraft",
    "StoredChunk",
    "User",
    "UserSession",
    "Webhook",
    "WebhookDelivery",
]
