"""Korean particles agree with the word they follow (은/는, 이/가, 을/를, 과/와, (으)로):
the choice follows standard Korean grammar (국립국어원 표준국어대사전, the entries for each
particle), with numbers read in Sino-Korean and Latin letters by their names."""

import pytest

from workflows.bilingual import t, use_locale
from workflows.engine import Refusal
from workflows.korean import final_sound, with_particles


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("한빛은행은(는) 보관 은행이 아닙니다", "한빛은행은 보관 은행이 아닙니다"),
        ("한빛스테이블 주식회사은(는) 국내 법인", "한빛스테이블 주식회사는 국내 법인"),
        ("인증서이(가) 만료", "인증서가 만료"),
        ("자본금이(가) 부족", "자본금이 부족"),
        ("등록 승인을(를) 할 수 없습니다", "등록 승인을 할 수 없습니다"),
        ("경고장을(를) 발송", "경고장을 발송"),
        ("보고서과(와) 첨부", "보고서와 첨부"),
        ("은행과(와) 발행인", "은행과 발행인"),
        # (으)로: 로 after a vowel and after ㄹ, 으로 after any other consonant.
        ("'종결'(으)로 바꿀", "'종결'로 바꿀"),
        ("'해결'(으)로 바꿀", "'해결'로 바꿀"),
        ("'검토 중'(으)로 바꿀", "'검토 중'으로 바꿀"),
    ],
)
def test_hangul_words_take_the_form_of_their_last_syllable(written, read):
    assert with_particles(written) == read


@pytest.mark.parametrize(
    ("written", "read"),
    [
        # 일 칠 팔 end in ㄹ; 삼 육 영 and 십, 백, 천 in another consonant; the rest in a vowel.
        ("2026-11이(가)", "2026-11이"),
        ("VAR-2026-000123(으)로", "VAR-2026-000123으로"),
        ("VAR-2026-000127(으)로", "VAR-2026-000127로"),
        ("5은(는)", "5는"),
        ("3은(는)", "3은"),
        ("1,000,000원은(는)", "1,000,000원은"),
        ("₩999,999,999은(는)", "₩999,999,999은"),
        ("10을(를)", "10을"),
        ("102.5%은(는)", "102.5%는"),
        # Letters by their names: 엘, 알 (ㄹ), 엠, 엔 end in a consonant, 에이, 비 ... in a vowel.
        ("KRWL(으)로", "KRWL로"),
        ("KRWM은(는)", "KRWM은"),
        ("HBK은(는)", "HBK는"),
        ("ISMS-P이(가)", "ISMS-P가"),
    ],
)
def test_numbers_and_letters_are_read_as_a_korean_reader_says_them(written, read):
    assert with_particles(written) == read


def test_a_parenthetical_aside_is_read_through_to_the_word_before_it():
    assert with_particles("자산 A-2(국채, 1,000원)은(는) 인정되지 않습니다") == (
        "자산 A-2(국채, 1,000원)는 인정되지 않습니다"
    )
    custodian = with_particles("보관기관 C-1(한빛은행)이(가) 분리하지")
    assert custodian == "보관기관 C-1(한빛은행)이 분리하지"


def test_an_alternation_waiting_for_its_word_is_left_until_the_word_is_in():
    assert final_sound("{bank}") is None
    waiting = "{bank}은(는) 보관 은행이 아닙니다"
    assert with_particles(waiting) == waiting
    with use_locale("ko"):
        message = t("{bank} is not a custodian.", "{bank}은(는) 보관 은행이 아닙니다.", bank="하나")
    assert message.ko == "하나는 보관 은행이 아닙니다." and str(message) == message.ko
    assert t("x", "{bank}은(는) 아닙니다.").format(bank="국민은행").ko == "국민은행은 아닙니다."


def test_a_refusal_reads_with_the_particles_chosen():
    refusal = Refusal(403, "role", t("Only a reviewer may.", "권고을(를) 심사역만"))
    assert refusal.ko == "권고를 심사역만"
