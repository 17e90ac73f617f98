"""Proofs and receipts served from the stored tree."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import Conflict, NotFound
from service.models import Filing, LogLeaf
from service.transparency import checkpoints, log
from translog import merkle
from translog.receipt import b64, make_receipt
from workflows.bilingual import t


def _checkpoint_covering(session: Session, leaf_index: int):
    return checkpoints.latest(session, covering=leaf_index + 1) or checkpoints.issue(
        session, covering=leaf_index + 1
    )


def filing_receipt(session: Session, filing: Filing) -> dict[str, Any]:
    """The receipt of a filing: its leaf, where it stands, the proof and the checkpoint."""
    if filing.pdf_sha256 is None:
        raise Conflict(
            t(
                "The filing's PDF is still being made; its receipt follows once it is attached.",
                "제출 문서의 PDF를 만드는 중입니다. PDF가 붙으면 영수증을 받을 수 있습니다.",
            ),
            code="receipt_pending",
        )
    row = log.leaf_of(session, log.filing_leaf(filing))
    if row is None:
        raise NotFound(
            t(
                "This filing predates the transparency log: the log's first leaf anchors "
                "the audit chain that records it.",
                "이 제출 문서는 투명성 로그보다 먼저 만들어졌습니다. 로그의 첫 잎이 이를 "
                "기록한 감사 체인을 고정합니다.",
            ),
            code="receipt_not_in_log",
        )
    return receipt_for(session, row)


def receipt_for(session: Session, row: LogLeaf, checkpoint=None) -> dict[str, Any]:
    checkpoint = checkpoint or _checkpoint_covering(session, row.leaf_index)
    proof = merkle.inclusion_proof(row.leaf_index, checkpoint.tree_size, log.fetcher(session))
    return make_receipt(
        log.leaf_object(row), row.leaf_index, checkpoint.note, checkpoint.tree_size, proof
    )


def _size_within(session: Session, size: int) -> int:
    current = log.size(session)
    if size > current:
        raise NotFound(
            t(
                "The log holds {current} leaves: no tree of {size} yet.",
                "로그에는 잎이 {current}개 있습니다. 크기 {size}의 트리는 아직 없습니다.",
                current=current,
                size=size,
            ),
            code="tree_not_found",
        )
    return size


def inclusion(session: Session, leaf_hash: bytes, size: int) -> dict[str, Any]:
    size = _size_within(session, size)
    row = session.execute(
        select(LogLeaf.leaf_index)
        .where(LogLeaf.leaf_hash == leaf_hash.hex(), LogLeaf.leaf_index < size)
        .order_by(LogLeaf.leaf_index)
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(
            t(
                "No leaf with this hash in the tree of that size.",
                "그 크기의 트리에는 이 해시의 잎이 없습니다.",
            ),
            code="leaf_not_found",
        )
    proof = merkle.inclusion_proof(row, size, log.fetcher(session))
    return {"leaf_index": row, "tree_size": size, "inclusion_proof": [b64(p) for p in proof]}


def consistency(session: Session, first: int, second: int) -> dict[str, Any]:
    second = _size_within(session, second)
    if first > second:
        raise NotFound(
            t(
                "No consistency proof leads from a larger tree to a smaller one.",
                "큰 트리에서 작은 트리로 가는 일관성 증명은 없습니다.",
            ),
            code="proof_not_found",
        )
    proof = merkle.consistency_proof(first, second, log.fetcher(session)) if first < second else []
    return {"from": first, "to": second, "proof": [b64(p) for p in proof]}
