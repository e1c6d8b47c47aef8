from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0010_event_calendar')]

    initial = False

    operations = [
        ops.AddField(
            model_name='AuditEntry',
            name='target_name',
            field=fields.CharField(null=True, max_length=255),
        ),
        ops.AddField(
            model_name='AuditEntry',
            name='target_name_en',
            field=fields.CharField(null=True, max_length=255),
        ),
        ops.AddField(
            model_name='AuditEntry',
            name='reason',
            field=fields.TextField(null=True, unique=False),
        ),
    ]
