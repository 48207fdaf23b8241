"""A mandate that is "not recorded" (blank) is no longer the same as one "recorded as none".

What the existing "none" rows mean: until now "none" was the column's default and the form's
preselected answer, so a "none" row cannot tell "someone said there is no mandate yet" from
"nobody has said anything". Treating it as a recorded fact would make the mandate warning fire
on missions nobody has looked at, so every "none" row becomes blank (not recorded) here. The
mission's "To complete" list then asks for the mandate, and choosing "No mandate yet" records
it as a fact again. Rows with any other source are unchanged. Going back turns blank into
"none", the old default.

Import files are read literally: "none" in a file is "recorded as none", an empty or absent
mandate_source is "not recorded" (missions/exchange.py).
"""

from django.conf import settings
from django.db import migrations, models


def none_to_not_recorded(apps, schema_editor):
    Mission = apps.get_model("missions", "Mission")
    Mission.objects.filter(mandate_source="none").update(mandate_source="")


def not_recorded_to_none(apps, schema_editor):
    Mission = apps.get_model("missions", "Mission")
    Mission.objects.filter(mandate_source="").update(mandate_source="none")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("missions", "0006_years_from_1900"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="mission",
            name="missions_mission_mandate_source_valid",
        ),
        migrations.AlterField(
            model_name="mission",
            name="mandate_source",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not recorded yet"),
                    ("none", "No mandate yet"),
                    ("legislation", "Law or regulation"),
                    ("government_decision", "Government or cabinet decision"),
                    ("ministerial_decision", "Ministerial decision or order"),
                    ("parliament_resolution", "Parliament resolution"),
                    ("agency_board_decision", "Agency board decision"),
                    ("council_resolution", "Regional or municipal council resolution"),
                    ("eu_decision", "European Union decision"),
                    ("other", "Other"),
                ],
                default="",
                max_length=30,
                verbose_name="mandate",
            ),
        ),
        migrations.AddConstraint(
            model_name="mission",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "mandate_source__in",
                        [
                            "",
                            "none",
                            "legislation",
                            "government_decision",
                            "ministerial_decision",
                            "parliament_resolution",
                            "agency_board_decision",
                            "council_resolution",
                            "eu_decision",
                            "other",
                        ],
                    )
                ),
                name="missions_mission_mandate_source_valid",
            ),
        ),
        migrations.RunPython(none_to_not_recorded, not_recorded_to_none, elidable=True),
    ]
