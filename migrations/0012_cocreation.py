from tortoise import migrations
from tortoise.migrations import operations as ops
from models.notification import NotificationKind
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0011_audit_reason_and_target_name')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='PROPOSAL_RECEIVED: PROPOSAL_RECEIVED\nPROPOSAL_SHORTLISTED: PROPOSAL_SHORTLISTED\nPROPOSAL_SELECTED: PROPOSAL_SELECTED\nPROPOSAL_NOT_SELECTED: PROPOSAL_NOT_SELECTED\nPROJECT_PHASE_CHANGED: PROJECT_PHASE_CHANGED\nPROPOSAL_DECLINED: PROPOSAL_DECLINED\nPROPOSAL_UPDATED: PROPOSAL_UPDATED\nCHALLENGE_REVIEWED: CHALLENGE_REVIEWED\nWAITLIST_PROMOTED: WAITLIST_PROMOTED\nOFFERING_REQUESTED: OFFERING_REQUESTED\nOFFERING_REQUEST_ANSWERED: OFFERING_REQUEST_ANSWERED\nBULLETIN_PUBLISHED: BULLETIN_PUBLISHED\nPROCUREMENT_CLOSED: PROCUREMENT_CLOSED', enum_type=NotificationKind, max_length=32),
        ),
        ops.AddField(
            model_name='Proposal',
            name='decline_message',
            field=fields.TextField(null=True, unique=False),
        ),
    ]
