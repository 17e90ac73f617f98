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

Label = dict[str, str]  # {"ko": ..., "en": ...}

NOT_GIVEN = {"ko": "기재 없음", "en": "not given"}
YES = {"ko": "예", "en": "Yes"}
NO = {"ko": "아니요", "en": "No"}

# Words of the filings' own JSON that have no schema behind them.
KEY_LABELS: dict[str, Label] = {
    "transition": {"ko": "절차", "en": "Step"},
    "from_state": {"ko": "이전 상태", "en": "From state"},
    "to_state": {"ko": "이후 상태", "en": "To state"},
    "payload": {"ko": "제출 내용", "en": "As filed"},
    "comment": {"ko": "의견", "en": "Comment"},
    "reason": {"ko": "사유", "en": "Reason"},
    "reasons": {"ko": "사유", "en": "Reasons"},
    "grounds": {"ko": "법정 사유", "en": "Legal grounds"},
    "conditions": {"ko": "등록 조건", "en": "Conditions of registration"},
    "registration_number": {"ko": "등록번호", "en": "Registration number"},
    "registered_on": {"ko": "등록일", "en": "Registered on"},
    "valid_until": {"ko": "유효기간 만료일", "en": "Valid until"},
    "decision": {"ko": "결정", "en": "Decision"},
    "questions": {"ko": "요청 사항", "en": "Questions"},
    "answers": {"ko": "답변", "en": "Answers"},
    "due_on": {"ko": "제출 기한", "en": "Answer by"},
    "requested_on": {"ko": "요청일", "en": "Requested on"},
    "missing": {"ko": "보완이 필요한 사항", "en": "What is missing"},
    "deadline": {"ko": "보완 기한", "en": "Resubmit by"},
    "period": {"ko": "대상 기간", "en": "Period"},
    "period_start": {"ko": "기간 시작", "en": "Period start"},
    "period_end": {"ko": "기간 종료", "en": "Period end"},
    "report_kind": {"ko": "보고 종류", "en": "Kind of report"},
    "change": {"ko": "변경 사항", "en": "Change reported"},
    "filed_on": {"ko": "제출일", "en": "Filed on"},
    "late": {"ko": "기한 경과 제출", "en": "Filed late"},
    "supersedes": {"ko": "대체되는 보고서", "en": "Supersedes"},
    "amended_sections": {"ko": "변경한 항목", "en": "Sections amended"},
    "addressees": {"ko": "수신 기관", "en": "Addressed to"},
    "authority": {"ko": "기관", "en": "Authority"},
    "name_ko": {"ko": "기관명 (국문)", "en": "Name (Korean)"},
    "name_en": {"ko": "기관명 (영문)", "en": "Name (English)"},
    "sent_on": {"ko": "발송일", "en": "Sent on"},
    "asked": {"ko": "요청 사항", "en": "What is asked"},
    "application_filing": {"ko": "대상 신청서", "en": "Application as filed"},
    # A hearing before an adverse decision (docs/domain.md section 4, hearing).
    "action": {"ko": "예정된 처분", "en": "Intended action"},
    "action_text": {"ko": "예정된 처분", "en": "Intended action"},
    "comment_deadline": {"ko": "의견 제출 기한", "en": "Comments by"},
    "last_day": {"ko": "기한의 마지막 날", "en": "Last day"},
    "given_on": {"ko": "통지일", "en": "Given on"},
    "legal_basis": {"ko": "근거", "en": "Legal basis"},
    "notice": {"ko": "처분의 사전 통지서", "en": "Notice of intended action"},
    "comments": {"ko": "제출 의견", "en": "Comments"},
    "comments_on": {"ko": "의견 제출일", "en": "Comments filed on"},
    "hearing": {"ko": "사전 통지와 의견 제출", "en": "Prior notice and comments"},
    "omission_ground": {"ko": "사전 통지 생략 사유", "en": "Why notice was omitted"},
    "omission_ground_text": {"ko": "사전 통지 생략 사유", "en": "Why notice was omitted"},
    # An objection and its answer (docs/domain.md section 4, objection).
    "objection": {"ko": "이의신청서", "en": "Objection"},
    "objected_step": {"ko": "이의신청 대상 처분", "en": "Decision objected to"},
    "lodged_on": {"ko": "이의신청일", "en": "Lodged on"},
    "answer_due_days": {"ko": "결과 통지 기간(일)", "en": "Answered within (days)"},
    "outcome": {"ko": "결과", "en": "Outcome"},
    # A change applied for in advance and its decision (docs/domain.md section 5).
    "planned_on": {"ko": "변경 예정일", "en": "Planned to take effect on"},
    "description": {"ko": "변경 전후 내용", "en": "The change, before and after"},
    "acquirer": {"ko": "지분을 취득 또는 처분하는 자", "en": "Who acquires or disposes"},
    "holding_before_pct": {"ko": "변경 전 지분율(%)", "en": "Holding before (%)"},
    "holding_after_pct": {"ko": "변경 후 지분율(%)", "en": "Holding after (%)"},
    "bank_shareholding_total_after_pct": {
        "ko": "변경 후 은행 지분 합계(%)",
        "en": "Banks' combined holding after the change (%)",
    },
    "thresholds_crossed_pct": {"ko": "넘거나 밑도는 지분율(%)", "en": "Shares crossed (%)"},
    "white_paper_version": {"ko": "새 백서 버전", "en": "New white paper version"},
    "white_paper_date": {"ko": "새 백서 작성일", "en": "Date of the new white paper"},
    "applied_on": {"ko": "신청일", "en": "Applied on"},
    "decided_on": {"ko": "결정일", "en": "Decided on"},
    # A surrender and its decision (docs/domain.md section 4, surrender).
    "plan": {"ko": "상환 계획", "en": "Redemption plan"},
    "redeem_by": {"ko": "상환 완료 예정일", "en": "Every holder redeemed by"},
    "request": {"ko": "자진 반납 신청서", "en": "Request to surrender"},
    "as_of": {"ko": "기준일", "en": "As of"},
    "outstanding_krw": {"ko": "미상환 발행액(원)", "en": "Still outstanding (KRW)"},
    "holders_outstanding": {"ko": "상환받지 못한 보유자 수", "en": "Holders not yet redeemed"},
    "notes": {"ko": "진행 상황과 남은 일", "en": "What was done, and what is left"},
    "complete": {"ko": "상환 완료", "en": "Every holder redeemed"},
}


