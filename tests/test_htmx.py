"""The one htmx rule of the project (core/htmx.py): a partial only for htmx requests that
are not history restores, `Vary: HX-Request` on every answer, invalid forms answer 422 with the
errors and the input, and htmx is configured to swap 422 (and 409) in place."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.htmx import INVALID
from tests.finance import factories as finance
from tests.schools_wg import factories as wg
from tests.strategy import factories as strategy

HTMX = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def _page_urls():
    field = strategy.field()
    measure = strategy.measure(strategy.goal(field))
    session = wg.session()
    school = wg.school()
    indicator = wg.indicator()
    wg.measure_value(school, indicator, "2024/25", value=3)
    item = finance.cost_item(measure)
    return [
        reverse("strategy:index"),
        reverse("strategy:field_detail", args=[field.pk]),
        reverse("strategy:measure_detail", args=[measure.pk]),
        reverse("strategy:deadlines"),
        reverse("strategy:timeline"),
        reverse("strategy:deadline_feed_settings"),
        reverse("finance:index"),
        reverse("finance:items"),
        reverse("finance:item_detail", args=[item.pk]),
        reverse("schools_wg:parity"),
        reverse("schools_wg:session_edit", args=[session.pk]),
        reverse("reports:index"),
    ]


@pytest.mark.django_db
def test_htmx_gets_a_partial_a_history_restore_and_a_plain_request_the_whole_page(role_client):
    client = role_client("verwaltung")
    for url in _page_urls():
        partial = client.get(url, headers=HTMX)
        restored = client.get(url, headers=RESTORE)
        whole = client.get(url)
        for response in (partial, restored, whole):
            assert response.status_code == 200, url
            vary = {v.strip().lower() for v in response["Vary"].split(",")}
            assert {"hx-request", "hx-history-restore-request"} <= vary, (url, vary)
        assert "<html" not in partial.content.decode(), url
        assert "<!DOCTYPE html>" in restored.content.decode(), url
        assert "<!DOCTYPE html>" in whole.content.decode(), url


@pytest.mark.django_db
def test_every_page_says_vary_hx_request(role_client):
    client = role_client("verwaltung")
    for url in ["/", reverse("schools_wg:index"), reverse("participation:index")]:
        assert "HX-Request" in client.get(url)["Vary"], url


def _session_post(session, **changes):
    start = timezone.localtime(session.starts_at)
    data = {
        "title": session.title,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": session.place,
        "capacity": str(session.capacity),
        "edited_version": session.version,
    }
    data.update(changes)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False])
def test_session_page_forms_answer_422_with_the_error_beside_the_field(role_client, htmx):
    client = role_client("verwaltung")
    session = wg.session()
    headers = HTMX if htmx else {}

    agenda = client.post(
        reverse("schools_wg:agenda_add", args=[session.pk]),
        {"title": "", "notes": "Meine Notiz zum Punkt"},
        headers=headers,
    )
    assert agenda.status_code == INVALID
    html = agenda.content.decode()
    assert 'id="agenda-title_error"' in html
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "Meine Notiz zum Punkt" in html
    assert ("<html" in html) is not htmx

    task = client.post(
        reverse("schools_wg:action_add", args=[session.pk]),
        {"title": "", "due_date": "2026-13-45"},
        headers=headers,
    )
    assert task.status_code == INVALID
    html = task.content.decode()
    assert 'id="action-title_error"' in html and 'id="action-due_date_error"' in html
    assert 'value="2026-13-45"' in html

    ends_before = (timezone.localtime(session.starts_at) - timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    edit = client.post(
        reverse("schools_wg:session_edit", args=[session.pk]),
        _session_post(session, title="Neuer Titel", ends_at=ends_before),
        headers=headers,
    )
    assert edit.status_code == INVALID
    html = edit.content.decode()
    assert 'id="id_ends_at_error"' in html
    assert "Die Sitzung muss nach ihrem Beginn enden." in html
    assert 'value="Neuer Titel"' in html
    assert f'value="{ends_before}"' in html


@pytest.mark.django_db
def test_make_milestone_without_a_measure_shows_the_error_in_its_row(role_client):
    client = role_client("verwaltung")
    session = wg.session()
    item = session.action_items.create(title="Geräteliste prüfen")
    other = session.action_items.create(title="Elternbrief")
    response = client.post(
        reverse("schools_wg:action_milestone", args=[item.pk]), {"measure": ""}, headers=HTMX
    )
    assert response.status_code == INVALID
    html = response.content.decode()
    assert f'id="milestone-{item.pk}-measure_error"' in html
    assert f'aria-describedby="milestone-{item.pk}-measure_error"' in html
    assert "Wählen Sie eine Maßnahme der Strategie." in html
    assert f'id="milestone-{other.pk}-measure_error"' not in html  # only in its own row


@pytest.mark.django_db
def test_session_page_has_unique_field_ids(role_client):
    client = role_client("verwaltung")
    session = wg.session()
    session.action_items.create(title="Geräteliste prüfen")
    session.action_items.create(title="Elternbrief")
    html = client.get(reverse("schools_wg:session_detail", args=[session.pk])).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'id="agenda-title"' in html and 'id="action-title"' in html


@pytest.mark.django_db
def test_strategy_and_finance_forms_answer_invalid_input_with_422(role_client):
    client = role_client("verwaltung")
    goal = strategy.goal()
    response = client.post(
        reverse("strategy:measure_create", args=[goal.pk]), {"title": "x"}, headers=HTMX
    )
    assert response.status_code == INVALID
    assert 'id="id_code_error"' in response.content.decode()
    response = client.post(reverse("finance:budget_create"), {"year": "20x"}, headers=HTMX)
    assert response.status_code == INVALID
    assert 'id="id_year_error"' in response.content.decode()


@pytest.mark.django_db
def test_htmx_is_configured_to_swap_422_and_409(role_client):
    html = role_client("verwaltung").get("/").content.decode()
    content = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', html).group(1)
    rules = json.loads(content)["responseHandling"]
    codes = [rule["code"] for rule in rules]
    for code in ("422", "409"):
        rule = rules[codes.index(code)]
        assert rule["swap"] is True and not rule.get("error")
        assert codes.index(code) < codes.index("[45]..")  # before the rule for other errors
    assert rules[codes.index("[45]..")]["error"] is True  # 403/5xx still show the alert
