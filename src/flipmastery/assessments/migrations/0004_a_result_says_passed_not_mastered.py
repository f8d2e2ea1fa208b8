"""A check result records whether the check was passed; whether the objective is mastered is the replay's
decision (it may also wait on activity sign-offs), so the stored key says "passed"."""

from django.db import migrations


def rename(apps, schema_editor, old, new):
    Attempt = apps.get_model("assessments", "Attempt")
    for attempt in Attempt.objects.exclude(result=None).only("id", "result").iterator():
        result = attempt.result
        if not isinstance(result, dict):
            continue
        changed = False
        for objective in result.get("objectives", []):
            if isinstance(objective, dict) and old in objective:
                objective[new] = objective.pop(old)
                changed = True
        if changed:
            Attempt.objects.filter(pk=attempt.pk).update(result=result)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_paper_copies")]

    operations = [
        migrations.RunPython(
            lambda apps, editor: rename(apps, editor, "mastered", "passed"),
            lambda apps, editor: rename(apps, editor, "passed", "mastered"),
        )
    ]
