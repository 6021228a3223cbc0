"""A batch of 100 case files is made in the background while pages are served (acceptance 5)."""

import subprocess
import threading
import time
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.common.jobs import private_storage
from casework.registry.models import Household
from casework.reports.casefile.batch import (
    casefile_batches_reap,
    casefile_batches_run,
    casefile_exports_expire,
)
from casework.reports.casefile.names import casefile_name
from casework.reports.models import CaseFileBatch, CaseFilePart
from tests import factories


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_100_case_files_while_the_site_stays_responsive(world, settings, tmp_path):
    for _index in range(98):
        factories.household(world.admin, world.grid_a1)
    site_households = Household.objects.filter(grid__site=world.site_a)
    assert site_households.count() == 100

    manager = _client(world.manager)
    response = manager.post("/registry/household/casefiles/", {"site": world.site_a.pk})
    assert response.status_code == 302
    batch = CaseFileBatch.objects.get()
    assert (batch.status, batch.total, batch.requested_by) == ("queued", 100, world.manager)
    status_url = f"/registry/household/casefiles/{batch.pk}/"

    def worker():
        try:
            casefile_batches_run()
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    served_during = []  # (page, status code, case files made when it was served)
    caseworker = _client(world.caseworker1)
    while thread.is_alive():
        for client, url in ((manager, status_url), (caseworker, "/registry/household/")):
            response = client.get(url)
            done = CaseFileBatch.objects.get(pk=batch.pk).done
            served_during.append((url, response.status_code, done))
        time.sleep(0.2)
    thread.join()

    batch.refresh_from_db()
    assert batch.status == "done", batch.error
    assert batch.done == 100
    mid_export = [row for row in served_during if 0 < row[2] < 100]
    assert mid_export, "no page was served while the export was running"
    assert all(code == 200 for _url, code, _done in served_during)
    assert any(url == "/registry/household/" for url, _code, _done in mid_export)

    download = manager.get(f"/registry/household/casefiles/{batch.pk}/download/")
    assert download.status_code == 200
    # 户档案-<site>-<day>.zip, its Chinese name kept by RFC 5987's filename*.
    assert download["Content-Disposition"].startswith(
        "attachment; filename*=utf-8''%E6%88%B7%E6%A1%A3%E6%A1%88-"
    )
    archive_path = tmp_path / "batch.zip"
    archive_path.write_bytes(b"".join(download.streaming_content))
    with zipfile.ZipFile(archive_path) as archive:
        names = archive.namelist()
        assert sorted(names) == sorted(casefile_name(h.number) for h in site_households)
        for name in names:
            content = archive.read(name)
            assert content.startswith(b"%PDF") and content.rstrip().endswith(b"%%EOF"), name
        sample = tmp_path / "sample.pdf"
        sample.write_bytes(archive.read(names[-1]))
    info = subprocess.run(["pdfinfo", str(sample)], capture_output=True, text=True, check=True)
    assert "Pages:" in info.stdout

    generated = AuditEvent.objects.filter(action="casefile.generate", actor=world.manager)
    assert generated.count() == 100
    assert {e.changes["batch"][1] for e in generated} == {batch.pk}
    # Only the ZIP is left in the private storage: the single case files were packed.
    assert private_storage().listdir("casefiles")[1] == [batch.file_name.split("/")[-1]]
    assert private_storage().listdir(f"casefiles/{batch.pk}") == ([], [])

    # Someone else's export is not theirs to see or download.
    other = _client(world.caseworker1)
    assert other.get(status_url).status_code == 404
    assert other.get(f"/registry/household/casefiles/{batch.pk}/download/").status_code == 404


@pytest.mark.django_db
def test_a_failed_batch_leaves_no_file_and_says_why(world, settings, tmp_path, monkeypatch):
    manager = _client(world.manager)
    manager.post("/registry/household/casefiles/", {"site": world.site_a.pk})
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("磁盘已满")
        return b"%PDF-1.7 stub\n%%EOF"

    monkeypatch.setattr("casework.reports.casefile.parts.casefile_generate", flaky)
    assert casefile_batches_run() == 1
    batch = CaseFileBatch.objects.get()
    assert batch.status == "failed" and "磁盘已满" in batch.error
    assert private_storage().listdir(f"casefiles/{batch.pk}") == ([], [])
    assert private_storage().listdir("casefiles")[1] == []
    page = manager.get(f"/registry/household/casefiles/{batch.pk}/").content.decode()
    assert "磁盘已满" in page


@pytest.mark.django_db
def test_only_households_the_user_works_go_into_a_batch(world, settings, tmp_path):
    caseworker = _client(world.caseworker1)
    response = caseworker.post("/registry/household/casefiles/", {"site": world.site_a.pk})
    assert response.status_code == 302
    assert CaseFileBatch.objects.get().household_ids == [world.h_a1.pk]
    # A site they do not work is not offered, and the helper may not export at all.
    response = caseworker.post("/registry/household/casefiles/", {"site": world.site_b.pk})
    assert response.status_code == 200 and CaseFileBatch.objects.count() == 1
    assert _client(world.helper).get("/registry/household/casefiles/").status_code == 403


