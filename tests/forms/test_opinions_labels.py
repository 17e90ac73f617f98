from forms.opinions import AUTHORITY_LABELS, OPINION_LABELS
from workflows.lifecycle import OPINION_AUTHORITIES, OPINION_VALUES


def test_every_authority_and_opinion_value_has_a_label_in_both_languages():
    assert set(AUTHORITY_LABELS) == set(OPINION_AUTHORITIES)
    assert set(OPINION_LABELS) == set(OPINION_VALUES)
    for label in (*AUTHORITY_LABELS.values(), *OPINION_LABELS.values()):
        assert label.en and label.ko
