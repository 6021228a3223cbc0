import datetime

import pytest
from django.core.exceptions import ValidationError

from casework.registry.validators import (
    mask_document_number,
    mask_phone,
    normalize_phone,
    parse_resident_id,
)


def messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


class TestResidentId:
    def test_gb_example_with_x_check_character(self):
        parsed = parse_resident_id("11010519491231002X")
        assert parsed.number == "11010519491231002X"
        assert parsed.birth_date == datetime.date(1949, 12, 31)
        assert parsed.sex == "F"  # sequence 002 is even

    def test_lower_case_x_is_stored_upper_case(self):
        assert parse_resident_id("11010519491231002x").number == "11010519491231002X"

    def test_gb_example_born_before_1900_is_refused_as_implausible(self):
        # The GB 11643 example 440524188001010014 has a correct check digit but an 1880 birth
        # date, outside the 1900–today range practitioners check (domain.md §5.11 rule 1).
        with pytest.raises(ValidationError) as excinfo:
            parse_resident_id("440524188001010014")
        assert "超出合理范围" in messages(excinfo)

    def test_male_from_odd_sequence(self):
        parsed = parse_resident_id("360426199101010071")
        assert parsed.sex == "M"
        assert parsed.birth_date == datetime.date(1991, 1, 1)

    def test_wrong_check_character_names_field_and_expected_value(self):
        with pytest.raises(ValidationError) as excinfo:
            parse_resident_id("110105194912310021", field_label="户主证件号码")
        text = messages(excinfo)
        assert "户主证件号码" in text
        assert "校验未通过" in text
        assert "X" in text  # the expected character is named

    def test_wrong_digit_where_x_expected_and_x_where_digit_expected(self):
        with pytest.raises(ValidationError):
            parse_resident_id("36042619910101007X")
        with pytest.raises(ValidationError):
            parse_resident_id("110105194912310020")

    def test_fifteen_digit_number_is_upgraded(self):
        parsed = parse_resident_id("110105491231002")
        assert parsed.number == "11010519491231002X"
        assert parsed.upgraded_from_15

    def test_full_width_digits_and_spaces_are_folded(self):
        parsed = parse_resident_id(" １１０１０５ １９４９１２３１ ００２ｘ\u3000")
        assert parsed.number == "11010519491231002X"

    def test_abolished_county_code_is_accepted(self):
        # 622626: 礼县 under the former 陇南地区, abolished in 2004; still on older cards.
        body = "62262619800101002"
        from stdnum.cn import ric

        number = body + ric.calc_check_digit(body + "0")
        assert parse_resident_id(number).number == number

    def test_unknown_province_is_refused(self):
        from stdnum.cn import ric

        body = "99010519800101002"
        with pytest.raises(ValidationError) as excinfo:
            parse_resident_id(body + ric.calc_check_digit(body + "0"))
        assert "省级代码" in messages(excinfo)

    def test_impossible_birth_date_is_refused(self):
        from stdnum.cn import ric

        body = "11010519800231002"
        with pytest.raises(ValidationError) as excinfo:
            parse_resident_id(body + ric.calc_check_digit(body + "0"))
        assert "出生日期" in messages(excinfo)

    @pytest.mark.parametrize("raw", ["1101051949123100", "11010519491231002X1", "ABC"])
    def test_wrong_length_is_refused_with_the_count(self, raw):
        with pytest.raises(ValidationError) as excinfo:
            parse_resident_id(raw)
        assert "18 位" in messages(excinfo) or "数字" in messages(excinfo)

    def test_empty_is_required(self):
        with pytest.raises(ValidationError) as excinfo:
            parse_resident_id("  ", field_label="证件号码")
        assert messages(excinfo) == "请填写证件号码。"


class TestPhone:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("13812345678", "13812345678"),
            ("199 1234 5678", "19912345678"),
            ("１６６１２３４５６７８", "16612345678"),
            ("+86 13812345678", "13812345678"),
            ("0939-1234567", "0939-1234567"),
            ("09391234567", "09391234567"),
            ("", ""),
        ],
    )
    def test_valid_numbers_are_normalised(self, raw, expected):
        assert normalize_phone(raw) == expected

    @pytest.mark.parametrize("raw", ["12812345678", "1381234567", "138123456789", "电话"])
    def test_bad_phone_is_refused_naming_the_field(self, raw):
        with pytest.raises(ValidationError) as excinfo:
            normalize_phone(raw, field_label="户联系电话")
        assert messages(excinfo).startswith("户联系电话")
        assert "11 位手机号码" in messages(excinfo)


def test_masks():
    assert mask_document_number("620102198001011234") == "620102********1234"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("") == ""
