"""Idempotency keys are unique per unit, not across the whole deployment (issue 21).

Every stored answer stays: keys that were unique everywhere are unique within their unit. The new
constraint is added before the old one is dropped, so the table is never without a unique key.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("collection", "0002_answer_fewer_indexes"),
        ("organisation", "0002_unit_network_ranges"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.UniqueConstraint(
                fields=("unit", "idempotency_key"), name="answer_unit_idempotency_key"
            ),
        ),
        migrations.RemoveConstraint(model_name="answer", name="answer_idempotency_key"),
    ]
