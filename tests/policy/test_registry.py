"""The registry is complete (every parameter typed, bounded, explained, with the rule that reads
it) and its one validator accepts every default and refuses bad values in Chinese."""

import pytest
from django.core.exceptions import ValidationError

from casework.policy.defaults import DEFAULTS, Kind
from casework.policy.validation import _CLEANERS, parameter_value_clean

NUMERIC = {Kind.INTEGER, Kind.DECIMAL, Kind.INTEGERS, Kind.MAPPING}
KEYED = {Kind.MAPPING, Kind.TEXTS, Kind.CHOICES}

# Every pairing type with a cap (the registry names five).
CAPS = {"party": 3, "cadre": 5, "capable": 3, "party_centre": 15, "capable_household": 5}


@pytest.mark.parametrize("key", DEFAULTS)
def test_every_entry_says_what_it_is_and_who_reads_it(key):
    spec = DEFAULTS[key]
    assert spec.kind in _CLEANERS
    assert str(spec.label) and str(spec.meaning) and str(spec.used_by), key
    if spec.kind in NUMERIC:
        assert spec.unit and spec.minimum is not None and spec.maximum is not None, key
        assert spec.minimum <= spec.maximum
    if spec.kind in KEYED:
        assert spec.keys, key


@pytest.mark.parametrize("key", DEFAULTS)
def test_every_default_passes_the_validator(key):
    assert parameter_value_clean(key, DEFAULTS[key].value) == DEFAULTS[key].value


def _messages(key, raw):
    with pytest.raises(ValidationError) as caught:
        parameter_value_clean(key, raw)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    "key, raw, message",
    [
        ("retention.followup_months", "abc", "“abc”不是整数。"),
        ("retention.followup_months", [], "请至少输入一个取值。"),
        ("retention.followup_months", "1,3,3", "3 重复输入。"),
        ("retention.followup_months", "1,37", "不得大于 36个月。"),
        ("retention.followup_months", {"a": 1}, "请输入一组取值。"),
        ("training.attendance_threshold", "八十", "请输入整数。"),
        ("training.attendance_threshold", True, "请输入整数。"),
        ("training.attendance_threshold", 101, "不得大于 100%。"),
        ("training.attendance_threshold", 0, "不得小于 1%。"),
        ("posts.one_per_household", "maybe", "请选择是或否。"),
        ("pairing.caps", {"party": 3, "cadre": 5}, "请填写：能人带动、党员中心户、能人大户带贫。"),
        ("pairing.caps", {**CAPS, "boss": 1}, "没有这一项：boss。"),
        ("pairing.caps", {**CAPS, "party": 0}, "党员结对：不得小于 1户。"),
        ("pairing.caps", [3, 5, 3], "请为每一项分别填写取值。"),
        ("assessment.retirement_age", {"M": "六十", "F": 55}, "男：请输入整数。"),
        (
            "household.responsible_level",
            {"green": " ", "yellow": "甲", "red": "乙"},
            "绿色：请输入文字。",
        ),
        ("no.such.parameter", 1, "没有这个参数：no.such.parameter。"),
    ],
)
def test_bad_values_are_refused_with_a_chinese_message(key, raw, message):
    assert message in _messages(key, raw)


def test_values_are_brought_to_their_stored_form():
    assert parameter_value_clean("retention.followup_months", "6，1、3") == [1, 3, 6]
    assert parameter_value_clean("training.attendance_threshold", " 70 ") == 70
    assert parameter_value_clean("posts.one_per_household", "no") is False
    assert parameter_value_clean("pairing.caps", {**CAPS, "party": "4"}) == {**CAPS, "party": 4}


def test_an_entry_error_names_its_field_for_the_form():
    with pytest.raises(ValidationError) as caught:
        parameter_value_clean("household.followup_days", {"green": 30, "yellow": 400, "red": 7})
    assert list(caught.value.message_dict) == ["value_yellow"]
