"""`/api/v1/log`: the transparency log, public (no login): its key, checkpoints and proofs.
Leaves are hashes only; docs/transparency.md says what they prove."""

import base64
import binascii

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from service.api.contract import download
from service.errors import NotFound
from service.extensions import csrf, db
from service.models import LogCheckpoint
from service.transparency import checkpoints, receipts

blp = Blueprint(
    "api_log", __name__, url_prefix="/api/v1/log", description="Transparency log (public)"
)
csrf.exempt(blp)

SIZE = validate.Range(min=1, max=2**31 - 1)
_TEXT = {"type": "string"}


def _text(body: str) -> Response:
    response = Response(body, mimetype="text/plain")
    response.charset = "utf-8"
    return response


# A SHA-256 hash as 64 hex digits or 44 base64 characters.
LEAF_HASH = validate.Regexp(r"^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$")


class LeafHash(fields.String):
    """A leaf hash (SHA-256), as 64 hex digits or base64."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        LEAF_HASH(text)
        try:
            if len(text) == 64:
                return bytes.fromhex(text)
            return base64.b64decode(text, validate=True)
        except (ValueError, binascii.Error):
            raise ValidationError("A SHA-256 hash: 64 hex digits or 44 base64.") from None


class CheckpointQuery(Schema):
    size = fields.Integer(required=True, validate=SIZE)


class InclusionQuery(Schema):
    leaf = LeafHash(
        required=True,
        metadata={
            "description": "the leaf hash, hex or base64",
            "pattern": LEAF_HASH.regex.pattern,
        },
    )
    size = fields.Integer(required=True, validate=SIZE)


class ConsistencyQuery(Schema):
    first = fields.Integer(required=True, validate=SIZE, data_key="from")
    second = fields.Integer(required=True, validate=SIZE, data_key="to")


class InclusionOut(Schema):
    leaf_index = fields.Integer()
    tree_size = fields.Integer()
    inclusion_proof = fields.List(fields.String(), metadata={"description": "base64, RFC 9162"})


class ConsistencyOut(Schema):
    first = fields.Integer(data_key="from")
    second = fields.Integer(data_key="to")
    proof = fields.List(fields.String(), metadata={"description": "base64, RFC 9162"})


@blp.route("/key", methods=["GET"])
@blp.doc(security=[], responses={"200": download("text/plain", "The verifier key", schema=_TEXT)})
def key():
    """The log's public key in the signed-note verifier format (name+keyid+base64key)."""
    return _text(checkpoints.verifier().encoded() + "\n")


@blp.route("/checkpoint", methods=["GET"])
@blp.doc(security=[], responses={"200": download("text/plain", "A C2SP checkpoint", schema=_TEXT)})
def latest_checkpoint():
    """The latest signed checkpoint (C2SP tlog-checkpoint as a signed note)."""
    return _text(checkpoints.current(db.session).note)


@blp.route("/checkpoints", methods=["GET"])
@blp.arguments(CheckpointQuery, location="query")
@blp.doc(security=[], responses={"200": download("text/plain", "A C2SP checkpoint", schema=_TEXT)})
def checkpoint_of_size(query):
    """The checkpoint signed for a tree of `size` leaves, if one was."""
    found = db.session.execute(
        db.select(LogCheckpoint).where(LogCheckpoint.tree_size == query["size"])
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("No checkpoint was signed at that size.", code="checkpoint_not_found")
    return _text(found.note)


@blp.route("/proof/inclusion", methods=["GET"])
@blp.doc(security=[])
@blp.arguments(InclusionQuery, location="query")
@blp.response(200, InclusionOut)
def inclusion_proof(query):
    """The RFC 9162 inclusion proof of a leaf (by its hash) in the tree of `size` leaves."""
    return receipts.inclusion(db.session, query["leaf"], query["size"])


@blp.route("/proof/consistency", methods=["GET"])
@blp.doc(security=[])
@blp.arguments(ConsistencyQuery, location="query")
@blp.response(200, ConsistencyOut)
def consistency_proof(query):
    """The RFC 9162 consistency proof between the trees of `from` and `to` leaves."""
    found = receipts.consistency(db.session, query["first"], query["second"])
    return {"first": found["from"], "second": found["to"], "proof": found["proof"]}
