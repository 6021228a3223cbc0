"""The anchor file: appended on each sweep, chained line by line, checked by ``audit_verify``;
and the audit key that both the chain and the anchor file hang on."""

import os
import stat
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import transaction

from casework.audit import keys
from casework.audit.anchor import anchor_append, anchor_latest, anchors_read
from casework.audit.selectors import chain_head
from casework.audit.services import audit_record
from tests.audit.helpers import run_verify

pytestmark = pytest.mark.django_db


def _record(actor, count: int = 1) -> None:
    with transaction.atomic():
        for _ in range(count):
            audit_record(actor=actor, action="test.anchor", obj=None, household_id=None)


def test_each_anchor_is_the_head_then_and_an_unchanged_head_is_not_anchored_twice(
    world, audit_anchor_file
):
    first = anchor_append()
    assert (first.seq, first.hash) == chain_head()
    assert anchor_append() is None  # nothing happened since
    _record(world.admin, 3)
    second = anchor_append()
    assert second.seq == first.seq + 3
    assert [(a.seq, a.hash) for a in anchors_read()] == [
        (first.seq, first.hash),
        (second.seq, second.hash),
    ]
    assert anchor_latest() == second
    assert stat.S_IMODE(os.stat(audit_anchor_file).st_mode) == 0o600
    assert "审计链包含全部 2 条锚定记录" in run_verify()


def _lines(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_an_edited_or_dropped_line_of_the_anchor_file_is_named(world, audit_anchor_file):
    for _ in range(3):
        anchor_append()
        _record(world.admin)
    anchor_append()
    lines = _lines(audit_anchor_file)
    assert len(lines) == 4
    seq, digest, at, mac = lines[1].split("\t")
    edited = [lines[0], "\t".join([seq, "f" * 64, at, mac]), *lines[2:]]
    audit_anchor_file.write_text("".join(edited), encoding="utf-8")
    with pytest.raises(CommandError, match="锚定文件.*第 2 行被改动"):
        run_verify()
    audit_anchor_file.write_text("".join([lines[0], *lines[2:]]), encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行被改动，或其之前的行被删除"):
        run_verify()


def test_verify_warns_without_an_anchor_file_and_checks_a_copy_named_on_the_line(
    world, audit_anchor_file, tmp_path
):
    anchor_append()
    copy = tmp_path / "anchor-backup.log"
    copy.write_bytes(audit_anchor_file.read_bytes())
    audit_anchor_file.unlink()
    out, err = StringIO(), StringIO()
    call_command("audit_verify", stdout=out, stderr=err)
    assert "未找到锚定文件" in err.getvalue()
    assert "审计链包含全部 1 条锚定记录" in run_verify("--anchor-file", str(copy))


def test_the_key_command_makes_a_private_key_file_once(settings, tmp_path):
    settings.AUDIT_HMAC_KEY = ""
    settings.AUDIT_HMAC_KEY_FILE = tmp_path / "var" / "audit_hmac_key"
    call_command("audit_key", stdout=StringIO())
    key = settings.AUDIT_HMAC_KEY_FILE.read_text()
    assert len(key.strip()) == 64
    assert stat.S_IMODE(os.stat(settings.AUDIT_HMAC_KEY_FILE).st_mode) == 0o600
    call_command("audit_key", stdout=StringIO())
    assert settings.AUDIT_HMAC_KEY_FILE.read_text() == key  # never replaced
    assert keys.audit_key() == key.strip().encode()


def test_without_a_key_nothing_is_recorded_in_production(settings, tmp_path):
    settings.AUDIT_HMAC_KEY = ""
    settings.AUDIT_HMAC_KEY_FILE = tmp_path / "absent"
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="audit_key"), transaction.atomic():
        audit_record(actor=None, action="test.no_key", obj=None, household_id=None)
    settings.DEBUG = True  # development: made on first use
    keys.audit_key()
    assert settings.AUDIT_HMAC_KEY_FILE.exists()
