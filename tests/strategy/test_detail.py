"""Detail pages of fields, goals and measures (strategy.views.detail): registered panels."""

from pathlib import Path

import pytest

from . import factories as f

pytestmark = pytest.mark.django_db


def test_detail_pages_render_registered_panels(role_client, settings):
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates
    settings.DETAIL_PANELS = {
        "strategy.field": ["tests.strategy.panels.demo_panel"],
        "strategy.goal": ["tests.strategy.panels.demo_panel"],
        "strategy.measure": ["tests.strategy.panels.demo_panel", "tests.strategy.panels.none"],
    }
    measure = f.measure()
    client = role_client("ag_schule")
    for obj in (measure.goal.field, measure.goal, measure):
        html = client.get(obj.get_absolute_url()).content.decode()
        assert f"Panel für {obj.code}" in html
