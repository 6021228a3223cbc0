"""The one place that decides what a user may see and do.

Each module answers, for one kind of object, the three questions of a permission policy: may
this user act on this object; which objects may they act on (a queryset); which users may act on
this object.

- ``grants``: the object permissions that carry jurisdiction (guardian) and how they are read;
- ``sites``: the grids and sites a user works or manages, site-scoped objects, a site's managers;
- ``households``: the households a user sees and the actions they may take on each;
- ``courses``: the courses a user sees, teaches or manages, and who teaches a course;
- ``logins``: who must give a second factor, who may release lockouts and set passwords;
- ``posts``: who enters a public-welfare post's month and approves its subsidy roll;
- ``api``: who manages the API's clients and tokens;
- ``notices``: who handles a household's public notices (公示) and their objections;
- ``figures``: who reads the month-end figures of which grids, sites, townships and counties;
- ``personal_data``: who may see personal data whole, and how it is shown otherwise;
- ``administration``: who administers which sites, grids and accounts, and what they may grant.

Which workflow processes a user may see is answered in ``workflows.scoping`` from the same
jurisdiction (``jurisdiction_of``: the ids of the grids a user works and the households they
visit) and the scope keys each process carries (it needs to know what each process is about).
Callers import this package and use its names: ``permissions.households_visible_to(user)``.
"""

from .administration import (
    accounts_of_sites,
    administrators_active,
    grids_administered,
    is_administrator,
    may_administer,
    may_administer_site,
    may_create_sites,
    may_create_users,
    may_edit_user,
    may_grant_grid,
    may_grant_site,
    objects_held,
    regions_administered,
    roles_assignable,
    sites_administered,
    users_administered,
    users_holding,
    users_holding_each,
)
from .api import may_hold_api_tokens, may_manage_api_clients, system_client_scope
from .codes import may_change_codes, may_read_codes
from .courses import (
    CourseAction,
    course_rights,
    course_trainers,
    courses_visible_to,
    get_course_for_user,
)
from .figures import (
    counties_read_by,
    grids_for_figures,
    may_grant_county,
    may_read_figures,
    sites_for_figures,
    sites_overseen_by,
)
from .grants import (
    MANAGE_SITE,
    READ_COUNTY,
    TEACH_COURSE,
    VISIT_HOUSEHOLD,
    WORK_GRID,
    User,
    is_active_user,
    object_grants,
)
from .households import (
    Action,
    Jurisdiction,
    can,
    get_household_for_user,
    grids_visible_to,
    household_rights,
    households_visible_to,
    jurisdiction_forget,
    jurisdiction_of,
    jurisdiction_seen,
    may_export_national_tables,
    may_import_ledgers,
    may_register_households,
    sites_visible_to,
    works_some_grid,
)
from .logins import may_manage_logins, two_factor_required, users_whose_password_may_be_set_by
from .monitoring import (
    grids_for_work_months,
    may_close_work_month,
    may_record_work_month,
    sites_for_work_month_closing,
)
from .notices import may_handle_notice
from .personal_data import UNMASK_REFUSED, PersonalData, may_unmask, may_unmask_exports
from .policy import may_change_policy, may_read_policy
from .posts import may_approve_rolls, may_manage_post_holders, may_record_attendance
from .sites import (
    employers_visible_to,
    grids_for_registration,
    grids_worked_by,
    households_waiting_for,
    site_managers,
    sites_for_import,
    sites_managed_by,
    sites_worked_by,
    welfare_posts_visible_to,
)
from .staff import (
    courses_taught_by,
    courses_taught_only_by,
    grid_workers,
    grids_left_unworked,
    helpers_pairable,
    households_pairable_by,
    may_change_staff,
    may_pair,
    sites_left_unmanaged,
    trainers_assignable,
)
from .substitutes import (
    covers_grid,
    grids_covered_by,
    is_absent,
    substitutes_for,
    substitutions_in_force,
)
from .tasks import (
    holds_step_permission,
    may_assign_task,
    may_assign_tasks,
    may_undo_step,
    step_permission_q,
    task_assignees_for,
)

__all__ = [
    "may_hold_api_tokens",
    "may_manage_api_clients",
    "system_client_scope",
    "may_handle_notice",
    "may_approve_rolls",
    "may_record_attendance",
    "may_manage_post_holders",
    "MANAGE_SITE",
    "READ_COUNTY",
    "TEACH_COURSE",
    "UNMASK_REFUSED",
    "VISIT_HOUSEHOLD",
    "WORK_GRID",
    "Action",
    "CourseAction",
    "Jurisdiction",
    "PersonalData",
    "User",
    "accounts_of_sites",
    "administrators_active",
    "can",
    "course_rights",
    "course_trainers",
    "courses_taught_by",
    "courses_taught_only_by",
    "courses_visible_to",
    "covers_grid",
    "employers_visible_to",
    "get_course_for_user",
    "get_household_for_user",
    "grid_workers",
    "grids_administered",
    "grids_covered_by",
    "grids_for_registration",
    "grids_for_work_months",
    "grids_left_unworked",
    "grids_visible_to",
    "grids_worked_by",
    "helpers_pairable",
    "holds_step_permission",
    "household_rights",
    "households_pairable_by",
    "households_visible_to",
    "is_absent",
    "is_active_user",
    "is_administrator",
    "jurisdiction_forget",
    "jurisdiction_of",
    "jurisdiction_seen",
    "may_administer",
    "may_administer_site",
    "may_assign_task",
    "may_assign_tasks",
    "may_change_codes",
    "may_change_policy",
    "may_change_staff",
    "may_close_work_month",
    "may_create_sites",
    "may_create_users",
    "may_edit_user",
    "may_grant_grid",
    "may_grant_site",
    "may_grant_county",
    "may_read_figures",
    "counties_read_by",
    "grids_for_figures",
    "sites_for_figures",
    "sites_overseen_by",
    "may_manage_logins",
    "may_pair",
    "may_read_codes",
    "may_read_policy",
    "may_record_work_month",
    "may_import_ledgers",
    "may_register_households",
    "may_undo_step",
    "may_unmask",
    "may_unmask_exports",
    "object_grants",
    "objects_held",
    "regions_administered",
    "roles_assignable",
    "site_managers",
    "sites_administered",
    "households_waiting_for",
    "may_export_national_tables",
    "works_some_grid",
    "sites_for_import",
    "sites_for_work_month_closing",
    "sites_left_unmanaged",
    "sites_managed_by",
    "sites_visible_to",
    "sites_worked_by",
    "step_permission_q",
    "substitutes_for",
    "substitutions_in_force",
    "task_assignees_for",
    "trainers_assignable",
    "two_factor_required",
    "users_administered",
    "users_holding",
    "users_holding_each",
    "users_whose_password_may_be_set_by",
    "welfare_posts_visible_to",
]
