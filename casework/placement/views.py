"""The job menu (employers and their vacancies) and the sites' public-welfare posts."""

from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import AppMenuMixin, Viewset
from viewflow.utils import Icon, viewprop
from viewflow.views import Action, ListModelView

from casework import permissions
from casework.common.requests import AuthenticatedRequest
from casework.policy.models import Code
from casework.policy.selectors import with_code_label
from casework.posts import services as post_services
from casework.posts.holder_views import PostExitView, PostRenewView
from casework.posts.models import PostAssignment, WelfarePost
from casework.posts.views import PostDetailView, PostMonthView
from casework.registry.models import Site

from . import services
from .forms import EmployerForm, VacancyForm, WelfarePostForm
from .models import Employer


class OpenPlaces(TypedDict):
    """The places left on an employer's open vacancies (the job-menu list)."""

    places: int | None


class OnPost(TypedDict):
    """How many people are on a post now (the post list)."""

    on_post: int


if TYPE_CHECKING:
    # django-stubs' helper (a development dependency) for a model with extra attributes.
    from django_stubs_ext import WithAnnotations


class _FormPage(generic.FormView):
    """A form in the viewflow frame that hands its data to one service."""

    request: AuthenticatedRequest
    template_name = "registry/form.html"
    viewset: Any = None
    title: Any = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=self.title, viewset=self.viewset, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            target = self.perform(form)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, gettext("Saved."))
        return HttpResponseRedirect(self.success_url_for(target))

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def success_url_for(self, target: Any) -> str:
        return self.viewset.reverse("index")


class EmployerListView(ListModelView):
    columns = ("name", "kind", "site", "location_class", "open_places")
    object_link_columns = ("name",)
    paginate_by = 25

    @viewprop
    def queryset(self) -> Any:
        today = timezone.localdate()
        open_places = Sum(
            F("vacancies__headcount") - F("vacancies__filled"),
            filter=Q(vacancies__valid_from__lte=today, vacancies__valid_to__gte=today),
        )
        return (
            permissions.employers_visible_to(self.request.user)
            .select_related("site")
            .annotate(places=open_places)
            .order_by("name")
        )

    @admin.display(description=_("places left"))
    def open_places(self, employer: "WithAnnotations[Employer, OpenPlaces]") -> int:
        return employer.places or 0


class EmployerCreateView(_FormPage):
    form_class = EmployerForm
    title = _("Add an employer")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            not request.user.has_perm("placement.add_employer")
            or not permissions.sites_worked_by(request.user).exists()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "sites": permissions.sites_worked_by(self.request.user),
        }

    def perform(self, form: EmployerForm) -> Employer:
        return services.employer_create(actor=self.request.user, **form.cleaned_data)

    def success_url_for(self, target: Employer) -> str:
        return self.viewset.reverse("detail", args=[target.pk])


class EmployerMixin(generic.View):
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        employer = permissions.employers_visible_to(request.user).filter(pk=kwargs["pk"]).first()
        if employer is None:
            raise Http404(gettext("No such employer on your sites' job menus."))
        self.employer = employer
        return super().dispatch(request, *args, **kwargs)


class EmployerDetailView(EmployerMixin, generic.TemplateView):
    template_name = "placement/employer_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            employer=self.employer,
            vacancies=with_code_label(
                self.employer.vacancies.order_by("-valid_to", "title"), "trade", Code.List.TRADE
            ),
            today=timezone.localdate(),
            viewset=self.viewset,
            **kwargs,
        )


class VacancyCreateView(EmployerMixin, _FormPage):
    form_class = VacancyForm
    title = _("Add a vacancy")

    def get_initial(self) -> dict[str, Any]:
        return {"location_class": self.employer.location_class}

    def perform(self, form: VacancyForm) -> Any:
        return services.vacancy_create(
            actor=self.request.user, employer=self.employer, **form.cleaned_data
        )

    def success_url_for(self, target: Any) -> str:
        return self.viewset.reverse("detail", args=[self.employer.pk])


