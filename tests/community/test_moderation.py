import pytest

from nichely.catalog.models import Product
from nichely.community import moderation
from nichely.community import service as community
from nichely.community.models import ModerationAction, Note, Report
from nichely.errors import Conflict, Forbidden, InvalidInput, NotFound


def test_reporting_twice_keeps_one_open_report(db, make_user, make_note):
    note = make_note()
    reader = make_user()
    with db.write() as session:
        first = moderation.report_note(session, reader, note.id, "fake review")
    with db.write() as session:
        second = moderation.report_note(session, reader, note.id, "still fake")
    assert first.id == second.id
    with db.read() as session:
        assert session.query(Report).count() == 1


def test_a_report_needs_a_reason(db, make_user, make_note):
    note = make_note()
    with pytest.raises(InvalidInput, match="reason must not be empty"), db.write() as session:
        moderation.report_note(session, make_user(), note.id, "  ")


def test_hiding_writes_the_audit_row_resolves_reports_and_recounts(
    db, make_user, make_note, make_moderator, make_product
):
    # given a reported note on a product
    product = make_product()
    note = make_note(products=[product])
    first, second = make_user(), make_user()
    with db.write() as session:
        moderation.report_note(session, first, note.id, "spam")
        moderation.report_note(session, second, note.id, "ad")
    moderator = make_moderator()
    # when a moderator hides it
    with db.write() as session:
        action = moderation.hide_note(session, moderator, note.id, "undisclosed ad")
    # then the note is hidden, both reports resolved, the audit row says who and why
    with db.read() as session:
        assert session.get(Note, note.id).status == "hidden"
        assert {r.status for r in session.query(Report)} == {"resolved"}
        logged = session.get(ModerationAction, action.id)
        assert (logged.moderator_id, logged.action, logged.reason) == (
            moderator.id,
            "hide_note",
            "undisclosed ad",
        )
        assert session.get(Product, product.id).note_count == 0
        assert community.list_notes(session).items == []
        assert moderation.moderation_queue(session, moderator).items == []


def test_restoring_brings_a_hidden_note_back(db, make_note, make_moderator, make_product):
    product = make_product()
    note = make_note(products=[product])
    moderator = make_moderator()
    with db.write() as session:
        moderation.hide_note(session, moderator, note.id, "check")
    with db.write() as session:
        moderation.restore_note(session, moderator, note.id, "checked, fine")
    with db.read() as session:
        assert session.get(Note, note.id).status == "published"
        assert session.get(Product, product.id).note_count == 1
        assert [a.action for a in moderation.moderation_log(session, moderator).items] == [
            "restore_note",
            "hide_note",
        ]


def test_moderators_do_not_restore_what_an_author_deleted(db, make_note, make_moderator):
    note = make_note(status="deleted")
    with pytest.raises(Conflict, match="is deleted, not hidden"), db.write() as session:
        moderation.restore_note(session, make_moderator(), note.id, "undo")


def test_non_moderators_may_not_hide_restore_or_read_the_queue(db, make_user, make_note):
    note = make_note()
    creator = make_user(roles=["creator"])
    with pytest.raises(Forbidden), db.write() as session:
        moderation.hide_note(session, creator, note.id, "I dislike it")
    with pytest.raises(Forbidden), db.read() as session:
        moderation.moderation_queue(session, creator)
    with db.read() as session:
        assert session.get(Note, note.id).status == "published"


def test_queue_shows_open_reports_with_their_notes(db, make_user, make_note, make_moderator):
    note = make_note(title="Suspicious")
    reporter = make_user()
    with db.write() as session:
        moderation.report_note(session, reporter, note.id, "paid review")
    with db.read() as session:
        entries = moderation.moderation_queue(session, make_moderator()).items
    assert [(e.note.title, e.reporter.id, e.report.reason) for e in entries] == [
        ("Suspicious", reporter.id, "paid review")
    ]


def test_dismissing_a_report_leaves_the_note_alone(db, make_user, make_note, make_moderator):
    note = make_note()
    with db.write() as session:
        report = moderation.report_note(session, make_user(), note.id, "meh")
    with db.write() as session:
        moderation.dismiss_report(session, make_moderator(), report.id)
    with db.read() as session:
        assert session.get(Report, report.id).status == "dismissed"
        assert session.get(Note, note.id).status == "published"


def test_hidden_notes_cannot_be_reported_by_strangers(db, make_user, make_note):
    note = make_note(status="hidden")
    with pytest.raises(NotFound), db.write() as session:
        moderation.report_note(session, make_user(), note.id, "x")
