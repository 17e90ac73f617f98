"""Filed JSON as labelled tables: what every PDF template prints.

A value is laid out by the schema it was filed under when there is one (the
field's `metadata` gives its label, its choices and its unit, so the PDF reads
the same labels as the form), and by its own shape otherwise: a mapping is a
table of rows, a list of flat mappings a table with a column per key, a list
of plain values one line each. Unknown keys are never dropped: whatever was
filed is printed, labelled by its key when no schema names it.

The tree is plain data (dicts and lists) so a template walks it with one
recursive macro; text stays text, and Jinja escapes it.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import Schema, fields

from workflows.bilingual import BiText, t

NOT_GIVEN = t("not given", "기재 없음")
YES = t("Yes", "예")
NO = t("No", "아니요")

# Words of the filings' own JSON that have no schema behind them.
KEY_LABELS: dict[str, BiText] = {
    "transition": t("Step", "절차"),
    "from_state": t("From state", "이전 상태"),
    "to_state": t("To state", "이후 상태"),
    "payload": t("As filed", "제출 내용"),
    "comment": t("Comment", "의견"),
    "reason": t("Reason", "사유"),
    "reasons": t("Reasons", "사유"),
    "grounds": t("Legal grounds", "법정 사유"),
    "conditions": t("Conditions of registration", "등록 조건"),
    "registration_number": t("Registration number", "등록번호"),
    "registered_on": t("Registered on", "등록일"),
    "valid_until": t("Valid until", "유효기간 만료일"),
    "decision": t("Decision", "결정"),
    "questions": t("Questions", "요청 사항"),
    "answers": t("Answers", "답변"),
    "due_on": t("Answer by", "제출 기한"),
    "requested_on": t("Requested on", "요청일"),
    "missing": t("What is missing", "보완이 필요한 사항"),
    "deadline": t("Resubmit by", "보완 기한"),
    "period": t("Period", "대상 기간"),
    "period_start": t("Period start", "기간 시작"),
    "period_end": t("Period end", "기간 종료"),
    "report_kind": t("Kind of report", "보고 종류"),
    "change": t("Change reported", "변경 사항"),
    "filed_on": t("Filed on", "제출일"),
    "late": t("Filed late", "기한 경과 제출"),
    "supersedes": t("Supersedes", "대체되는 보고서"),
    "amended_sections": t("Sections amended", "변경한 항목"),
    "addressees": t("Addressed to", "수신 기관"),
    "authority": t("Authority", "기관"),
    "name_ko": t("Name (Korean)", "기관명 (국문)"),
    "name_en": t("Name (English)", "기관명 (영문)"),
    "sent_on": t("Sent on", "발송일"),
    "asked": t("What is asked", "요청 사항"),
    "application_filing": t("Application as filed", "대상 신청서"),
    # A hearing before an adverse decision (docs/domain.md section 4, hearing).
    "action": t("Intended action", "예정된 처분"),
    "action_text": t("Intended action", "예정된 처분"),
    "comment_deadline": t("Comments by", "의견 제출 기한"),
    "last_day": t("Last day", "기한의 마지막 날"),
    "given_on": t("Given on", "통지일"),
    "legal_basis": t("Legal basis", "근거"),
    "notice": t("Notice of intended action", "처분의 사전 통지서"),
    "comments": t("Comments", "제출 의견"),
    "comments_on": t("Comments filed on", "의견 제출일"),
    "hearing": t("Prior notice and comments", "사전 통지와 의견 제출"),
    "omission_ground": t("Why notice was omitted", "사전 통지 생략 사유"),
    "omission_ground_text": t("Why notice was omitted", "사전 통지 생략 사유"),
    # An objection and its answer (docs/domain.md section 4, objection).
    "objection": t("Objection", "이의신청서"),
    "objected_step": t("Decision objected to", "이의신청 대상 처분"),
    "lodged_on": t("Lodged on", "이의신청일"),
    "answer_due_days": t("Answered within (days)", "결과 통지 기간(일)"),
    "outcome": t("Outcome", "결과"),
    # A change applied for in advance and its decision (docs/domain.md section 5).
    "planned_on": t("Planned to take effect on", "변경 예정일"),
    "description": t("The change, before and after", "변경 전후 내용"),
    "acquirer": t("Who acquires or disposes", "지분을 취득 또는 처분하는 자"),
    "holding_before_pct": t("Holding before (%)", "변경 전 지분율(%)"),
    "holding_after_pct": t("Holding after (%)", "변경 후 지분율(%)"),
    "bank_shareholding_total_after_pct": t(
        "Banks' combined holding after the change (%)", "변경 후 은행 지분 합계(%)"
    ),
    "thresholds_crossed_pct": t("Shares crossed (%)", "넘거나 밑도는 지분율(%)"),
    "white_paper_version": t("New white paper version", "새 백서 버전"),
    "white_paper_date": t("Date of the new white paper", "새 백서 작성일"),
    "applied_on": t("Applied on", "신청일"),
    "decided_on": t("Decided on", "결정일"),
    # A surrender and its decision (docs/domain.md section 4, surrender).
    "plan": t("Redemption plan", "상환 계획"),
    "redeem_by": t("Every holder redeemed by", "상환 완료 예정일"),
    "request": t("Request to surrender", "자진 반납 신청서"),
    "as_of": t("As of", "기준일"),
    "outstanding_krw": t("Still outstanding (KRW)", "미상환 발행액(원)"),
    "holders_outstanding": t("Holders not yet redeemed", "상환받지 못한 보유자 수"),
    "notes": t("What was done, and what is left", "진행 상황과 남은 일"),
    "complete": t("Every holder redeemed", "상환 완료"),
}


def key_label(key: str) -> BiText:
    """A label for a bare JSON key: the known word, or the key made readable."""
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    words = str(key).replace("_", " ").strip()
    text = words[:1].upper() + words[1:]
    return t(text, text)


def as_label(value: Any) -> BiText:
    """A label from the forms' metadata or a stored pair; anything else reads as itself."""
    if isinstance(value, Mapping | BiText):
        return BiText.of(value)
    return t(str(value), str(value))


