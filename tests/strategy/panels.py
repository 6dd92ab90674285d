"""Detail panels for tests: what finance or participation would register."""


def demo_panel(request, obj):
    return {"template": "strategy_test_panel.html", "obj": obj}


def none(request, obj):
    return None
