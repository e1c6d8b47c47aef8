from tortoise import migrations
from tortoise.migrations import operations as ops
from models.audit import AuditOutcome
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_search_body_format')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='AuditEntry',
            name='outcome',
            field=fields.CharEnumField(description='ACCEPTED: ACCEPTED\nREFUSED: REFUSED\nFAILED: FAILED', enum_type=AuditOutcome, max_length=16),
        ),
    ]
