"""The dashboard: panels cached under one data stamp, never stale, per-user parts per user."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from participation.services import vote_cast
from plauen_digital.reports.models import ReportJob
from strategy import services as strategy_services

from .finance import factories as finance
from .participation.helpers import make_consultation, make_councillor, make_goal
from .schools_wg import factories as schools
from .strategy import factories as strategy

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")
# Session, user, the user's roles (for the rules and the header), the municipality, and the
# panels' one data stamp (plauen_digital/dashboard.py); everything else comes from the cache.
CACHED_QUERIES = 5


def panels(response):
    html = response.content.decode()
    return html[html.index('<div class="panel-grid">') : html.index("</main>")]


def some_of_everything(n):
    for _ in range(n):
        measure = strategy.measure()
        strategy.milestone(measure, due_date=timezone.localdate() + datetime.timedelta(days=3))
        finance.cost_item(measure, start_year=2025)
        schools.school()
        schools.session()
    make_consultation([make_goal() for _ in range(n)])
    ReportJob.objects.create(title="Bericht", reporting_date=timezone.localdate(), state="done")


def test_the_cached_dashboard_needs_the_same_queries_for_small_and_large_data(
    role_client, django_assert_num_queries
):
    client = role_client("ratsbuero")
    some_of_everything(2)
    client.get(URL)
    with django_assert_num_queries(CACHED_QUERIES):
        small = panels(client.get(URL))
    some_of_everything(20)
    large = panels(client.get(URL))  # a new stamp: every panel is built again
    with django_assert_num_queries(CACHED_QUERIES):
        assert panels(client.get(URL)) == large
    assert large != small and 'id="panel-finance"' in large


def test_panels_follow_writes_through_the_services_and_forms(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    milestone = strategy.milestone(measure, due_date=timezone.localdate() - datetime.timedelta(1))
    item = finance.cost_item(measure, key="tablets", amount="1000", start_year=2025)
    html = client.get(URL).content.decode()
    assert 'Überfällig (Meilensteine und Maßnahmen)</span><span class="num">1<' in html
    assert "1.000\xa0€" in html

    strategy_services.milestone_mark_done(milestone=milestone)
    item_form = {
        "measure": measure.pk,
        "key": "tablets",
        "title": "Tablets",
        "category": "devices",
        "kind": "investiv",
        "amount": "4321",
        "recurrence": "once",
        "start_year": "2025",
        "escalation_pct": "0",
        "edited_version": "1",
    }
    assert client.post(reverse("finance:item_edit", args=[item.pk]), item_form).status_code == 302
    schools.school(name="Neue Schule")
    html = client.get(URL).content.decode()
    assert 'Überfällig (Meilensteine und Maßnahmen)</span><span class="num">0<' in html
    assert "4.321\xa0€" in html
    assert 'Schulen</span><span class="num">1<' in html


def test_open_consultations_and_the_next_session_follow_the_clock(client, make_user):
    councillor = make_user("stadtrat")
    day = timezone.localdate()

    def today_at(hour):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    with time_machine.travel(today_at(8), tick=False):
        client.force_login(councillor)  # a session of its own at each time (sessions expire)
        make_consultation(title="Abendrunde", opens_at=today_at(18), closes_at=today_at(20))
        first = schools.session(days=0, title="Frühe Sitzung")
        first.starts_at, first.ends_at = today_at(9), today_at(10)
        first.save()
        later = schools.session(days=3, title="Spätere Sitzung")
        html = client.get(URL).content.decode()
        assert "Zurzeit läuft keine Beteiligung." in html
        assert first.get_absolute_url() in html
    with time_machine.travel(today_at(19), tick=False):  # same data, same stamp, later today
        client.force_login(councillor)
        html = client.get(URL).content.decode()
        assert "Abendrunde" in html
        assert later.get_absolute_url() in html and first.get_absolute_url() not in html


def test_missing_votes_are_each_councillors_own(client, make_user):
    goals = [make_goal(), make_goal()]
    consultation = make_consultation(goals)
    voter, other = make_user("stadtrat"), make_user("stadtrat")
    make_councillor(voter)
    make_councillor(other)
    client.force_login(voter)
    assert "Sie haben zu 2 Zielen noch nicht abgestimmt." in client.get(URL).content.decode()
    vote_cast(consultation=consultation, goal=goals[0], councillor=voter.councillor, choice="yes")
    assert "Sie haben zu 1 Ziel noch nicht abgestimmt." in client.get(URL).content.decode()
    client.force_login(other)
    assert "Sie haben zu 2 Zielen noch nicht abgestimmt." in client.get(URL).content.decode()
    client.force_login(make_user("stadtrat"))  # not in the council: nothing to vote on
    assert "noch nicht abgestimmt" not in client.get(URL).content.decode()


def test_panels_are_cached_per_language(client, make_user):
    strategy.measure()
    client.force_login(make_user("ratsbuero"))
    assert "Nächste Fristen" in client.get(URL).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": URL})
    html = client.get(URL).content.decode()
    assert "Next deadlines" in html and "Nächste Fristen" not in html


@pytest.mark.parametrize("n", [10, 200])
def test_the_dashboard_runs_the_same_queries_for_10_and_200_rows(
    role_client, django_assert_num_queries, n
):
    client = role_client("verwaltung")
    some_of_everything(n)
    client.get(reverse("accounts:profile"))  # warm the session, not the panels
    with django_assert_num_queries(COLD_QUERIES):
        cold = panels(client.get(URL))
    with django_assert_num_queries(CACHED_QUERIES):
        assert panels(client.get(URL)) == cold


# The shell and the stamp, and each panel built once (plauen_digital/dashboard.py PANELS):
# strategy 8, finance 5, participation 2, the working group 7, the reports 2.
COLD_QUERIES = CACHED_QUERIES + 8 + 5 + 2 + 7 + 2