def label_of(field: fields.Field | None, key: str) -> BiText:
    if field is not None and field.metadata.get("label"):
        return as_label(field.metadata["label"])
    return key_label(key)


# --- values -------------------------------------------------------------------


def text(value: str | BiText) -> dict[str, Any]:
    if isinstance(value, Mapping | BiText):
        return {"type": "text", "label": BiText.of(value)}
    return {"type": "text", "text": str(value)}


def _choices(field: fields.Field | None) -> dict[Any, BiText]:
    if field is None:
        return {}
    found = field.metadata.get("choices")
    if not found and isinstance(field, fields.List):
        found = field.inner.metadata.get("choices")
    return {value: as_label(label) for value, label in (found or [])}


def _number(value: Any, unit: str | None) -> str:
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return str(value)
    shown = f"{number:,}" if number == number.to_integral_value() else f"{number:,f}"
    if unit == "KRW":
        return f"{shown}원"
    if unit == "%":
        return f"{shown}%"
    return shown


def scalar(item: Any, field: fields.Field | None = None) -> dict[str, Any]:
    if item is None or (isinstance(item, str) and not item.strip()):
        return {"type": "text", "label": NOT_GIVEN, "muted": True}
    choices = _choices(field)
    if isinstance(item, str | int | bool) and item in choices:
        return text(choices[item])
    if isinstance(item, bool):
        return text(YES if item else NO)
    unit = field.metadata.get("unit") if field is not None else None
    if unit or isinstance(field, fields.Number):
        return text(_number(item, unit))
    return text(item)


def _nested_schema(field: fields.Field | None) -> Schema | None:
    if isinstance(field, fields.List):
        field = field.inner
    if isinstance(field, fields.Nested):
        schema = field.schema
        return schema if isinstance(schema, Schema) else None
    return None


def value(data: Any, field: fields.Field | None = None) -> dict[str, Any]:
    """The display tree of one filed value."""
    schema = _nested_schema(field)
    if isinstance(data, Mapping):
        return rows(data, schema)
    if isinstance(data, list | tuple):
        if not data:
            return scalar(None)
        if all(isinstance(item, Mapping) for item in data):
            return grid(data, schema)
        inner = field.inner if isinstance(field, fields.List) else None
        return {
            "type": "lines",
            "items": [value(item, inner if inner is not None else field) for item in data],
        }
    return scalar(data, field)


def rows(data: Mapping, schema: Schema | None = None) -> dict[str, Any]:
    """A mapping as label/value rows: the schema's fields in order, then anything else filed."""
    declared = dict(schema.fields) if schema is not None else {}
    ordered = [key for key in declared if key in data] + [
        key for key in data if key not in declared
    ]
    laid_out = [
        {"label": label_of(declared.get(key), key), "value": value(data[key], declared.get(key))}
        for key in ordered
    ]
    return {"type": "rows", "rows": laid_out, "blocks": _blocks(laid_out)}


def _blocks(laid_out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Runs of simple rows make one table; a table-like value stands on its own under
    its label, so long tables break across pages cleanly instead of inside one cell."""
    blocks: list[dict[str, Any]] = []
    for row in laid_out:
        if row["value"]["type"] in ("grid", "entries", "rows"):
            blocks.append({"nested": row})
        elif blocks and "table" in blocks[-1]:
            blocks[-1]["table"].append(row)
        else:
            blocks.append({"table": [row]})
    return blocks


def _flat(item: Mapping) -> bool:
    return all(
        not isinstance(v, Mapping)
        and not (isinstance(v, list | tuple) and any(isinstance(x, Mapping) for x in v))
        for v in item.values()
    )


def grid(items: list[Mapping], schema: Schema | None = None) -> dict[str, Any]:
    """A list of entries: a table with a column per key when the entries are flat."""
    if not all(_flat(item) for item in items):
        return {"type": "entries", "items": [rows(item, schema) for item in items]}
    declared = dict(schema.fields) if schema is not None else {}
    keys = [key for key in declared if any(key in item for item in items)]
    for item in items:
        keys += [key for key in item if key not in keys]
    return {
        "type": "grid",
        "columns": [label_of(declared.get(key), key) for key in keys],
        "rows": [[value(item.get(key), declared.get(key)) for key in keys] for item in items],
    }
