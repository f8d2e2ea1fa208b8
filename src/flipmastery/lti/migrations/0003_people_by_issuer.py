"""An LMS's user id belongs to the LMS (its issuer), not to one registration of it."""

from django.db import migrations, models


def issuer_of_platform(apps, schema_editor):
    Person = apps.get_model("lti", "Person")
    seen = set()
    for person in Person.objects.select_related("platform").order_by("id"):
        key = (person.platform.issuer, person.sub)
        if key in seen:  # the same LMS person through a second registration: the first link stays
            person.delete()
            continue
        seen.add(key)
        person.issuer = person.platform.issuer
        person.save(update_fields=["issuer"])


class Migration(migrations.Migration):
    dependencies = [("lti", "0002_grades_the_lms_has")]

    operations = [
        migrations.AddField(model_name="person", name="issuer", field=models.CharField(default="", max_length=400)),
        migrations.RunPython(issuer_of_platform, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="person", name="lti_person_once"),
        migrations.RemoveField(model_name="person", name="platform"),
        migrations.AlterField(model_name="person", name="issuer", field=models.CharField(max_length=400)),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(fields=("issuer", "sub"), name="lti_person_once_per_issuer"),
        ),
    ]
