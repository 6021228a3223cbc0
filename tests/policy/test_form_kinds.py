"""The edit form covers every kind of the registry, including those no parameter uses yet
(choices as checkboxes, decimals): a test entry stands in for them."""

import pytest

from casework.policy.defaults import DEFAULTS, Default, Kind
from casework.policy.forms import ParameterForm
from casework.policy.selectors import value_words

CHOICES = Default(
    ["three_no", "training"],
    "可申请公益性岗位的类别",
    kind=Kind.CHOICES,
    keys=(("capable", "能人"), ("training", "需培训"), ("three_no", "三无")),
    meaning="测试",
    used_by="测试",
)
RATIO = Default(
    0.5, "权重", kind=Kind.DECIMAL, minimum=0, maximum=1, meaning="测试", used_by="测试"
)
PERIOD = {"valid_from": "2026-01-01"}


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setitem(DEFAULTS, "test.choices", CHOICES)
    monkeypatch.setitem(DEFAULTS, "test.ratio", RATIO)


def _form(key, data):
    spec = DEFAULTS[key]
    return ParameterForm(data, key=key, spec=spec, current=spec.value)


def test_choices_are_checkboxes_saved_in_the_registry_order(registry):
    form = _form("test.choices", {**PERIOD, "value": ["three_no", "capable"]})
    assert form.fields["value"].widget.input_type == "checkbox"
    assert form.is_valid(), form.errors
    assert form.cleaned_data["parameter_value"] == ["capable", "three_no"]
    assert value_words(CHOICES, ["capable", "three_no"]) == "能人、三无"


def test_choices_refuse_none_and_unknown_codes(registry):
    form = _form("test.choices", PERIOD)
    assert not form.is_valid() and form.errors["value"] == ["请至少选择一项。"]
    form = _form("test.choices", {**PERIOD, "value": ["boss"]})
    assert not form.is_valid() and "boss" in form.errors["value"][0]


def test_decimals_keep_their_fraction_within_bounds(registry):
    form = _form("test.ratio", {**PERIOD, "value": "0.25"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["parameter_value"] == 0.25
    form = _form("test.ratio", {**PERIOD, "value": "1.5"})
    assert not form.is_valid() and form.errors["value"] == ["不得大于 1。"]
