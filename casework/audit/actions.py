"""What each audit action means, in words for the history page and the case file.

Actions are recorded as stable codes (``household.register``); this table gives each a label.
A test runs the demo data and fails when a recorded action has no label here.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # registry
    "household.register": _("Household registered"),
    "household.update": _("Household details changed"),
    "household.colour": _("Three-colour label set"),
    "household.tasks_move": _("Open tasks follow the household to its new grid"),
    "process_scopes.rebuild": _("Scope keys of cases rebuilt"),
    "member.add": _("Member added"),
    "member.update": _("Member details changed"),
    "personal_data.view": _("Full personal data shown"),
    "personal_data.call": _("Household phoned"),
    "region.create": _("Region created"),
    "site.create": _("Site created"),
    "grid.create": _("Grid created"),
    "jurisdiction.grant_grid": _("Grid assigned to a caseworker"),
    "jurisdiction.grant_site": _("Site assigned to a manager"),
    "jurisdiction.grant_county": _("County's figures given to a bureau"),
    "jurisdiction.revoke_county": _("County's figures taken from a bureau"),
    # cases
    "household_case.open": _("Assistance case opened"),
    "household_case.close": _("Assistance case closed"),
    "assessment.create": _("Member assessed"),
    "assessment.approve": _("Assessment approved"),
    "assessment.return": _("Assessment sent back"),
    "assessment.withdraw": _("Assessment withdrawn (step undone)"),
    "employment_case.open": _("Employment case opened"),
    "employment_case.refusal": _("Offer refused"),
    "employment_case.reassess": _("Reassessed"),
    "employment_case.trained": _("Training completed"),
    "employment_case.placed": _("Placed in work"),
    "employment_case.enrolled": _("Enrolled in a course"),
    "employment_case.post_applied": _("Applied for a public-welfare post"),
    "employment_case.post_approved": _("Public-welfare post approved"),
    "employment_case.on_post": _("Took up a public-welfare post"),
    "employment_case.left": _("Case closed: left the household"),
    "member.leave": _("Member left the household"),
    "consistency.run": _("Consistency checked"),
    "household.head_change": _("Head of household changed"),
    "household.split": _("Members split off into a new household"),
    "household.split_from": _("Household split off from another"),
    "employment_case.post_refused": _("Public-welfare post refused"),
    "employment_case.post_term_ended": _("Public-welfare post term ended"),
    "employment_case.lost_work": _("Work ended"),
    "employment_case.stable": _("Work confirmed stable"),
    "retention_followup.create": _("Retention follow-up recorded"),
    # training
    "course.create": _("Course created"),
    "course.trainer_grant": _("Trainer assigned to course"),
    "course.trainer_revoke": _("Trainer removed from course"),
    "course.export": _("Course roster exported"),
    "session.attendance": _("Attendance recorded"),
    "session.attendance_again": _("Attendance corrected"),
    "enrolment.create": _("Enrolled in a course"),
    "enrolment.result": _("Course result recorded"),
    # placement and posts
    "employer.create": _("Employer registered"),
    "vacancy.create": _("Vacancy published"),
    "placement.create": _("Placement recorded"),
    "placement.end": _("Placement ended"),
    "welfare_post.create": _("Public-welfare post created"),
    "post.apply": _("Applied for a public-welfare post"),
    "post.approve": _("Post application approved"),
    "post.refuse": _("Post application refused"),
    "post.attendance": _("Post attendance recorded"),
    "post.end": _("Public-welfare post ended"),
    "post.take_up": _("Public-welfare post taken up after the public notice"),
    "post.withdraw": _("Post application withdrawn after the public notice"),
    "post.renew": _("Post term renewed"),
    "employment_case.post_exit": _("Left the public-welfare post"),
    "subsidy_roll.approve": _("Monthly subsidy roll of a post approved"),
    "subsidy_roll.export": _("Monthly subsidy roll of a post exported"),
    "subsidy_roll.export_unmasked": _(
        "Monthly subsidy roll of a post exported with full personal data"
    ),
    "api_client.create": _("API client or token made"),
    "api_client.revoke": _("API client or token revoked"),
    "notice.post": _("Public notice posted"),
    "notice.objection": _("Objection to a public notice recorded"),
    "notice.resolve": _("Objection to a public notice resolved"),
    "notice.conclude": _("Public notice concluded"),
    "notice.print": _("Public notice printed"),
    "postassignment.end": _("Public-welfare post ended"),
    "post_vacancy.report": _("Vacated post reported"),
    # pairing
    "pairing.create": _("Helper paired"),
    "pairing.end": _("Pairing ended"),
    "visit.create": _("Visit recorded"),
    "service_request.create": _("Service request raised"),
    "service_request.resolve": _("Service request resolved"),
    # monitoring
    "work_month.create": _("Monthly work record entered"),
    "work_month.change": _("Monthly work record corrected"),
    "work_month.close": _("Month of work records closed"),
    "monitoring.identify": _("Identified as a monitored household"),
    "monitoring.measure": _("Assistance measure recorded"),
    "monitoring.change": _("Monitoring corrected"),
    "monitoring.income": _("Monitored household's income recorded"),
    "monitoring.propose": _("Risk elimination proposed"),
    "monitoring.review": _("Risk elimination reviewed"),
    "monitoring.conclude": _("Risk elimination concluded"),
    "quality.run": _("Data-quality rules run"),
    "quality.request": _("Data-quality run asked for"),
    "quality.export": _("Data-quality findings exported"),
    # logins
    "login.success": _("Logged in"),
    "login.failure": _("Failed login"),
    "login.refused": _("Login refused: locked out"),
    "login.lockout": _("Locked out after failed logins"),
    "login.logout": _("Logged out"),
    "login.unlock": _("Lockout released"),
    "password.set": _("Password set by an administrator"),
    "otp.enrol": _("Two-step login set up"),
    "otp.verify": _("Verification code accepted"),
    "otp.failure": _("Wrong verification code"),
    # workflow
    "process.start": _("Process started"),
    "process.finish": _("Process finished"),
    "task.assign": _("Task taken"),
    "task.unassign": _("Task released"),
    "task.reassign": _("Task reassigned"),
    "task.execute": _("Task completed"),
    "task.cancel": _("Task cancelled"),
    "task.undo": _("Task undone"),
    "task.revive": _("Task revived"),
    "step.undo": _("Step undone by whoever completed it"),
    "task.timer_fired": _("Timer fired"),
    "task.escalate": _("Overdue task escalated"),
    "task.return": _("Sent-back step returned to its assessor"),
    "notification.read": _("Notification read"),
    # reports
    "ledger.export": _("Ledger exported"),
    "ledger.export_unmasked": _("Ledger exported with full personal data"),
    "casefile.generate": _("Case file generated"),
    "casefile.generate_unmasked": _("Case file generated with full personal data"),
    "casefile.batch": _("Case files exported in a batch"),
    "casefile.batch_retry": _("Case-file batch part run again after its worker stopped"),
    "casefile.batch_abandoned": _("Case-file batch failed after its worker stopped"),
    "casefile.batch_expired": _("Case-file ZIP deleted after its retention period"),
    "ledger.import_request": _("Household ledger uploaded for import"),
    "ledger.import": _("Household ledger imported"),
    "household.import": _("Household registered by a ledger import"),
    "ledger.national_import": _("National monitoring table imported"),
    "ledger.national_apply": _("Differences of a national table applied"),
    "ledger.national_cell": _("National table cell changed"),
    "ledger.national_link": _("Member linked to the national system's person number"),
    "ledger.national_place": _("Household of a national table placed in a grid"),
    "ledger.national_export": _("National monitoring table exported"),
    "ledger.national_export_unmasked": _(
        "National monitoring table exported with full personal data"
    ),
    "ledger.import_retry": _("Ledger import run again after its worker stopped"),
    "ledger.import_abandoned": _("Ledger import failed after its worker stopped"),
    "dashboard.pdf": _("Dashboard printed as PDF"),
    "dashboard.month_bulletin": _("Month's bulletin (通报) printed as PDF"),
    "dashboard.month_figures_build": _("Month-end figures counted"),
    "dashboard.month_list_export": _("List behind a month's figure exported"),
    "dashboard.zero_employment_export": _("Zero-employment households exported"),
    # --- dashboard snapshots ---
    "dashboard.figures_build": _("Dashboard figures counted for the day"),
    "dashboard.figures_refresh": _("Dashboard figures asked to be counted again"),
    # --- constants ---
    "code.add": _("Code added to a code list"),
    "calendar.year_set": _("Holidays of a year entered in the working-day calendar"),
    "code.change": _("Code of a code list changed"),
    "code.end": _("Code of a code list ended"),
    # --- staff ---
    "pairing.handover": _("Household handed over to another helper"),
    "pairing.handover_all": _("All of a helper's households handed over"),
    "staff.tasks_reassign": _("A departing user's open tasks handed on"),
    "staff.courses_reassign": _("A departing trainer's courses handed on"),
    "substitution.create": _("Substitute arranged"),
    "substitution.end": _("Substitution ended"),
    # --- policy ---
    "policy.parameter_set": _("Policy parameter set"),
    # --- admin ---
    "region.update": _("Region changed"),
    "site.update": _("Site details changed"),
    "grid.update": _("Grid details changed"),
    "jurisdiction.revoke_grid": _("Grid taken from a caseworker"),
    "jurisdiction.revoke_site": _("Site taken from a manager"),
    "account.user_create": _("User account created"),
    "account.user_update": _("User account changed"),
    "account.user_roles": _("Roles of a user changed"),
    "account.user_deactivate": _("User account deactivated"),
    "account.user_reactivate": _("User account reactivated"),
    "grid.building_leader_set": _("Building leader named"),
    "grid.building_leader_remove": _("Building leader removed"),
    # --- fix1 ---
    "staff.substitutions_end": _("A departing user's substitutions ended"),
}


def action_label(action: str) -> str:
    """The label of an action code, or the code itself when it has none."""
    return str(ACTION_LABELS.get(action, action))


def object_type_label(object_type: str) -> str:
    """What kind of thing an event is about (``registry.region``: 区域), by its model's verbose
    name; the code itself only for a model that no longer exists."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
