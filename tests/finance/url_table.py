"""Every finance URL: everyone with a role reads, only Verwaltung writes (docs/permissions.md)."""

from ..url_cases import READERS, VERWALTUNG, UrlCase
from . import factories as f

SAVED = (302,)  # a plain POST that saved redirects
HX_SAVED = (200,)  # an htmx POST that saved answers with HX-Location


def _item(user):
    return {"pk": f.cost_item().pk}


def _source(user):
    return {"pk": f.source().pk}


def _budget(user):
    return {"pk": f.budget_line().pk}


def _with_data(user):
    f.example_in_db()
    return {}


def _item_data(user):
    from ..strategy import factories as strategy

    return {
        "measure": strategy.measure().pk,
        "key": f"neu-{user.pk if user else 0}",
        "title": "Neue Kostenposition",
        "category": "devices",
        "kind": "investiv",
        "amount": "1200",
        "recurrence": "once",
        "start_year": "2025",
        "escalation_pct": "0",
    }


def _edit_item_data(user):
    return {**_item_data(user), "edited_version": "1"}


def _source_data(user):
    return {
        "key": f"neu-{user.pk if user else 0}",
        "title": "Neues Förderprogramm",
        "provider": "land",
        "status": "beantragt",
        "rate_pct": "50",
        "from_year": "2025",
        "to_year": "2026",
        "category_scope": "all",
        "item_scope": "all",
        "priority": "0",
    }


def _edit_source_data(user):
    return {**_source_data(user), "edited_version": "1"}


def _budget_data(user):
    return {"year": "2025", "amount": "5000", "account": "1.2.3"}


def _edit_budget_data(user):
    return {**_budget_data(user), "edited_version": "1"}


def _period_data(user):
    return {"first_year": "2025", "last_year": "2030"}


CASES = [
    UrlCase("finance:index", allowed=READERS, setup=_with_data),
    UrlCase("finance:index", allowed=READERS, htmx=True, setup=_with_data, label="htmx"),
    UrlCase("finance:plan_csv", allowed=READERS, setup=_with_data),
    UrlCase("finance:plan_xlsx", allowed=READERS, setup=_with_data),
    UrlCase("finance:items_csv", allowed=READERS, setup=_with_data),
    UrlCase("finance:items_xlsx", allowed=READERS, setup=_with_data),
    UrlCase("finance:period_edit", allowed=VERWALTUNG),
    UrlCase("finance:period_edit", allowed=VERWALTUNG, htmx=True, label="htmx"),
    UrlCase("finance:period_edit", allowed=VERWALTUNG, method="post", data=_period_data, ok=SAVED),
    # Lists and detail pages
    UrlCase("finance:items", allowed=READERS, setup=_with_data),
    UrlCase("finance:sources", allowed=READERS, setup=_with_data),
    UrlCase("finance:budget", allowed=READERS, setup=_with_data),
    UrlCase("finance:item_detail", allowed=READERS, setup=_item),
    UrlCase("finance:source_detail", allowed=READERS, setup=_source),
    # Cost items
    UrlCase("finance:item_create", allowed=VERWALTUNG),
    UrlCase("finance:item_create", allowed=VERWALTUNG, htmx=True, label="htmx"),
    UrlCase("finance:item_create", allowed=VERWALTUNG, method="post", data=_item_data, ok=SAVED),
    UrlCase(
        "finance:item_create",
        allowed=VERWALTUNG,
        method="post",
        data=_item_data,
        htmx=True,
        ok=HX_SAVED,
        label="htmx",
    ),
    UrlCase("finance:item_edit", allowed=VERWALTUNG, setup=_item),
    UrlCase(
        "finance:item_edit",
        allowed=VERWALTUNG,
        method="post",
        setup=_item,
        data=_edit_item_data,
        ok=SAVED,
    ),
    UrlCase("finance:item_delete", allowed=VERWALTUNG, setup=_item),
    UrlCase("finance:item_delete", allowed=VERWALTUNG, setup=_item, htmx=True, label="htmx"),
    UrlCase("finance:item_delete", allowed=VERWALTUNG, method="post", setup=_item, ok=SAVED),
    # Funding sources
    UrlCase("finance:source_create", allowed=VERWALTUNG),
    UrlCase(
        "finance:source_create", allowed=VERWALTUNG, method="post", data=_source_data, ok=SAVED
    ),
    UrlCase("finance:source_edit", allowed=VERWALTUNG, setup=_source),
    UrlCase(
        "finance:source_edit",
        allowed=VERWALTUNG,
        method="post",
        setup=_source,
        data=_edit_source_data,
        ok=SAVED,
    ),
    UrlCase("finance:source_delete", allowed=VERWALTUNG, setup=_source),
    UrlCase(
        "finance:source_delete",
        allowed=VERWALTUNG,
        method="post",
        setup=_source,
        htmx=True,
        ok=HX_SAVED,
        label="htmx",
    ),
    # Budget lines
    UrlCase("finance:budget_create", allowed=VERWALTUNG),
    UrlCase(
        "finance:budget_create", allowed=VERWALTUNG, method="post", data=_budget_data, ok=SAVED
    ),
    UrlCase("finance:budget_edit", allowed=VERWALTUNG, setup=_budget),
    UrlCase(
        "finance:budget_edit",
        allowed=VERWALTUNG,
        method="post",
        setup=_budget,
        data=_edit_budget_data,
        ok=SAVED,
    ),
    UrlCase("finance:budget_delete", allowed=VERWALTUNG, setup=_budget),
    UrlCase("finance:budget_delete", allowed=VERWALTUNG, method="post", setup=_budget, ok=SAVED),
]
