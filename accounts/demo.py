"""Demo municipality and accounts. People are fictional; every password is `demo`."""

from django.contrib.auth.models import Group

from core.demo import ensure

from . import roles
from .models import Municipality, User

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo password, refused without DEBUG

# username, first name, last name, roles
DEMO_ACCOUNTS = [
    ("verwaltung", "Vera", "Verwaltung", [roles.VERWALTUNG]),
    ("stadtrat", "Stefan", "Stadtrat", [roles.STADTRAT]),
    ("ag-mitglied", "Anna", "Agmitglied", [roles.AG_SCHULE]),
    ("ratsbuero", "Rita", "Ratsbüro", [roles.RATSBUERO]),
]


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
    current = Municipality.current()
    ensure(
        Municipality,
        pk=current.pk if current else None,
        defaults={
            "name": "Stadt Plauen",
            "short_name": "Plauen",
            "motion_reference": "Reg.-Nr. 222-21",
        },
    )
    for username, first_name, last_name, role_names in DEMO_ACCOUNTS:
        ensure_user(username, first_name, last_name, role_names)
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "first_name": "Adam",
            "last_name": "Admin",
            "is_staff": True,
            "is_superuser": True,
            "email": "admin@demo.plauen-digital.example",
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
