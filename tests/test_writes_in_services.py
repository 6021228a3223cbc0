"""Every database write outside migrations, tests and the demo seed is in a service module.

A service module is a ``services.py``, a module of a ``services/`` package, or one of the few
modules below that a service owns (each with the reason it is not called ``services``). Views,
forms, selectors, commands and templates tags call services; they never write themselves.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Modules that write although not named services, and why.
SERVICE_MODULES = {
    # Services by another name, named after what they do in the house's layout.
    "casework/ledgers/household/importer.py": "the ledger_import service (read → check → write)",
    "casework/registry/registration.py": "the bulk registration service of a ledger import",
    "casework/registry/lifecycle.py": "member_leave, head_change: the household after registration",
    "casework/reports/casefile/service.py": "the case-file service (recording each case file)",
    "casework/reports/casefile/batch.py": "the case-file batch services (request, run)",
    "casework/reports/dashboard/exports.py": "the dashboard export service (recorded exports)",
    "casework/common/jobs.py": "job_claim/job_beat, the claim steps of every background job",
    "casework/ledgers/import_job.py": "the ledger-import job as a worker runs it",
    "casework/reports/casefile/parts.py": "the case-file batch parts as the workers make them",
    "casework/common/sessions.py": "the session store: Django's session backend saves sessions",
    "casework/permissions/roles.py": "roles_sync, run after every migrate: each role's rights",
    "casework/policy/code_seed.py": "codes_seed, after a migrate or flush: an empty code table",
    "casework/policy/calendar_seed.py": "calendar_seed, after a migrate: the library's years",
    "casework/ops/db_roles.py": "db_roles_apply: the PostgreSQL application role, as the owner",
    # The flows' own machinery, below workflows.flows so that the nodes may import it.
    "workflows/records.py": "task deadlines and task-transition audit events",
    "workflows/bulk_start.py": "the bulk HouseholdFlow start, held equal to the one-by-one start",
    "workflows/notices.py": "notices sent as steps are created (a send-back), and their reading",
    "workflows/undo.py": "step_undo: viewflow's undo and revive of a step, with its audit event",
}
# The demo seed is exempt.
EXEMPT = (
    "casework/ops/demo.py",
    "casework/ops/demo_people.py",
    "casework/ops/demo_months.py",
    "casework/ops/management/commands/seed_demo.py",
)

ALWAYS_WRITES = {
    "save",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
QUERYSET_WRITES = {"create", "update"}
WRITING_FUNCTIONS = {"audit_record", "audit_record_many", "assign_perm", "remove_perm"}
NOT_DATABASE = {"book", "workbook", "buffer", "archive", "zip_file", "digest", "hasher"}


def _receiver_names(node: ast.AST) -> set[str]:
    names = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            names.add(inner.id)
        elif isinstance(inner, ast.Attribute):
            names.add(inner.attr)
    return names


def _writes(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in WRITING_FUNCTIONS:
            lines.append(node.lineno)
        elif isinstance(func, ast.Attribute):
            receiver = _receiver_names(func.value)
            if func.attr in WRITING_FUNCTIONS:
                lines.append(node.lineno)
            elif func.attr in ALWAYS_WRITES and not receiver & NOT_DATABASE:
                if not (func.attr == "delete" and "session" in receiver):
                    lines.append(node.lineno)
            elif func.attr in QUERYSET_WRITES and receiver & {"objects", "filter", "exclude"}:
                lines.append(node.lineno)
            elif func.attr in {"execute", "executemany"} and "cursor" in receiver:
                sql = node.args[0] if node.args else None
                if isinstance(sql, ast.JoinedStr) and sql.values:  # an f-string: its literal start
                    sql = sql.values[0]
                reads = isinstance(sql, ast.Constant) and str(sql.value).lstrip().startswith(
                    "SELECT"
                )
                if not reads:
                    lines.append(node.lineno)
    return lines


def _is_service_module(relative: str) -> bool:
    path = Path(relative)
    return path.name == "services.py" or "services" in path.parts[:-1]


def test_the_checker_finds_writes():
    code = (
        "Household.objects.filter(pk=1).update(x=1)\nh.save()\naudit_record(actor=a)\nbook.save(b)"
    )
    assert _writes(ast.parse(code)) == [1, 2, 3]


def test_every_database_write_is_in_a_service_module():
    offenders = []
    writing_modules = set()
    for folder in ("casework", "workflows"):
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative.startswith(EXEMPT):
                continue
            lines = _writes(ast.parse(path.read_text(encoding="utf-8")))
            if not lines:
                continue
            writing_modules.add(relative)
            if not _is_service_module(relative) and relative not in SERVICE_MODULES:
                offenders += [f"{relative}:{line}" for line in lines]
    assert offenders == []
    # The list of exceptions stays true: each still writes.
    assert set(SERVICE_MODULES) <= writing_modules
