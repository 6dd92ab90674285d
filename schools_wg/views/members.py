"""The group's page and its members: list, membership form, anonymising
(tests/schools_wg/test_members.py, test_member_list.py, test_anonymise.py)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from core.editing import EditConflict
from core.htmx import render_conflict, render_htmx, render_invalid
from core.listing import filtered_page

from .. import services, summary
from ..filters import MemberFilter, in_motion_order
from ..forms import MemberForm
from ..models import Member, School, Session
from .common import MANAGE, VIEW, current_member


@permission_required(VIEW, raise_exception=True)
@require_safe
def index(request):
    """Template: schools_wg/index.html; context: member_filter and member_page (active members,
    searched, sorted within their category, 50 a page), missing_categories, factions
    (represented/missing), upcoming, past sessions, schools, member (the viewer's)."""
    members = in_motion_order(Member.objects.active().for_list())
    member_filter, member_page = filtered_page(request, MemberFilter, members)
    context = {
        "member_filter": member_filter,
        "member_page": member_page,
        "missing_categories": summary.missing_categories(),
        "factions": summary.faction_representation(),
        "upcoming": Session.objects.upcoming().with_counts(),
        "past": Session.objects.past().with_counts()[:10],
        "schools": School.objects.all(),
        "member": current_member(request.user),
    }
    return render_htmx(request, "schools_wg/index.html", context)


MEMBER_FORM = "schools_wg/member_form.html"
NEW_PERSON = ("first_name", "last_name", "email", "phone")


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def member_form(request, pk=None):
    """Template: schools_wg/member_form.html; context: form, member (None when new)."""
    member = get_object_or_404(Member.objects.select_related("user"), pk=pk) if pk else None
    if request.method != "POST":
        context = {"form": MemberForm(instance=member), "member": member}
        return render_htmx(request, MEMBER_FORM, context)
    form = MemberForm(request.POST, instance=member)
    context = {"form": form, "member": member}
    if not form.is_valid():
        return render_invalid(request, MEMBER_FORM, context)
    try:
        saved = services.member_save(
            member=form.instance,
            data=form.changes(),
            expected_version=form.expected_version(),
            new_person=None if member else {name: form.cleaned_data[name] for name in NEW_PERSON},
        )
    except EditConflict as conflict:
        return render_conflict(request, MEMBER_FORM, context, form, conflict)
    messages.success(request, _("The membership of %(name)s was saved.") % {"name": saved})
    return redirect(reverse("schools_wg:index") + "#members")


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def member_anonymise(request, pk):
    """GET: template schools_wg/member_anonymise.html (context: member, keeps_account) asks for
    confirmation; POST anonymises the member (services.member_anonymise) and returns to the
    list."""
    member = get_object_or_404(Member.objects.select_related("user", "school", "faction"), pk=pk)
    if request.method != "POST":
        context = {"member": member, "keeps_account": services.holds_other_roles(member.user)}
        return render_htmx(request, "schools_wg/member_anonymise.html", context)
    services.member_anonymise(member=member, actor=request.user)
    messages.success(request, _("The member's personal data has been anonymised."))
    return redirect(reverse("schools_wg:index") + "#members")
