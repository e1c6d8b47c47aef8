"""The schema comes from the migrations in `migrations/`, and they agree with the models."""

from __future__ import annotations

from tortoise import Tortoise, connections
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from cli import main, migrate
from database.connection import (
    INITIAL_MIGRATION,
    create_schema,
    open_database,
    pending_model_changes,
)
from i18n import speaking
from models import (
    Dues,
    Event,
    MembershipChange,
    Municipality,
    Notification,
    NotificationKind,
    Offering,
    OfferingRequest,
    OfferingRequestStatus,
    tortoise_config,
)
from resolvers.dues import note_of
from resolvers.membership import history_note
from resolvers.notification import message_of
from settings import PROJECT_ROOT, Settings
from tests.api.test_events import new_event
from tests.conftest import IS_POSTGRES, RUN_ID, opened_database, postgres_admin, postgres_url

# Every migration in migrations/, oldest first.
MIGRATIONS = sorted(path.stem for path in (PROJECT_ROOT / "migrations").glob("[0-9]*.py"))

# What 0006_stored_messages changes, undone: notifications as text, no note kinds.
STORED_MESSAGE_COLUMNS = (
    "ALTER TABLE notification ADD COLUMN message VARCHAR(500) NOT NULL DEFAULT ''",
    "ALTER TABLE notification DROP COLUMN params",
    "ALTER TABLE membership_change DROP COLUMN note_kind",
    "ALTER TABLE membership_change DROP COLUMN note_params",
    "ALTER TABLE dues DROP COLUMN carried_from_alliance",
)

# What 0013_offering_status_request_contact adds, undone: an offering's status, a request's contact.
OFFERING_STATUS_AND_CONTACT_COLUMNS = (
    "ALTER TABLE offering DROP COLUMN status",
    "ALTER TABLE offering_request DROP COLUMN contact_id",
)


async def applied() -> list[str]:
    rows = await connections.get("default").execute_query_dict("SELECT name FROM tortoise_migrations")
    return [row["name"] for row in rows]


async def test_the_models_and_the_migrations_agree(database_url):
    assert await pending_model_changes() == []


async def test_an_empty_database_is_built_by_the_migrations(tmp_path):
    async with opened_database(tmp_path, None):
        await create_schema()
        assert await applied() == MIGRATIONS
        await create_schema()
        assert await applied() == MIGRATIONS, "applying again changes nothing"


async def test_a_database_made_before_migrations_is_recorded_at_the_initial_one(tmp_path):
    async with opened_database(tmp_path, None):
        await Tortoise.generate_schemas(safe=True)
        # Such a database has the initial migration's tables, not what later migrations add.
        await connections.get("default").execute_script("DROP TABLE search_body_format")
        await connections.get("default").execute_script("DROP TABLE idempotency_key")
        await connections.get("default").execute_script("ALTER TABLE user_account DROP COLUMN language")
        for statement in STORED_MESSAGE_COLUMNS:
            await connections.get("default").execute_script(statement)
        for table in ("bulletin_attachment", "bulletin_delivery", "bulletin_unsubscribe"):
            await connections.get("default").execute_script(f"DROP TABLE {table}")
        await connections.get("default").execute_script("ALTER TABLE bulletin DROP COLUMN publish_at")
        await connections.get("default").execute_script("DROP TABLE outbound_email_attachment")
        await connections.get("default").execute_script("DROP TABLE stored_file")
        await connections.get("default").execute_script("DROP TABLE outbound_email")
        await connections.get("default").execute_script("ALTER TABLE user_account DROP COLUMN email")
        await connections.get("default").execute_script("ALTER TABLE user_account DROP COLUMN notification_email")
        for column in ("target_name", "target_name_en", "reason"):
            await connections.get("default").execute_script(f"ALTER TABLE audit_entry DROP COLUMN {column}")
        await connections.get("default").execute_script("ALTER TABLE proposal DROP COLUMN decline_message")
        for statement in OFFERING_STATUS_AND_CONTACT_COLUMNS:
            await connections.get("default").execute_script(statement)
        await connections.get("default").execute_script("DROP TABLE introduction")
        await connections.get("default").execute_script("DROP TABLE calendar_feed")
        for column in ("meeting_url", "sequence", "cancellation_reason"):
            await connections.get("default").execute_script(f"ALTER TABLE event DROP COLUMN {column}")
        await connections.get("default").execute_script("ALTER TABLE event_registration DROP COLUMN reminded_at")
        await connections.get("default").execute_script("DROP TABLE signing_key")
        await connections.get("default").execute_script("ALTER TABLE user_account DROP COLUMN last_digest_on")
        await create_schema()
        assert await applied() == MIGRATIONS, "recorded at the initial migration, then brought up to date"
        tables = await connections.get("default").execute_query_dict("SELECT COUNT(*) AS n FROM alliance")
        assert tables[0]["n"] == 0


