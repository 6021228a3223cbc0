"""The scale bench's import measurement leaves the tier as it found it: a kept tier measured
again (``bench/scale.py --reuse``) must not grow by the imported households with each run."""

import sys
from pathlib import Path

import pytest

from casework.audit.models import AuditEvent
from casework.registry.models import Household, Member

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.django_db(transaction=True)
def test_the_import_is_timed_then_rolled_back(world, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    from bench.scale import imports

    before = (Household.objects.count(), Member.objects.count())
    imported = AuditEvent.objects.filter(action="household.import")
    result = imports.import_against_bare(5)
    assert result["households"] == 5 and result["members"] > 5
    assert result["service"] > 0 and result["bare"] > 0
    assert (Household.objects.count(), Member.objects.count()) == before
    assert not imported.exists()
    assert "bench" in sys.modules["import_ledger"].__file__
