from tortoise import migrations
from tortoise.migrations import operations as ops
from models.introduction import IntroductionStatus
from models.notification import NotificationKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0013_offering_status_request_contact')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Introduction',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('requester', fields.ForeignKeyField('models.Municipality', source_field='requester_id', db_constraint=True, to_field='id', related_name='introductions_sent', on_delete=OnDelete.RESTRICT)),
                ('peer', fields.ForeignKeyField('models.Municipality', source_field='peer_id', db_constraint=True, to_field='id', related_name='introductions_received', on_delete=OnDelete.RESTRICT)),
                ('message', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(description='REQUESTED: REQUESTED\nACCEPTED: ACCEPTED\nDECLINED: DECLINED', enum_type=IntroductionStatus, max_length=16)),
                ('requested_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'introduction', 'app': 'models', 'indexes': [Index(fields=['requester_id', 'status']), Index(fields=['peer_id', 'status'])], 'pk_attr': 'id', 'table_description': 'Private to the two municipalities and the secretariat. Once accepted, each sees the'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='PROPOSAL_RECEIVED: PROPOSAL_RECEIVED\nPROPOSAL_SHORTLISTED: PROPOSAL_SHORTLISTED\nPROPOSAL_SELECTED: PROPOSAL_SELECTED\nPROPOSAL_NOT_SELECTED: PROPOSAL_NOT_SELECTED\nPROJECT_PHASE_CHANGED: PROJECT_PHASE_CHANGED\nWAITLIST_PROMOTED: WAITLIST_PROMOTED\nOFFERING_REQUESTED: OFFERING_REQUESTED\nOFFERING_REQUEST_ANSWERED: OFFERING_REQUEST_ANSWERED\nBULLETIN_PUBLISHED: BULLETIN_PUBLISHED\nPROCUREMENT_CLOSED: PROCUREMENT_CLOSED\nMEMBERSHIP_DECIDED: MEMBERSHIP_DECIDED\nINTRODUCTION_REQUESTED: INTRODUCTION_REQUESTED\nINTRODUCTION_ANSWERED: INTRODUCTION_ANSWERED', enum_type=NotificationKind, max_length=32),
        ),
    ]