def test_the_command_checks_the_models_against_the_migrations(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{tmp_path / 'check.sqlite3'}")

    assert main(["migrate", "--check"]) == 0
    assert "models and migrations agree" in capsys.readouterr().err


async def test_the_command_creates_a_missing_database_and_runs_again_on_an_existing_one(tmp_path):
    if IS_POSTGRES:
        name = f"tsunagu_migrate_{RUN_ID}"
        url = postgres_url(name)
    else:
        url = f"sqlite://{tmp_path / 'new.sqlite3'}"
    try:
        assert await migrate(Settings(database_url=url), check=False) == []
        assert await migrate(Settings(database_url=url), check=False) == [], "a second run succeeds"
        await open_database(url)
        try:
            assert await applied() == MIGRATIONS
        finally:
            await Tortoise.close_connections()
    finally:
        if IS_POSTGRES:
            await postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def at_initial_migration() -> None:
    apps = {"models": tortoise_config("")["apps"]["models"]}
    target = [MigrationTarget(app_label="models", name=INITIAL_MIGRATION)]
    await MigrationExecutor(connections.get("default"), apps).migrate(target)


async def test_notifications_stored_as_english_text_read_in_either_language_after_migrating(tmp_path):
    async with opened_database(tmp_path, None):
        await at_initial_migration()
        connection = connections.get("default")
        for message in ("A proposal 「見守り」 arrived for 「高齢者の見守り」.", "An older sentence nobody can parse."):
            await connection.execute_query(
                "INSERT INTO notification (created_at, kind, message, subject_type, subject_id) "
                "VALUES (CURRENT_TIMESTAMP, 'PROPOSAL_RECEIVED', '%s', 'Proposal', 1)" % message
            )

        await create_schema()

        recovered, kept = [message_of(n) for n in await Notification.all().order_by("id")]
        assert recovered.render("ja") == "名称不明のパートナーが「高齢者の見守り」に提案「見守り」を提出しました。"
        assert recovered.render("en") == (
            "Your challenge 「高齢者の見守り」 received the proposal 「見守り」 from a partner whose name is not known."
        ), "the proposal is gone: no partner to name"
        assert kept.render("ja") == kept.render("en") == "An older sentence nobody can parse."


OLD_HISTORY = (
    "INSERT INTO prefecture (id, code, name, name_kana, name_en, local_government_code) "
    "VALUES (27, '27', '大阪府', 'おおさかふ', 'Osaka', '270008')",
    "INSERT INTO municipality (id, code, name, name_kana, name_en, kind, prefecture_id) "
    "VALUES (1, '272256', '高石市', 'たかいしし', 'Takaishi City', 'CITY', 27)",
    "INSERT INTO alliance (id, slug, name, name_en) VALUES (1, 'old', '旧連合', 'Old Alliance')",
    "INSERT INTO alliance (id, slug, name, name_en, predecessor_id) VALUES (2, 'new', '新連合', 'New Alliance', 1)",
    "INSERT INTO membership (id, alliance_id, municipality_id, tier, status) VALUES (1, 1, 1, 'FULL', 'TRANSFERRED')",
    "INSERT INTO membership (id, alliance_id, municipality_id, tier, status) VALUES (2, 2, 1, 'FULL', 'ACTIVE')",
    "INSERT INTO membership_change (membership_id, kind, note, recorded_at) "
    "VALUES (1, 'STATUS_CHANGED', '旧連合 → 新連合', CURRENT_TIMESTAMP)",
    "INSERT INTO membership_change (membership_id, kind, note, recorded_at) "
    "VALUES (2, 'CARRIED_OVER', 'carried over from the predecessor alliance without dissolution', CURRENT_TIMESTAMP)",
    "INSERT INTO membership_change (membership_id, kind, note, recorded_at) "
    "VALUES (2, 'TIER_CHANGED', '理事会で決定', CURRENT_TIMESTAMP)",
    "INSERT INTO dues (id, membership_id, fiscal_year, amount, status) VALUES (1, 1, 2025, 80000, 'CARRIED_OVER')",
    "INSERT INTO dues (id, membership_id, fiscal_year, amount, status, carried_from_id, note) "
    "VALUES (2, 2, 2025, 80000, 'BILLED', 1, 'Carried over from 旧連合')",
)


async def test_history_and_dues_notes_the_service_wrote_read_in_either_language_after_migrating(tmp_path):
    async with opened_database(tmp_path, None):
        await at_initial_migration()
        for statement in OLD_HISTORY:
            await connections.get("default").execute_query(statement)

        await create_schema()

        changes = await MembershipChange.all().order_by("id")
        with speaking("ja"):
            assert [history_note(c) for c in changes] == ["旧連合 → 新連合", "前身の連合から解散を経ずに引き継ぎ", "理事会で決定"]
        with speaking("en"):
            assert [history_note(c) for c in changes] == [
                "Old Alliance → New Alliance",
                "carried over from the predecessor alliance without dissolution",
                "理事会で決定",
            ], "what a person wrote stays as written"
            assert note_of(await Dues.get(id=2)) == "Carried over from Old Alliance"
        with speaking("ja"):
            assert note_of(await Dues.get(id=2)) == "旧連合から繰越"


async def test_notifications_stored_before_they_named_anyone_name_them_after_migrating(sign_in):
    takaishi = await Municipality.get(code="272256")
    offering = await Offering.get(slug="kanko-yoho-demo-accounts")
    request = await OfferingRequest.create(
        offering=offering, partner_id=offering.partner_id, municipality=takaishi, status=OfferingRequestStatus.ACCEPTED
    )
    about_request = {"subject_type": "OfferingRequest", "subject_id": request.id}
    requested = await Notification.create(
        kind=NotificationKind.OFFERING_REQUESTED, partner_id=offering.partner_id, params={"offering": offering.title},
        **about_request,
    )
    answered = await Notification.create(
        kind=NotificationKind.OFFERING_REQUEST_ANSWERED, municipality_id=takaishi.id,
        params={"status": {"enum": "OfferingRequestStatus", "value": "ACCEPTED"}}, **about_request,
    )
    gone = await Notification.create(
        kind=NotificationKind.PROPOSAL_RECEIVED, municipality_id=takaishi.id,
        params={"proposal": "見守り", "challenge": "高齢者の見守り"}, subject_type="Proposal", subject_id=999_999,
    )
    await new_event(await sign_in("ADMIN"), partnerSlug="sompo-holdings")
    event = await Event.get(title="防災DXセミナー")
    cancelled = await Notification.create(
        kind=NotificationKind.EVENT_CANCELLED, municipality_id=takaishi.id,
        params={"event": event.title, "change": "without_reason"}, subject_type="Event", subject_id=event.id,
    )
    connection = connections.get("default")
    await connection.execute_query("DELETE FROM tortoise_migrations WHERE name = '0017_notification_names'")

    await create_schema()

    assert await applied() == MIGRATIONS
    requested, answered, gone, cancelled = [
        await Notification.get(id=n.id) for n in (requested, answered, gone, cancelled)
    ]
    assert message_of(requested).render("ja") == f"高石市から「{offering.title}」の依頼がありました。"
    assert message_of(requested).render("en") == f"Your offering 「{offering.title}」 was requested by Takaishi City."
    assert message_of(answered).render("ja") == f"観光予報プラットフォーム推進協議会が「{offering.title}」の依頼に回答しました：承諾。"
    assert message_of(answered).render("en") == (
        f"Your request for 「{offering.title}」 was answered by Tourism Forecast Platform Promotion Council: Accepted."
    )
    assert message_of(gone).render("ja") == "名称不明のパートナーが「高齢者の見守り」に提案「見守り」を提出しました。"
    assert gone.params == {"proposal": "見守り", "challenge": "高齢者の見守り"}, "nothing to find: left as it was"
    assert message_of(cancelled).render("en") == (
        "The event “防災DXセミナー” organised by Sompo Holdings, Inc., which you registered for, is cancelled."
    )