class EmployerViewset(AppMenuMixin, Viewset):
    title = _("Job menu")
    icon = "storefront"
    app_name = "employer"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and user.has_perm("placement.view_employer")

    def get_object_url(self, request: HttpRequest, obj: Employer) -> str:
        return self.reverse("detail", args=[obj.pk])

    def get_list_page_actions(self, request: HttpRequest) -> tuple:
        if (
            not request.user.has_perm("placement.add_employer")
            or not permissions.sites_worked_by(request.user).exists()
        ):
            return ()
        icon = Icon("add", class_="material-icons mdc-list-item__graphic")
        return (Action(name=_("Add an employer"), url=self.reverse("add"), icon=icon),)

    @property
    def index_path(self) -> Any:
        view = EmployerListView.as_view(viewset=self, model=Employer)
        return path("", view, name="index")

    @property
    def create_path(self) -> Any:
        return path("add/", EmployerCreateView.as_view(viewset=self), name="add")

    @property
    def detail_path(self) -> Any:
        return path("<int:pk>/", EmployerDetailView.as_view(viewset=self), name="detail")

    @property
    def vacancy_add_path(self) -> Any:
        view = VacancyCreateView.as_view(viewset=self)
        return path("<int:pk>/vacancies/add/", view, name="vacancy_add")


class WelfarePostListView(ListModelView):
    columns = ("name", "kind", "site", "holders", "monthly_subsidy", "term_months")
    paginate_by = 25

    @viewprop
    def queryset(self) -> Any:
        on_post = Count("assignments", filter=Q(assignments__status=PostAssignment.Status.ON_POST))
        return (
            permissions.welfare_posts_visible_to(self.request.user)
            .select_related("site")
            .annotate(on_post=on_post)
            .order_by("name")
        )

    @admin.display(description=_("on post / quota"))
    def holders(self, post: "WithAnnotations[WelfarePost, OnPost]") -> str:
        return f"{post.on_post} / {post.quota}"


class WelfarePostCreateView(_FormPage):
    form_class = WelfarePostForm
    title = _("Set up a public-welfare post")

    def sites(self) -> Any:
        return Site.objects.filter(
            pk__in=permissions.jurisdiction_of(self.request.user).managed_site_ids
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm("posts.add_welfarepost") or not self.sites().exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "sites": self.sites()}

    def perform(self, form: WelfarePostForm) -> WelfarePost:
        return post_services.post_create(actor=self.request.user, **form.cleaned_data)


class WelfarePostViewset(AppMenuMixin, Viewset):
    title = _("Public-welfare posts")
    icon = "volunteer_activism"
    app_name = "post"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and user.has_perm("posts.view_welfarepost")

    def get_object_url(self, request: HttpRequest, obj: WelfarePost) -> str:
        return self.reverse("detail", args=[obj.pk])

    def get_list_page_actions(self, request: HttpRequest) -> tuple:
        if not request.user.has_perm("posts.add_welfarepost"):
            return ()
        icon = Icon("add", class_="material-icons mdc-list-item__graphic")
        return (Action(name=_("Set up a public-welfare post"), url=self.reverse("add"), icon=icon),)

    @property
    def index_path(self) -> Any:
        view = WelfarePostListView.as_view(viewset=self, model=WelfarePost)
        return path("", view, name="index")

    @property
    def create_path(self) -> Any:
        return path("add/", WelfarePostCreateView.as_view(viewset=self), name="add")

    @property
    def detail_path(self) -> Any:
        return path("<int:pk>/", PostDetailView.as_view(viewset=self), name="detail")

    @property
    def exit_path(self) -> Any:
        view = PostExitView.as_view(viewset=self)
        return path("<int:pk>/holders/<int:assignment_pk>/exit/", view, name="exit")

    @property
    def renew_path(self) -> Any:
        view = PostRenewView.as_view(viewset=self)
        return path("<int:pk>/holders/<int:assignment_pk>/renew/", view, name="renew")

    @property
    def month_path(self) -> Any:
        view = PostMonthView.as_view(viewset=self)
        return path("<int:pk>/<int:year>/<int:month>/", view, name="month")
