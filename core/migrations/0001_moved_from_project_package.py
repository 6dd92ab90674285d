# The shared tables moved here from the project package; the tables keep their names, so only
# Django's model state is created (plauen_digital/migrations/0003_models_moved_to_core).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import core.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("plauen_digital", "0003_models_moved_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="DataVersion",
                    fields=[
                        (
                            "key",
                            models.CharField(max_length=100, primary_key=True, serialize=False),
                        ),
                        ("value", models.BigIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "plauen_digital_dataversion",
                    },
                ),
                migrations.CreateModel(
                    name="ImportPreview",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "token",
                            models.CharField(
                                default=core.models.new_token,
                                editable=False,
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        ("kind", models.CharField(max_length=40)),
                        ("filename", models.CharField(max_length=255)),
                        ("content", models.BinaryField()),
                        ("seen", models.JSONField(default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "import preview",
                        "db_table": "plauen_digital_importpreview",
                    },
                ),
                migrations.CreateModel(
                    name="OutboxMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("task", models.CharField(max_length=200, verbose_name="task")),
                        (
                            "args",
                            models.JSONField(blank=True, default=list, verbose_name="arguments"),
                        ),
                        (
                            "kwargs",
                            models.JSONField(
                                blank=True, default=dict, verbose_name="keyword arguments"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="created at"
                            ),
                        ),
                        (
                            "dispatched_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="handed to the broker at"
                            ),
                        ),
                        (
                            "attempts",
                            models.PositiveIntegerField(default=0, verbose_name="attempts"),
                        ),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                    ],
                    options={
                        "verbose_name": "outbox message",
                        "verbose_name_plural": "outbox messages",
                        "db_table": "plauen_digital_outboxmessage",
                        "ordering": ["pk"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("dispatched_at__isnull", True)),
                                fields=["id"],
                                name="outbox_undispatched",
                            )
                        ],
                    },
                ),
            ],
        )
    ]
