"""Check digits of 사업자등록번호, 법인등록번호 and the LEI, on published numbers."""

import pytest
from marshmallow import ValidationError

from forms.identifiers import (
    business_registration_check_digit,
    corporate_registration_check_digit,
    format_business_registration_number,
    format_corporate_registration_number,
    is_valid_business_registration_number,
    is_valid_corporate_registration_number,
    is_valid_lei,
    lei_check_digits,
    normalise_business_registration_number,
    normalise_corporate_registration_number,
    normalise_lei,
    validate_business_registration_number,
    validate_corporate_registration_number,
    validate_lei,
)
from workflows.bilingual import use_locale

# Published numbers (docs/domain.md section 3; the LEIs from the GLEIF register).
BRN = "124-81-00998"
CRN = "130111-0006246"
LEIS = ("5493001KJTIIGC8Y1R12", "7LTWFZYICNSX8D621K86")


def one_digit_off(number: str, position: int) -> str:
    digits = [i for i, char in enumerate(number) if char.isdigit()]
    index = digits[position]
    bumped = str((int(number[index]) + 1) % 10)
    return number[:index] + bumped + number[index + 1 :]


@pytest.mark.parametrize("text", [BRN, "1248100998", " 124 81 00998 ", "124-8100998"])
def test_published_business_registration_number_is_valid_with_or_without_hyphens(text):
    assert is_valid_business_registration_number(text)


@pytest.mark.parametrize("position", range(10))
def test_business_registration_number_one_digit_off_is_invalid(position):
    assert not is_valid_business_registration_number(one_digit_off(BRN, position))


@pytest.mark.parametrize("text", ["124-81-0099", "124-81-009988", "12A-81-00998", "", None])
def test_business_registration_number_of_wrong_shape_is_invalid(text):
    assert not is_valid_business_registration_number(text)


def test_business_registration_check_digit_adds_the_tens_of_the_ninth_digit_times_five():
    # 1,2,4,8,1,0,0,9,9 weighted 1,3,7,1,3,7,1,3,5 is 118; (9 x 5) // 10 adds 4: 122 -> 8.
    assert business_registration_check_digit("124810099") == 8


def test_business_registration_number_normalises_to_digits_and_formats_with_hyphens():
    assert normalise_business_registration_number(" 124-81-00998 ") == "1248100998"
    assert format_business_registration_number("1248100998") == BRN


def test_business_registration_validator_names_the_rule_in_both_locales():
    with use_locale("en"), pytest.raises(ValidationError) as english:
        validate_business_registration_number("124-81-00999")
    with use_locale("ko"), pytest.raises(ValidationError) as korean:
        validate_business_registration_number("124-81-00999")
    assert "check digit (National Tax Service rule)" in english.value.messages[0]
    assert "사업자등록번호는 10자리" in korean.value.messages[0]
    validate_business_registration_number(BRN)


@pytest.mark.parametrize("text", [CRN, "1301110006246", "130111 0006246"])
def test_published_corporate_registration_number_is_valid_with_or_without_hyphen(text):
    assert is_valid_corporate_registration_number(text)


@pytest.mark.parametrize("position", range(13))
def test_corporate_registration_number_one_digit_off_is_invalid(position):
    assert not is_valid_corporate_registration_number(one_digit_off(CRN, position))


def test_corporate_registration_number_normalises_and_formats():
    assert corporate_registration_check_digit("130111000624") == 6
    assert normalise_corporate_registration_number("130111-0006246") == "1301110006246"
    assert format_corporate_registration_number("1301110006246") == CRN


def test_corporate_registration_validator_names_the_rule_in_both_locales():
    with use_locale("en"), pytest.raises(ValidationError) as english:
        validate_corporate_registration_number("130111-0006247")
    with use_locale("ko"), pytest.raises(ValidationError) as korean:
        validate_corporate_registration_number("130111-0006247")
    assert "13 digits and the last is a check digit" in english.value.messages[0]
    assert "법인등록번호는 13자리" in korean.value.messages[0]


@pytest.mark.parametrize("lei", LEIS)
def test_published_lei_is_valid(lei):
    assert is_valid_lei(lei)
    assert is_valid_lei(lei.lower())


@pytest.mark.parametrize("position", [0, 6, 10, 17, 18, 19])
def test_lei_one_character_off_is_invalid(position):
    lei = LEIS[0]
    char = lei[position]
    changed = str((int(char) + 1) % 10) if char.isdigit() else chr((ord(char) - 64) % 26 + 65)
    assert not is_valid_lei(lei[:position] + changed + lei[position + 1 :])


def test_lei_check_digits_reproduce_the_published_ones():
    assert lei_check_digits(LEIS[0][:18]) == LEIS[0][18:]
    assert lei_check_digits(LEIS[1][:18]) == LEIS[1][18:]


@pytest.mark.parametrize(
    "text", ["5493001KJTIIGC8Y1R1", "5493001KJTIIGC8Y1R1A", "5493001KJTIIGC8Y1R12X"]
)
def test_lei_of_wrong_shape_is_invalid(text):
    assert not is_valid_lei(text)


def test_lei_validator_names_the_rule_in_both_locales():
    assert normalise_lei(" 5493 001k jtiigc8y1r12") == LEIS[0]
    with use_locale("en"), pytest.raises(ValidationError) as english:
        validate_lei("5493001KJTIIGC8Y1R13")
    with use_locale("ko"), pytest.raises(ValidationError) as korean:
        validate_lei("5493001KJTIIGC8Y1R13")
    assert "ISO 17442" in english.value.messages[0]
    assert "법인식별기호" in korean.value.messages[0]
