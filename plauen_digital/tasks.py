from celery import shared_task


@shared_task(name="plauen_digital.health_check")
def health_check(token: str) -> str:
    """Echo a token back: proves a worker picks up tasks and can answer."""
    return f"ok:{token}"
