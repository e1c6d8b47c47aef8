from tortoise import migrations
from tortoise.migrations import operations as ops
from models.partner import OfferingStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0012_cocreation')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Offering',
            name='status',
            field=fields.CharEnumField(default=OfferingStatus.ACTIVE, description='ACTIVE: ACTIVE\nPAUSED: PAUSED\nWITHDRAWN: WITHDRAWN', enum_type=OfferingStatus, max_length=16),
        ),
        ops.AddField(
            model_name='OfferingRequest',
            name='contact',
            field=fields.ForeignKeyField('models.Contact', source_field='contact_id', null=True, db_constraint=True, to_field='id', related_name='offering_requests', on_delete=OnDelete.RESTRICT),
        ),
    ]
