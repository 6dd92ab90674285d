"""Helpers for idempotent demo data: a second seed_demo run must change nothing, history included."""


def ensure(model, defaults=None, **lookup):
    """Like `update_or_create`, but saves only when a value differs, so no history row is added.

    Returns (instance, created).
    """
    defaults = defaults or {}
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        return model._default_manager.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, defaults[name])
        instance.save()
    return instance, False
