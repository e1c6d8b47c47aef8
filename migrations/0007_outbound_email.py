from tortoise import migrations
from tortoise.migrations import operations as ops
from models.account import NotificationEmail
from models.mail import OutboundEmailStatus
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_stored_messages')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OutboundEmail',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('to_address', fields.CharField(max_length=254)),
                ('subject', fields.CharField(max_length=255)),
                ('text_body', fields.TextField(unique=False)),
                ('html_body', fields.TextField(unique=False)),
                ('language', fields.CharField(max_length=8)),
                ('message_id', fields.CharField(unique=True, max_length=128)),
                ('status', fields.CharEnumField(default=OutboundEmailStatus.QUEUED, description='QUEUED: QUEUED\nSENDING: SENDING\nSENT: SENT\nFAILED: FAILED', enum_type=OutboundEmailStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(null=True, max_length=1000)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbound_email', 'app': 'models', 'indexes': [Index(fields=['status', 'next_attempt_at'])], 'pk_attr': 'id', 'table_description': 'One message to one address. A sender claims it (SENDING, until `next_attempt_at`: the lease),'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='User',
            name='email',
            field=fields.CharField(null=True, max_length=254),
        ),
        ops.AddField(
            model_name='User',
            name='notification_email',
            field=fields.CharEnumField(default=NotificationEmail.IMMEDIATE, description='IMMEDIATE: IMMEDIATE\nOFF: OFF', enum_type=NotificationEmail, max_length=16),
        ),
    ]
