"""Demo municipality and accounts (`demo_data/accounts.yaml`). People are fictional; every
password is `demo`."""

from django.contrib.auth.models import Group

from core.demo import ensure, load

from .models import Municipality, User

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo password, refused without DEBUG


def ensure_user(username, first_name, last_name, role_names, *, email=None, password=DEMO_PASSWORD):
    """Create or update one demo user with exactly the given roles."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": email or f"{username}@demo.plauen-digital.example",
        },
    )
    if created:
        user.set_password(password)
        user.save()
    # The role groups come with a migration, but a flushed database (`flush`, transactional
    # tests) has none: the demo accounts must never end up without their roles.
    wanted = {Group.objects.get_or_create(name=name)[0] for name in role_names}
    if set(user.groups.all()) != wanted:
        user.groups.set(wanted)
    return user


def seed(stdout=None):
    data = load(__package__, "accounts")
    current = Municipality.current()
    ensure(Municipality, pk=current.pk if current else None, defaults=data["municipality"])
    for account in data["accounts"]:
        ensure_user(
            account["username"], account["first_name"], account["last_name"], account["roles"]
        )
    admin = data["admin"]
    user, created = User.objects.get_or_create(
        username=admin["username"],
        defaults={
            "first_name": admin["first_name"],
            "last_name": admin["last_name"],
            "is_staff": True,
            "is_superuser": True,
            "email": f"{admin['username']}@demo.plauen-digital.example",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
