"""``workflows.subjects`` is the one place that knows what each kind of process is about."""

import ast
import inspect
from pathlib import Path

from viewflow.workflow.flow import Flow

from workflows import flows, subjects

ROOT = Path(__file__).resolve().parents[2]
PROCESS_CLASSES = {
    "HouseholdProcess",
    "EmploymentProcess",
    "PostVacancyProcess",
    "ServiceRequestProcess",
}


def _flow_classes() -> list[type[Flow]]:
    return [
        value
        for value in vars(flows).values()
        if inspect.isclass(value) and issubclass(value, Flow) and value is not Flow
    ]


def test_every_flow_has_exactly_one_subject_entry():
    found = _flow_classes()
    assert len(found) == 6
    assert set(flows.FLOWS) == set(found)  # the workflow app lists every flow
    for flow_class in found:
        entries = [s for s in subjects.SUBJECTS if s.process_class is flow_class.process_class]
        assert len(entries) == 1, flow_class
    assert len(subjects.SUBJECTS) == len({s.process_class for s in subjects.SUBJECTS})


def _branches_on_process_classes(tree: ast.AST) -> list[int]:
    """Lines that test a value against a process class (isinstance, ``is``, ``==``)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "isinstance":
            names = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
            if names & PROCESS_CLASSES or any(n.endswith("Flow") for n in names):
                lines.append(node.lineno)
        if isinstance(node, ast.Compare) and any(
            isinstance(op, ast.Is | ast.Eq) for op in node.ops
        ):
            names = {
                n.id if isinstance(n, ast.Name) else n.attr
                for n in ast.walk(node)
                if isinstance(n, ast.Name | ast.Attribute)
            }
            if names & PROCESS_CLASSES or {"HouseholdFlow", "EmploymentFlow"} & names:
                lines.append(node.lineno)
    return lines


def test_no_module_but_subjects_branches_on_process_classes():
    offenders = []
    for folder in ("casework", "workflows"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts or path.name == "subjects.py":
                continue
            lines = _branches_on_process_classes(ast.parse(path.read_text(encoding="utf-8")))
            offenders += [f"{path.relative_to(ROOT)}:{line}" for line in lines]
    assert offenders == []


def test_no_module_but_subjects_spells_a_path_from_a_process_to_its_household():
    """Lookups from viewflow's base process into one kind of process (``employmentprocess__…``)
    live in subjects; code about one flow filters that flow's own process class instead."""
    markers = (
        "householdprocess__",
        "employmentprocess__",
        "postvacancyprocess__",
        "servicerequestprocess__",
    )
    offenders = []
    for folder in ("casework", "workflows"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts or path.name == "subjects.py":
                continue
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.relative_to(ROOT)}: {m}" for m in markers if m in text]
    assert offenders == []
