"""The main pages are well-formed HTML in the ways browsers and checkers care about: no form
inside phrasing content (a <span>, <p>, <a>, ...), no nested forms, unique ids, and every
<time datetime> a valid HTML date/time (no microseconds). The demo data fills every page."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PHRASING = {"a", "abbr", "b", "button", "code", "em", "i", "label", "p", "small", "span", "strong"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# HTML "valid date string" / "valid global date and time string": at most milliseconds.
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$")


class Checker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.ids, self.problems = [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if "form" in self.stack:
                self.problems.append("a <form> inside a <form>")
            inside = [t for t in self.stack if t in PHRASING]
            if inside:
                self.problems.append(f"a <form> inside <{inside[-1]}>")
        if tag == "time" and "datetime" in attrs and not TIME.match(attrs["datetime"] or ""):
            self.problems.append(f'<time datetime="{attrs["datetime"]}">')
        if attrs.get("id"):
            if attrs["id"] in self.ids:
                self.problems.append(f'duplicate id="{attrs["id"]}"')
            self.ids.add(attrs["id"])
        if tag not in VOID and not tag.startswith("svg:"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


def problems(html):
    checker = Checker()
    checker.feed(html)
    return checker.problems


def test_checker_finds_the_mistakes_it_looks_for():
    bad = (
        '<span><form></form></span><form><form></form></form><p id="x"></p><p id="x"></p>'
        '<time datetime="2026-12-01T10:00:00.123456+01:00">x</time>'
    )
    assert problems(bad) == [
        "a <form> inside <span>",
        "a <form> inside a <form>",
        'duplicate id="x"',
        '<time datetime="2026-12-01T10:00:00.123456+01:00">',
    ]
    good = '<div><form></form></div><time datetime="2026-12-01T10:00:00+0100">x</time>'
    assert problems(good) == []


def _main_pages():
    from finance.models import CostItem, FundingSource
    from participation.models import Consultation
    from schools_wg.models import School, Session
    from strategy.models import FieldOfAction, Goal, Measure

    return [
        reverse("dashboard"),
        reverse("strategy:index"),
        reverse("strategy:index") + "?q=M",
        reverse("strategy:field_detail", args=[FieldOfAction.objects.first().pk]),
        reverse("strategy:goal_detail", args=[Goal.objects.first().pk]),
        reverse("strategy:measure_detail", args=[Measure.objects.first().pk]),
        reverse("strategy:deadlines"),
        reverse("strategy:timeline"),
        reverse("finance:index"),
        reverse("finance:items"),
        reverse("finance:item_detail", args=[CostItem.objects.first().pk]),
        reverse("finance:item_create"),
        reverse("finance:sources"),
        reverse("finance:source_detail", args=[FundingSource.objects.first().pk]),
        reverse("finance:source_edit", args=[FundingSource.objects.first().pk]),
        reverse("finance:budget"),
        reverse("schools_wg:index"),
        reverse("schools_wg:member_create"),
        reverse("schools_wg:session_detail", args=[Session.objects.first().pk]),
        reverse("schools_wg:parity"),
        reverse("schools_wg:school_detail", args=[School.objects.first().pk]),
        reverse("participation:index"),
        reverse("participation:consultation", args=[Consultation.objects.first().pk]),
        reverse("participation:factions"),
        reverse("reports:index"),
        reverse("accounts:profile"),
        reverse("accounts:my_data"),
    ]


def test_main_pages_are_valid_for_the_administration(django_user_model):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    client = Client()
    client.force_login(django_user_model.objects.get(username="verwaltung"))
    found = {}
    for url in _main_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        mistakes = problems(response.content.decode())
        if mistakes:
            found[url] = mistakes
    assert not found