def key_label(key: str) -> Label:
    """A label for a bare JSON key: the known word, or the key made readable."""
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    words = str(key).replace("_", " ").strip()
    text = words[:1].upper() + words[1:]
    return {"ko": text, "en": text}


def pair(value: Any) -> Label:
    """A {"ko", "en"} label from the forms' metadata (a dict or an (en, ko) tuple)."""
    if isinstance(value, Mapping):
        return {"ko": str(value.get("ko", "")), "en": str(value.get("en", ""))}
    if isinstance(value, tuple | list) and len(value) == 2:
        return {"en": str(value[0]), "ko": str(value[1])}
    return {"ko": str(value), "en": str(value)}


def label_of(field: fields.Field | None, key: str) -> Label:
    if field is not None and field.metadata.get("label"):
        return pair(field.metadata["label"])
    return key_label(key)


# --- values -------------------------------------------------------------------


def text(value: str | Label) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return {"type": "text", "label": dict(value)}
    return {"type": "text", "text": str(value)}


def _choices(field: fields.Field | None) -> dict[Any, Label]:
    if field is None:
        return {}
    found = field.metadata.get("choices")
    if not found and isinstance(field, fields.List):
        found = field.inner.metadata.get("choices")
    return {value: pair(label) for value, label in (found or [])}


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
