"""Acceptance 2 of issue 16: background work survives a killed worker and spreads over workers.

(a) A `db_worker` killed with SIGKILL in the middle of a ledger import: after the reaper's
bound the job runs again to completion; no upload is left; nothing partial was written.
(b) 200 case files as one batch, made by two RQ workers against a real Redis server: 200 PDFs,
each made exactly once.
"""

import signal
import time
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.storage import FileSystemStorage

from casework.audit.models import AuditEvent
from casework.common.jobs import private_storage
from casework.ledgers.models import LedgerImport
from casework.ledgers.services import ledger_import_request, ledger_imports_reap
from casework.registry.models import Household
from casework.reports.casefile.batch import casefile_batch_request
from casework.reports.casefile.names import casefile_name
from casework.reports.models import CaseFileBatch, CaseFilePart
from tests import factories
from tests.ledgers.household.books import book, id_number, row
from tests.ops.workers import redis_url, start, stop, wait_for, worker_env  # noqa: F401

# No autoreloader: it would run the worker in a child that outlives the SIGKILL.
WORKER = ["--no-startup-delay", "--no-reload"]
STALE_SECONDS = 3  # the reaper's bound, shortened for the test (JOB_STALE_SECONDS)


@pytest.fixture
def files(settings, tmp_path):
    """Private files on disk, shared with the worker processes."""
    folder = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    assert isinstance(private_storage(), FileSystemStorage)
    return folder


def _big_ledger(households: int):
    rows = []
    for index in range(households):
        born = date(1960, 1, 1) + timedelta(days=index)
        number = f"K-{index:05d}"
        rows.append(row(number, "张大山", id_number(born.strftime("%Y%m%d"), "011"), "户主"))
        rows.append(row(number, "李小梅", id_number(born.strftime("%Y%m%d"), "022"), "配偶"))
    content = book(rows)
    content.name = "台账.xlsx"
    return content


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_mid_import_is_retried_within_the_bound(world, files, settings, tmp_path):
    settings.JOB_STALE_SECONDS = STALE_SECONDS
    upload = _big_ledger(2000)  # 4,000 rows
    size = upload.getbuffer().nbytes
    job = ledger_import_request(
        actor=world.manager, upload=upload, name="台账.xlsx", size=size, dry_run=False
    )  # enqueued on commit: a task row the database worker picks up
    stored = job.upload_name
    assert (files / stored).exists()
    before = Household.objects.count()
    log = tmp_path / "worker.log"
    env = worker_env(files, JOB_STALE_SECONDS=str(STALE_SECONDS))

    worker = start(["db_worker", *WORKER, "--interval", "0.2"], env, log)
    try:
        wait_for(
            lambda: LedgerImport.objects.filter(pk=job.pk, processed_rows__gt=0).exists(),
            120,
            "the import to be mid-way",
            step=0.05,
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        stop(worker)
    job.refresh_from_db()
    assert job.status in LedgerImport.WORKING and job.processed_rows < 4000, job.status
    assert Household.objects.count() == before  # nothing of the file is in yet
    assert (files / stored).exists()  # the next attempt needs it

    killed_at = time.monotonic()
    assert ledger_imports_reap() == (0, 0)  # not yet stale: a live worker could be slow
    wait_for(lambda: ledger_imports_reap() == (1, 0), STALE_SECONDS + 5, "the reaper")
    assert time.monotonic() - killed_at < STALE_SECONDS + 5
    worker = start(["db_worker", *WORKER, "--batch"], env, log)
    try:
        worker.wait(240)
    finally:
        stop(worker)

    job.refresh_from_db()
    assert job.status == LedgerImport.Status.DONE, (job.status, job.error, log.read_text())
    assert (job.attempts, job.households_created, job.members_created) == (2, 2000, 4000)
    assert Household.objects.count() == before + 2000
    assert AuditEvent.objects.filter(action="ledger.import").count() == 1
    assert AuditEvent.objects.filter(action="ledger.import_retry").count() == 1
    assert job.upload_name == "" and not (files / stored).exists()
    assert not list((files / "imports").iterdir())


@pytest.mark.django_db
def test_an_import_whose_worker_died_again_fails_with_a_reason_and_loses_its_upload(
    world, settings
):
    settings.JOB_STALE_SECONDS = STALE_SECONDS
    upload = _big_ledger(1)
    job = ledger_import_request(
        actor=world.manager, upload=upload, name="台账.xlsx", size=1, dry_run=False
    )
    stored = job.upload_name
    long_ago = job.created_at - timedelta(minutes=10)
    # A second attempt (the retry) whose worker died too.
    LedgerImport.objects.filter(pk=job.pk).update(
        status=LedgerImport.Status.IMPORTING, attempts=2, heartbeat_at=long_ago
    )
    assert ledger_imports_reap() == (0, 1)
    job.refresh_from_db()
    assert job.status == LedgerImport.Status.FAILED
    assert "后台进程在导入过程中中断" in job.error
    assert not private_storage().exists(stored) and job.upload_name == ""
    assert AuditEvent.objects.filter(action="ledger.import_abandoned").count() == 1


@pytest.mark.django_db(transaction=True)
def test_200_case_files_by_two_rq_workers_each_made_once(
    world,
    files,
    settings,
    tmp_path,
    redis_url,  # noqa: F811
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 600}}
    for _index in range(198):
        factories.household(world.admin, world.grid_a1)
    households = Household.objects.filter(grid__site=world.site_a)
    assert households.count() == 200
    started = time.monotonic()
    batch = casefile_batch_request(actor=world.manager, site=world.site_a)
    assert CaseFilePart.objects.filter(batch=batch).count() == 200 // settings.CASEFILE_PART_SIZE

    env = worker_env(files, TASKS_BACKEND="rq", REDIS_URL=redis_url)
    log = tmp_path / "rq.log"
    workers = [
        start(["rqworker", "--job-class", "django_tasks_rq.Job", "--burst", "default"], env, log)
        for _ in range(2)
    ]
    try:
        for worker in workers:
            worker.wait(600)
    finally:
        for worker in workers:
            stop(worker)
    elapsed = time.monotonic() - started

    batch.refresh_from_db()
    assert batch.status == CaseFileBatch.Status.DONE, (batch.error, log.read_text()[-3000:])
    made = AuditEvent.objects.filter(action="casefile.generate", actor=world.manager)
    assert made.count() == 200
    assert sorted(e.household_id for e in made) == sorted(h.pk for h in households)
    with zipfile.ZipFile(files / batch.file_name) as archive:
        names = archive.namelist()
    assert sorted(names) == sorted(casefile_name(h.number) for h in households)
    # Every part ran exactly once over the two workers (their shared log).
    assert log.read_text().count("Job OK") == 200 // settings.CASEFILE_PART_SIZE
    print(f"200 case files by two RQ workers: {elapsed:.1f}s")  # noqa: T201
