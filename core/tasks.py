from celery import shared_task


@shared_task(name="plauen_digital.health_check")
def health_check(token: str) -> str:
    """Echo a token back: proves a worker picks up tasks and can answer."""
    return f"ok:{token}"


@shared_task(name="plauen_digital.dispatch_outbox", time_limit=120, soft_time_limit=110)
def dispatch_outbox() -> int:
    """Beat (every minute): hand waiting outbox rows to the broker; prune old sent ones."""
    from . import outbox

    sent = 0
    while batch := outbox.dispatch():
        sent += len(batch)
        if len(batch) < outbox.BATCH_SIZE:
            break
    outbox.prune()
    return sent
