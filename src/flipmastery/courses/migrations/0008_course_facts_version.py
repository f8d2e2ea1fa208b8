from django.db import migrations, models

import flipmastery.courses.models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_course_grade_level"),
    ]

    operations = [
        migrations.AddField(
            model_name="course",
            name="facts_version",
            field=models.BigIntegerField(
                default=flipmastery.courses.models.new_facts_version,
                editable=False,
                help_text="Drawn anew at every change the mastery loop reads: the key of its cached facts.",
            ),
        ),
    ]
