from tortoise import migrations
from tortoise.migrations import operations as ops
from models.account import NotificationEmail
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0014_introductions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SigningKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('purpose', fields.CharField(unique=True, max_length=32)),
                ('secret', fields.CharField(max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'signing_key', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A secret shared by every worker and host through the database, made on first use: it signs'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='User',
            name='notification_email',
            field=fields.CharEnumField(default=NotificationEmail.IMMEDIATE, description='IMMEDIATE: IMMEDIATE\nDAILY: DAILY\nOFF: OFF', enum_type=NotificationEmail, max_length=16),
        ),
        ops.AddField(
            model_name='User',
            name='last_digest_on',
            field=fields.DateField(null=True),
        ),
    ]
