"""The overview: fields and goals with their figures, measures per goal on demand, filtered
results paged; its cached fragments are never stale and never shared between roles."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from strategy import services
from strategy.views import overview

from . import factories as f

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
INDEX = reverse("strategy:index")


def tree(html):
    return html[html.index('<div id="tree"') : html.index("</main>")]


def goal_summary(html, goal):
    start = html.index(f'id="goal-{goal.pk}"')
    return html[start : html.index("</summary>", start)]


@pytest.fixture
def tree_data():
    today = timezone.localdate()
    unit = f.org_unit("Hauptamt")
    field = f.field(code="HF 1", title="Digitale Verwaltung", lead_unit=unit)
    goal = f.goal(field, code="Z 1.1", title="E-Akte überall")
    late = f.measure(
        goal, code="M 1.1.1", title="Rollout E-Akte", lifecycle="in_progress", progress=20,
        planned_end=today - timedelta(days=3), lead_unit=unit,
    )  # fmt: skip
    f.measure(goal, code="M 1.1.2", title="Schulung", progress=60)
    empty = f.goal(field, code="Z 1.2", title="Noch offen")
    return {"field": field, "goal": goal, "late": late, "empty": empty, "unit": unit}


def test_goals_show_figures_and_load_their_measures_on_demand(role_client, tree_data):
    client = role_client("stadtrat")
    goal, late = tree_data["goal"], tree_data["late"]
    html = client.get(INDEX).content.decode()
    summary = goal_summary(html, goal)
    assert "E-Akte überall" in summary and "40&nbsp;%" in summary
    assert "2 Maßnahmen" in summary and "1 überfällig" in summary
    partial_url = reverse("strategy:goal_measures", args=[goal.pk])
    assert f'hx-get="{partial_url}" hx-trigger="toggle once"' in html
    # Without JavaScript: the goal's page, which lists the measures.
    assert f'href="{goal.get_absolute_url()}"' in html
    assert late.get_absolute_url() not in html
    assert "Noch keine Maßnahmen." in html  # the goal without measures needs no request

    fragment = client.get(partial_url, headers=HX).content.decode()
    assert fragment.lstrip().startswith('<div class="goal-measures">')
    assert f'href="{late.get_absolute_url()}">Rollout E-Akte</a>' in fragment
    assert "überfällig" in fragment and "Ampel" not in fragment.split("</thead>")[1]
    assert "Hauptamt" in fragment and "Schulung" in fragment
    response = client.get(partial_url)
    assert response.status_code == 302 and response["Location"] == goal.get_absolute_url()


def test_overview_is_fresh_after_changes_through_the_app(role_client, make_user, tree_data):
    goal, late = tree_data["goal"], tree_data["late"]
    reader = role_client("stadtrat")
    before = reader.get(INDEX).content.decode()
    assert "40&nbsp;%" in goal_summary(before, goal)
    filtered_before = reader.get(INDEX, {"q": "Rollout"}).content.decode()
    assert "20&nbsp;%" in filtered_before

    admin = make_user("verwaltung")
    admin_client = reader.__class__()
    admin_client.force_login(admin)
    edit_url = reverse("strategy:measure_edit", args=[late.pk])
    data = {
        "code": late.code, "title": late.title, "priority": "medium", "lifecycle": "in_progress",
        "traffic_light": "red", "progress": "80", "weight": "1",
        "planned_end": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "edited_version": "1",
    }  # fmt: skip
    assert admin_client.post(edit_url, data).status_code == 302

    after = reader.get(INDEX).content.decode()
    summary = goal_summary(after, goal)
    assert "70&nbsp;%" in summary and "überfällig" not in summary
    assert "80&nbsp;%" in reader.get(INDEX, {"q": "Rollout"}).content.decode()

    # A reorder writes positions only, and still shows at once.
    second = f.field(code="HF 2", title="Digitale Schule")
    html = reader.get(INDEX).content.decode()
    assert html.index("HF 1") < html.index("HF 2")
    services.item_move(item=second, direction="up")
    html = reader.get(INDEX).content.decode()
    assert html.index("HF 2") < html.index("HF 1")

    # A renamed lead unit (an input of the tree and of the filter choices).
    unit = tree_data["unit"]
    unit.name = "Amt für Digitales"
    unit.save()
    assert reader.get(INDEX).content.decode().count("Amt für Digitales") >= 2


def test_cached_fragments_are_not_shared_between_roles(role_client, tree_data):
    field_move = reverse("strategy:field_move", args=[tree_data["field"].pk])
    f.field(code="HF 2")
    for role, manages in (("verwaltung", True), ("stadtrat", False), ("verwaltung", True)):
        html = role_client(role).get(INDEX).content.decode()
        assert ("Neues Handlungsfeld" in html) is manages
        assert (f'formaction="{field_move}"' in html) is manages


def test_move_buttons_keep_the_csrf_token_out_of_the_cached_tree(role_client, tree_data):
    f.field(code="HF 2")
    client = role_client("verwaltung")
    html = client.get(INDEX).content.decode()
    assert "csrfmiddlewaretoken" not in tree(html)
    form = re.search(r'<form id="field-move" method="post"[^>]*>(.*?)</form>', html).group(1)
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'form="field-move"' in tree(html) and 'name="direction" value="down"' in tree(html)
    # What the button submits without JavaScript: the form's token, its own name and value.
    field = tree_data["field"]
    response = client.post(reverse("strategy:field_move", args=[field.pk]), {"direction": "down"})
    assert response.status_code == 302
    html = client.get(INDEX).content.decode()
    assert html.index("HF 2") < html.index("HF 1")


def test_filtered_results_are_paged_and_keep_the_filters(role_client, tree_data, monkeypatch):
    monkeypatch.setattr(overview, "FILTERED_PAGE_SIZE", 1)
    client = role_client("stadtrat")
    html = client.get(INDEX, {"q": "M 1.1"}).content.decode()
    assert "2 von 2 Maßnahmen" in html and "Seite 1 von 2" in html
    assert "Rollout E-Akte" in html and "Schulung" not in html
    assert "1 von 2 Maßnahmen" not in html  # goal counts are over all matches, not the page
    assert 'href="/strategie/?q=M+1.1&amp;seite=2"' in html
    html = client.get(INDEX, {"q": "M 1.1", "seite": "2"}).content.decode()
    assert "Schulung" in html and "Rollout E-Akte" not in html and "Seite 2 von 2" in html
    partial = client.get(INDEX, {"q": "M 1.1", "seite": "2"}, headers={**HX, "HX-Target": "tree"})
    assert partial.content.decode().lstrip().startswith('<div id="tree"')


def test_overview_follows_the_chosen_language(role_client, tree_data):
    client = role_client("stadtrat")
    assert "Gesamtfortschritt" in client.get(INDEX).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(INDEX).content.decode()
    assert "Overall progress" in html and "2 measures" in html


def test_overview_filters_and_search(role_client):
    hauptamt = f.org_unit("Hauptamt")
    field = f.field(code="HF 1")
    goal = f.goal(field, code="Z 1.1")
    f.measure(goal, code="M 1.1.1", title="Kita-Ticket", lead_unit=hauptamt)
    f.measure(goal, code="M 1.1.2", title="E-Akte", traffic_light="red")
    client = role_client("stadtrat")
    html = client.get(reverse("strategy:index"), {"q": "kita"}).content.decode()
    assert "Kita-Ticket" in html and "E-Akte" not in html
    html = client.get(reverse("strategy:index"), {"light": "red"}).content.decode()
    assert "E-Akte" in html and "Kita-Ticket" not in html
    html = client.get(reverse("strategy:index"), {"unit": hauptamt.pk}).content.decode()
    assert "Kita-Ticket" in html and "E-Akte" not in html
    response = client.get(
        reverse("strategy:index"), {"q": "akte"}, headers={**HX, "HX-Target": "tree"}
    )
    assert response.content.decode().lstrip().startswith('<div id="tree"')
    assert "1 von 2 Maßnahmen" in response.content.decode()


def test_htmx_history_restore_gets_the_whole_page(role_client):
    client = role_client("stadtrat")
    headers = {**HX, "HX-History-Restore-Request": "true", "HX-Target": "tree"}
    html = client.get(reverse("strategy:index"), {"q": "x"}, headers=headers).content.decode()
    assert html.lstrip().startswith("<!DOCTYPE html>")
    partial = client.get(reverse("strategy:deadlines"), headers=HX).content.decode()
    assert partial.lstrip().startswith('<div id="content">')


def test_overview_filters_by_field_lifecycle_overdue_and_searches_every_level(role_client):
    today = timezone.localdate()
    school = f.field(code="HF 2", title="Digitale Schule")
    admin = f.field(code="HF 1", title="Digitale Verwaltung")
    wlan = f.goal(school, code="Z 2.1", title="WLAN in allen Schulen")
    f.measure(wlan, code="M 2.1.1", title="Access Points", lifecycle="completed", progress=100)
    late = f.measure(
        f.goal(admin, code="Z 1.1", title="E-Akte"),
        code="M 1.1.1",
        title="Rollout",
        lifecycle="in_progress",
        planned_end=today - timezone.timedelta(days=1),
    )
    client = role_client("ag_schule")

    def shown(**query):
        html = client.get(reverse("strategy:index"), query).content.decode()
        return {title for title in ("Access Points", "Rollout") if f">{title}</a>" in html}

    assert shown(field=school.pk) == {"Access Points"}
    assert shown(lifecycle="in_progress") == {"Rollout"}
    assert shown(overdue="on") == {"Rollout"}
    # The search looks at the codes and titles of measures, goals and fields.
    assert shown(q="m 2.1.1") == {"Access Points"}
    assert shown(q="Z 1.1") == {"Rollout"}
    assert shown(q="HF 2") == {"Access Points"}
    assert shown(q="digitale schule") == {"Access Points"}
    assert shown(q="wlan") == {"Access Points"}
    assert shown(q="nichts dergleichen") == set()
    # Invalid filter values are ignored: the whole tree, no error.
    response = client.get(
        reverse("strategy:index"), {"field": "abc", "lifecycle": "kaputt", "light": "lila"}
    )
    assert response.status_code == 200
    assert "Insgesamt 2 Maßnahmen." in response.content.decode()
    assert late.get_absolute_url() not in response.content.decode()  # rows load per goal
