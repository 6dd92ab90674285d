# The shared tables moved to the core package (docs/architecture.md, "Layers"). Their tables keep
# their names; only Django's model state moves (core/migrations/0001_moved_from_project_package).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("plauen_digital", "0002_outbox")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DataVersion"),
                migrations.DeleteModel(name="ImportPreview"),
                migrations.DeleteModel(name="OutboxMessage"),
            ],
            database_operations=[],
        )
    ]