def _stub_pdfs(monkeypatch):
    monkeypatch.setattr(
        "casework.reports.casefile.parts.casefile_generate",
        lambda **kwargs: b"%PDF-1.7 stub\n%%EOF",
    )


@pytest.mark.django_db
def test_a_part_whose_worker_died_is_queued_again_then_the_batch_fails_with_a_reason(
    world, settings, monkeypatch
):
    _stub_pdfs(monkeypatch)
    settings.JOB_STALE_SECONDS = 60
    _client(world.manager).post("/registry/household/casefiles/", {"site": world.site_a.pk})
    batch = CaseFileBatch.objects.get()
    part = CaseFilePart.objects.get(batch=batch)
    just_now = timezone.now() - timedelta(seconds=30)
    long_ago = timezone.now() - timedelta(minutes=5)

    # A worker took the part and went silent, but not for long enough: it is left alone.
    CaseFilePart.objects.filter(pk=part.pk).update(
        status="running", attempts=1, heartbeat_at=just_now
    )
    assert casefile_batches_reap() == (0, 0)

    # Silent past the bound: queued again (one retry), and a worker then finishes it.
    CaseFilePart.objects.filter(pk=part.pk).update(heartbeat_at=long_ago)
    assert casefile_batches_reap() == (1, 0)
    part.refresh_from_db()
    assert part.status == "queued"
    assert AuditEvent.objects.filter(action="casefile.batch_retry").count() == 1

    # The retry's worker died too: the batch fails with the reason, and no file is left.
    CaseFilePart.objects.filter(pk=part.pk).update(
        status="running", attempts=2, heartbeat_at=long_ago
    )
    assert casefile_batches_reap() == (0, 1)
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.error
    assert AuditEvent.objects.filter(action="casefile.batch_abandoned").count() == 1
    assert batch.file_name == ""
    page = _client(world.manager).get(f"/registry/household/casefiles/{batch.pk}/").content.decode()
    assert batch.error in page


@pytest.mark.django_db
def test_a_zip_is_deleted_after_the_retention_period_and_the_page_says_so(
    world, settings, monkeypatch
):
    _stub_pdfs(monkeypatch)
    settings.CASEFILE_ZIP_RETENTION_DAYS = 7
    manager = _client(world.manager)
    manager.post("/registry/household/casefiles/", {"site": world.site_a.pk})
    assert casefile_batches_run() == 1
    batch = CaseFileBatch.objects.get()
    assert batch.status == "done" and private_storage().exists(batch.file_name)
    zip_name = batch.file_name

    CaseFileBatch.objects.filter(pk=batch.pk).update(
        finished_at=batch.finished_at - timedelta(days=6)
    )
    assert casefile_exports_expire() == 0  # six days old: kept
    CaseFileBatch.objects.filter(pk=batch.pk).update(
        finished_at=batch.finished_at - timedelta(days=8)
    )
    assert casefile_exports_expire() == 1
    assert casefile_exports_expire() == 0  # once
    assert not private_storage().exists(zip_name)
    assert AuditEvent.objects.filter(action="casefile.batch_expired").count() == 1
    download = manager.get(f"/registry/household/casefiles/{batch.pk}/download/")
    assert download.status_code == 404
    page = manager.get(f"/registry/household/casefiles/{batch.pk}/").content.decode()
    assert "7" in page and "天" in page


@pytest.mark.django_db
def test_a_pdf_cut_short_by_a_dead_worker_is_made_again_and_a_slash_leaves_no_file(
    world, monkeypatch
):
    from django.core.files.base import ContentFile

    from casework.reports.casefile.parts import batch_folder

    _stub_pdfs(monkeypatch)
    Household.objects.filter(pk=world.h_a1.pk).update(number="A1/0001")
    _client(world.manager).post("/registry/household/casefiles/", {"site": world.site_a.pk})
    batch = CaseFileBatch.objects.get()
    cut = f"{batch_folder(batch.pk)}/{world.h_a1.pk}.pdf"
    private_storage().save(cut, ContentFile(b"%PDF-1.7 cut off mid-wri"))  # an earlier attempt

    assert casefile_batches_run() == 1
    batch.refresh_from_db()
    assert batch.status == "done"
    with private_storage().open(batch.file_name, "rb") as handle:
        with zipfile.ZipFile(handle) as archive:
            assert archive.read(casefile_name("A1_0001")).endswith(b"%%EOF")
    assert private_storage().listdir(batch_folder(batch.pk)) == ([], [])
    private_storage().delete(batch.file_name)  # the storage is in memory, shared by the tests
