"""Editing through the views: create, edit, delete, reorder, mark done; htmx and plain HTML."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from strategy.models import FieldOfAction, Goal, Measure, Milestone

from . import factories as f

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def admin_client(role_client):
    return role_client("verwaltung", first_name="Vera", last_name="Verwaltung")


def measure_post(**overrides):
    data = {
        "code": "M 1.1.1",
        "title": "Digitaler Posteingang",
        "priority": "high",
        "lifecycle": "in_progress",
        "traffic_light": "yellow",
        "progress": "30",
        "weight": "2",
        "planned_start": "2026-01-01",
        "planned_end": "2026-12-31",
    }
    data.update(overrides)
    return data


def test_create_field_without_javascript(admin_client):
    response = admin_client.post(
        reverse("strategy:field_create"), {"code": "HF 7", "title": "Smart City"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("strategy:index")
    field = FieldOfAction.objects.get(code="HF 7")
    assert field.version == 1 and field.position == 1


def test_create_form_suggests_the_next_code(admin_client):
    field = f.field(code="HF 2")
    f.goal(field, code="Z 2.1")
    f.goal(field, code="Z 2.3")
    response = admin_client.get(reverse("strategy:goal_create", args=[field.pk]), headers=HX)
    assert 'value="Z 2.4"' in response.content.decode()
    assert "<html" not in response.content.decode()  # the form partial only


def test_create_goal_and_measure_with_htmx(admin_client):
    field = f.field(code="HF 1")
    response = admin_client.post(
        reverse("strategy:goal_create", args=[field.pk]),
        {"code": "Z 1.1", "title": "E-Akte überall", "status": "on_track"},
        headers=HX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#content"
    assert "E-Akte überall" in response.content.decode()  # the field page content, refreshed
    goal = Goal.objects.get(code="Z 1.1")
    response = admin_client.post(
        reverse("strategy:measure_create", args=[goal.pk]), measure_post(), headers=HX
    )
    assert response.status_code == 200
    measure = Measure.objects.get(goal=goal)
    assert measure.title == "Digitaler Posteingang" and measure.position == 1
    assert measure.get_absolute_url() in response.content.decode()


def test_invalid_input_keeps_what_was_typed_and_says_why_in_german(admin_client):
    goal = f.goal()
    response = admin_client.post(
        reverse("strategy:measure_create", args=[goal.pk]),
        measure_post(title="Meine lange Eingabe", planned_end="2025-01-01", progress="150"),
        headers=HX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "HX-Retarget" not in response  # the form comes back in place
    assert 'value="Meine lange Eingabe"' in html
    assert 'value="2025-01-01"' in html
    assert "Das geplante Ende darf nicht vor dem geplanten Beginn liegen." in html
    assert "kleiner oder gleich 100" in html
    assert not Measure.objects.exists()


def test_required_field_message_in_german(admin_client):
    response = admin_client.post(reverse("strategy:field_create"), {"code": "HF 9", "title": ""})
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert 'value="HF 9"' in response.content.decode()


def test_edit_measure_inline_records_history_with_user(admin_client):
    measure = f.measure(progress=10, traffic_light="green")
    edit_url = reverse("strategy:measure_edit", args=[measure.pk])
    form_html = admin_client.get(edit_url, headers=HX).content.decode()
    assert 'name="edited_version" value="1"' in form_html
    data = measure_post(code=measure.code, progress="60", traffic_light="red", edited_version="1")
    response = admin_client.post(edit_url, data, headers=HX)
    assert response.status_code == 200 and response["HX-Retarget"] == "#content"
    measure.refresh_from_db()
    assert (measure.progress, measure.traffic_light, measure.version) == (60, "red", 2)
    record = measure.history.latest()
    assert record.history_user == admin_client.user
    html = response.content.decode()
    assert "Vera Verwaltung" in html
    assert "Fortschritt (%):</span> 10 " in html and "→" in html
    assert "Ampel:</span> grün" in html and "rot" in html


def test_edit_conflict_keeps_input_and_shows_current_values(admin_client, make_user):
    measure = f.measure(title="Ursprünglicher Titel", progress=10)
    url = reverse("strategy:measure_edit", args=[measure.pk])
    # Someone else saves first (version 1 → 2).
    other = Measure.objects.get(pk=measure.pk)
    other.title = "Titel der Kollegin"
    other.version = 2
    other.save()
    mine = measure_post(code=measure.code, title="Mein Titel", progress="55", edited_version="1")
    response = admin_client.post(url, mine, headers=HX)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Jemand anderes hat diesen Eintrag geändert" in html
    assert "Bearbeitungskonflikt" in html
    assert 'value="Mein Titel"' in html  # my input is kept
    assert "Titel der Kollegin" in html  # the current value is shown
    assert 'name="edited_version" value="2"' in html  # saving again is a deliberate choice
    measure.refresh_from_db()
    assert measure.title == "Titel der Kollegin" and measure.progress == 10
    # Saving again now overwrites knowingly.
    admin_client.post(url, {**mine, "edited_version": "2"}, headers=HX)
    measure.refresh_from_db()
    assert measure.title == "Mein Titel" and measure.version == 3


def test_an_edit_without_a_version_is_a_conflict_not_an_overwrite(admin_client):
    """A hand-made request without the hidden version cannot overwrite unseen changes."""
    measure = f.measure(title="Ursprünglicher Titel", progress=10)
    url = reverse("strategy:measure_edit", args=[measure.pk])
    data = measure_post(code=measure.code, title="Ohne Version", progress="55")
    data.pop("edited_version", None)
    response = admin_client.post(url, data, headers=HX)
    assert response.status_code == 409
    assert "Jemand anderes hat diesen Eintrag geändert" in response.content.decode()
    measure.refresh_from_db()
    assert measure.title == "Ursprünglicher Titel" and measure.version == 1


def test_delete_with_confirmation(admin_client):
    measure = f.measure()
    f.milestone(measure)
    url = reverse("strategy:measure_delete", args=[measure.pk])
    confirm = admin_client.get(url, headers=HX).content.decode()
    assert "wirklich löschen" in confirm and "1 Meilenstein" in confirm
    assert Measure.objects.filter(pk=measure.pk).exists()  # GET deletes nothing
    response = admin_client.post(url, headers=HX)
    assert response.status_code == 200
    assert reverse("strategy:goal_detail", args=[measure.goal_id]) in response["HX-Location"]
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert not Milestone.objects.exists()
    assert measure.history.filter(history_type="-").get().history_user == admin_client.user


def test_delete_field_without_javascript_redirects_to_overview(admin_client):
    field = f.field()
    f.goal(field)
    response = admin_client.post(reverse("strategy:field_delete", args=[field.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("strategy:index")
    assert not Goal.objects.exists()


def test_reorder_measures(admin_client):
    goal = f.goal()
    a, b, c = (f.measure(goal, code=f"M {i}", position=i) for i in (1, 2, 3))
    response = admin_client.post(
        reverse("strategy:measure_move", args=[c.pk]), {"direction": "up"}, headers=HX
    )
    assert response.status_code == 200
    order = list(goal.measures.order_by("position").values_list("code", flat=True))
    assert order == ["M 1", "M 3", "M 2"]
    admin_client.post(reverse("strategy:measure_move", args=[a.pk]), {"direction": "up"})
    order = list(goal.measures.order_by("position").values_list("code", flat=True))
    assert order == ["M 1", "M 3", "M 2"]  # the first stays first
    admin_client.post(reverse("strategy:measure_move", args=[a.pk]), {"direction": "down"})
    order = list(goal.measures.order_by("position").values_list("code", flat=True))
    assert order == ["M 3", "M 1", "M 2"]
    assert b.version == 1  # reordering does not count as a content edit


def test_reorder_fields_and_goals(admin_client):
    f1, f2 = f.field(code="HF 1", position=1), f.field(code="HF 2", position=2)
    admin_client.post(reverse("strategy:field_move", args=[f2.pk]), {"direction": "up"})
    assert list(FieldOfAction.objects.values_list("code", flat=True)) == ["HF 2", "HF 1"]
    g1, g2 = f.goal(f1, code="Z 1.1", position=1), f.goal(f1, code="Z 1.2", position=2)
    admin_client.post(reverse("strategy:goal_move", args=[g1.pk]), {"direction": "down"})
    assert list(f1.goals.order_by("position").values_list("code", flat=True)) == [
        "Z 1.2",
        "Z 1.1",
    ]
    assert (
        admin_client.post(
            reverse("strategy:goal_move", args=[g2.pk]), {"direction": "sideways"}
        ).status_code
        == 400
    )


def test_mark_milestone_done_in_one_click(admin_client):
    milestone = f.milestone(title="Abnahme")
    url = reverse("strategy:milestone_done", args=[milestone.pk])
    response = admin_client.post(url, {"done": "1"}, headers=HX)
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    assert milestone.version == 2
    assert "Wieder öffnen" in response.content.decode()
    admin_client.post(url, {"done": "0"})
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_marking_done_while_someone_edits_the_milestone_is_a_conflict(admin_client):
    milestone = f.milestone(title="Abnahme", due_date=date(2026, 12, 15))
    edit_url = reverse("strategy:milestone_edit", args=[milestone.pk])
    form = admin_client.get(edit_url, headers=HX).content.decode()
    assert 'name="edited_version" value="1"' in form
    admin_client.post(reverse("strategy:milestone_done", args=[milestone.pk]), {"done": "1"})
    typed = {"title": "Abnahme Welle 1", "due_date": "2026-12-20", "edited_version": "1"}
    response = admin_client.post(edit_url, typed, headers=HX)
    html = response.content.decode()
    assert "Jemand anderes hat diesen Eintrag geändert" in html
    assert 'value="Abnahme Welle 1"' in html
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()  # the click is not overwritten
    assert milestone.title == "Abnahme"


def test_milestone_create_sets_creator_and_warns_outside_period(admin_client):
    measure = f.measure(planned_start=date(2026, 1, 1), planned_end=date(2026, 6, 30))
    admin_client.post(
        reverse("strategy:milestone_create", args=[measure.pk]),
        {"title": "Spät", "due_date": "2026-09-01"},
    )
    milestone = measure.milestones.get()
    assert milestone.created_by == admin_client.user
    html = admin_client.get(measure.get_absolute_url()).content.decode()
    assert "außerhalb des geplanten Zeitraums der Maßnahme" in html


def test_readers_see_no_edit_controls(role_client):
    measure = f.measure()
    f.milestone(measure)
    html = role_client("stadtrat").get(measure.get_absolute_url()).content.decode()
    assert reverse("strategy:measure_edit", args=[measure.pk]) not in html
    assert "Als erledigt markieren" not in html
    admin_html = role_client("verwaltung").get(measure.get_absolute_url()).content.decode()
    assert reverse("strategy:measure_edit", args=[measure.pk]) in admin_html
    assert "Als erledigt markieren" in admin_html


@pytest.mark.parametrize("role", ["stadtrat", "ag_schule", "ratsbuero"])
def test_no_editing_controls_on_any_page_for_readers(role_client, role):
    goal = f.goal()
    f.goal(goal.field)  # a second goal, so the first can move down
    f.measure(goal)
    pages = {
        reverse("strategy:index"): [reverse("strategy:field_create"), reverse("strategy:import")],
        goal.field.get_absolute_url(): [
            reverse("strategy:field_edit", args=[goal.field_id]),
            reverse("strategy:goal_create", args=[goal.field_id]),
            reverse("strategy:goal_move", args=[goal.pk]),
        ],
        goal.get_absolute_url(): [
            reverse("strategy:goal_edit", args=[goal.pk]),
            reverse("strategy:goal_delete", args=[goal.pk]),
            reverse("strategy:measure_create", args=[goal.pk]),
        ],
    }
    reader = role_client(role)
    for url, controls in pages.items():
        html = reader.get(url).content.decode()
        assert not [c for c in controls if c in html], url
    manager = role_client("verwaltung")
    for url, controls in pages.items():
        html = manager.get(url).content.decode()
        assert all(c in html for c in controls), url
