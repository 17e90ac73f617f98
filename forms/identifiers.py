"""Korean company identifiers and the LEI: check-digit rules.

Each identifier has a pure test (`is_valid_...`), a normaliser that strips the
separators people type, a formatter for the canonical display form, and a
marshmallow validator whose message names the rule. The check-digit rules are
the ones in docs/domain.md section 3, verified on real published numbers.
"""

import re

from marshmallow import ValidationError

from workflows.bilingual import t

_SEPARATORS = re.compile(r"[\s\-]")

# 사업자등록번호 (National Tax Service): weights for digits 1-9.
_BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
# 법인등록번호 (court registry): weights for digits 1-12.
_CRN_WEIGHTS = (1, 2) * 6


def _digits(text: str, length: int) -> list[int] | None:
    if not isinstance(text, str):
        return None
    cleaned = _SEPARATORS.sub("", text)
    if len(cleaned) != length or not cleaned.isascii() or not cleaned.isdigit():
        return None
    return [int(char) for char in cleaned]


# --- 사업자등록번호 (business registration number) -------------------------


def normalise_business_registration_number(text: str) -> str:
    """The number without hyphens or spaces: `124-81-00998` -> `1248100998`."""
    return _SEPARATORS.sub("", text or "")


def business_registration_check_digit(first_nine: str) -> int:
    digits = [int(char) for char in first_nine]
    total = sum(d * w for d, w in zip(digits, _BRN_WEIGHTS, strict=True))
    # The ninth digit counts twice: its product with 5 also adds its tens (NTS rule).
    total += (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def is_valid_business_registration_number(text: str) -> bool:
    digits = _digits(text, 10)
    if digits is None:
        return False
    first_nine = "".join(map(str, digits[:9]))
    return business_registration_check_digit(first_nine) == digits[9]


def format_business_registration_number(text: str) -> str:
    """The display form `124-81-00998`; the input must already be valid."""
    digits = normalise_business_registration_number(text)
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def validate_business_registration_number(value: str) -> None:
    if not is_valid_business_registration_number(value):
        raise ValidationError(
            t(
                "Not a valid business registration number: 사업자등록번호 has 10 "
                "digits and the last is a check digit (National Tax Service rule).",
                "올바른 사업자등록번호가 아닙니다. 사업자등록번호는 "
                "10자리이며 마지막 자리는 검증번호입니다(국세청 규칙).",
            )
        )


# --- 법인등록번호 (corporate registration number) ---------------------------


def normalise_corporate_registration_number(text: str) -> str:
    """The number without hyphens or spaces: `130111-0006246` -> `1301110006246`."""
    return _SEPARATORS.sub("", text or "")


def corporate_registration_check_digit(first_twelve: str) -> int:
    total = sum(int(d) * w for d, w in zip(first_twelve, _CRN_WEIGHTS, strict=True))
    return (10 - total % 10) % 10


def is_valid_corporate_registration_number(text: str) -> bool:
    digits = _digits(text, 13)
    if digits is None:
        return False
    first_twelve = "".join(map(str, digits[:12]))
    return corporate_registration_check_digit(first_twelve) == digits[12]


def format_corporate_registration_number(text: str) -> str:
    """The display form `130111-0006246`; the input must already be valid."""
    digits = normalise_corporate_registration_number(text)
    return f"{digits[:6]}-{digits[6:]}"


def validate_corporate_registration_number(value: str) -> None:
    if not is_valid_corporate_registration_number(value):
        raise ValidationError(
            t(
                "Not a valid corporate registration number: 법인등록번호 has 13 "
                "digits and the last is a check digit (commercial registry rule).",
                "올바른 법인등록번호가 아닙니다. 법인등록번호는 "
                "13자리이며 마지막 자리는 검증번호입니다(상업등기 규칙).",
            )
        )


# --- LEI (ISO 17442) ---------------------------------------------------------

_LEI_SHAPE = re.compile(r"[0-9A-Z]{18}[0-9]{2}")


def normalise_lei(text: str) -> str:
    """Upper case, without spaces or hyphens."""
    return _SEPARATORS.sub("", text or "").upper()


def _mod97(alphanumeric: str) -> int:
    # ISO 7064 MOD 97-10: letters become 10-35, then the whole number mod 97.
    return int("".join(str(int(char, 36)) for char in alphanumeric)) % 97


def lei_check_digits(first_eighteen: str) -> str:
    return f"{98 - _mod97(first_eighteen.upper() + '00'):02d}"


def is_valid_lei(text: str) -> bool:
    if not isinstance(text, str):
        return False
    lei = normalise_lei(text)
    return bool(_LEI_SHAPE.fullmatch(lei)) and _mod97(lei) == 1


def validate_lei(value: str) -> None:
    if not is_valid_lei(value):
        raise ValidationError(
            t(
                "Not a valid LEI: a Legal Entity Identifier has 20 letters and "
                "digits ending in two check digits (ISO 17442, ISO 7064 MOD 97-10).",
                "올바른 LEI가 아닙니다. 법인식별기호는 영문자와 숫자 20자리이며 "
                "마지막 두 자리는 검증번호입니다(ISO 17442, ISO 7064 MOD 97-10).",
            )
        )
