import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Visit",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
                (
                    "previous_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="visit before"),
                ),
                ("current_at", models.DateTimeField(verbose_name="this visit")),
            ],
            options={
                "verbose_name": "visit to Home",
                "verbose_name_plural": "visits to Home",
            },
        ),
    ]
