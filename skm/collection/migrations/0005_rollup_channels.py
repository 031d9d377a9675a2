"""Answers per channel in the daily rollups, filled for the rollups that exist from their answers.

Plain SQL, no app code: one UPDATE … FROM a GROUP BY over the answers (SQLite ≥ 3.33 and
PostgreSQL both take it). Rows are matched on the rollup key; excluded answers count in the
excluded rollups, as everywhere else.
"""

from django.db import migrations, models

CHANNELS = ("online", "kiosk", "manual", "import", "api")

FILL = (
    "UPDATE collection_dailyrollup SET "
    + ", ".join(f"channel_{c} = counted.c_{c}" for c in CHANNELS)
    + " FROM (SELECT unit_id, COALESCE(service_id, 0) AS service_key, day, excluded, "
    + ", ".join(f"SUM(CASE WHEN channel = '{c}' THEN 1 ELSE 0 END) AS c_{c}" for c in CHANNELS)
    + " FROM collection_answer GROUP BY unit_id, COALESCE(service_id, 0), day, excluded) AS counted"
    " WHERE collection_dailyrollup.unit_id = counted.unit_id"
    " AND collection_dailyrollup.service_key = counted.service_key"
    " AND collection_dailyrollup.day = counted.day"
    " AND collection_dailyrollup.is_excluded = counted.excluded"
)


class Migration(migrations.Migration):
    dependencies = [
        ("collection", "0004_kiosk_device"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyrollup",
            name="channel_api",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyrollup",
            name="channel_import",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyrollup",
            name="channel_kiosk",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyrollup",
            name="channel_manual",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyrollup",
            name="channel_online",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
