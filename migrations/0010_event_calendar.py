from tortoise import migrations
from tortoise.migrations import operations as ops
from models.notification import NotificationKind
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0009_bulletin_delivery')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', unique=True, db_constraint=True, to_field='id', related_name='calendar_feed', on_delete=OnDelete.CASCADE)),
                ('digest', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'calendar_feed', 'app': 'models', 'pk_attr': 'id', 'table_description': "A user's secret calendar-feed address: a calendar app cannot sign in, so the URL carries a"},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Event',
            name='cancellation_reason',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='Event',
            name='meeting_url',
            field=fields.CharField(null=True, max_length=500),
        ),
        ops.AddField(
            model_name='Event',
            name='sequence',
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name='EventRegistration',
            name='reminded_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='PROPOSAL_RECEIVED: PROPOSAL_RECEIVED\nPROPOSAL_SHORTLISTED: PROPOSAL_SHORTLISTED\nPROPOSAL_SELECTED: PROPOSAL_SELECTED\nPROPOSAL_NOT_SELECTED: PROPOSAL_NOT_SELECTED\nPROJECT_PHASE_CHANGED: PROJECT_PHASE_CHANGED\nWAITLIST_PROMOTED: WAITLIST_PROMOTED\nOFFERING_REQUESTED: OFFERING_REQUESTED\nOFFERING_REQUEST_ANSWERED: OFFERING_REQUEST_ANSWERED\nBULLETIN_PUBLISHED: BULLETIN_PUBLISHED\nPROCUREMENT_CLOSED: PROCUREMENT_CLOSED\nEVENT_UPDATED: EVENT_UPDATED\nEVENT_CANCELLED: EVENT_CANCELLED', enum_type=NotificationKind, max_length=32),
        ),
    ]
