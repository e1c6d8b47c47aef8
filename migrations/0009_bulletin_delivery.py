from tortoise import migrations
from tortoise.migrations import operations as ops
from models.bulletin import BulletinStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0008_email_attachments')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BulletinAttachment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bulletin', fields.ForeignKeyField('models.Bulletin', source_field='bulletin_id', db_constraint=True, to_field='id', related_name='attachments', on_delete=OnDelete.CASCADE)),
                ('file', fields.ForeignKeyField('models.StoredFile', source_field='file_id', db_constraint=True, to_field='id', related_name='bulletin_attachments', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'bulletin_attachment', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A file (PDF, PNG or JPEG, checked by its content) attached to a bulletin, in the order added.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BulletinDelivery',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bulletin', fields.ForeignKeyField('models.Bulletin', source_field='bulletin_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.RESTRICT)),
                ('contact', fields.ForeignKeyField('models.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='bulletin_deliveries', on_delete=OnDelete.RESTRICT)),
                ('email', fields.ForeignKeyField('models.OutboundEmail', source_field='email_id', db_constraint=True, to_field='id', related_name='bulletin_deliveries', on_delete=OnDelete.RESTRICT)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
            ],
            options={'table': 'bulletin_delivery', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The bulletin emailed to one contact: the outbox row that carries it, and the hash of the'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BulletinUnsubscribe',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('address', fields.CharField(unique=True, max_length=254)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'bulletin_unsubscribe', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An address that asked for no more bulletins (RFC 8058 one-click, or the page it links to).'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Bulletin',
            name='status',
            field=fields.CharEnumField(default=BulletinStatus.DRAFT, description='DRAFT: DRAFT\nSCHEDULED: SCHEDULED\nPUBLISHED: PUBLISHED', enum_type=BulletinStatus, max_length=16),
        ),
        ops.AddField(
            model_name='Bulletin',
            name='publish_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
