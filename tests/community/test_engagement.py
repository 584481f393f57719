from concurrent.futures import ThreadPoolExecutor

import pytest

from nichely.activity.models import Event
from nichely.community import engagement
from nichely.community.models import Comment, Note, Reaction
from nichely.errors import Forbidden, InvalidInput, NotFound


def _counts(db, note_id):
    with db.read() as session:
        note = session.get(Note, note_id)
        return note.like_count, note.save_count, note.comment_count


def test_liking_twice_is_one_like_and_one_event(db, make_user, make_note):
    # given a note and a reader
    note = make_note()
    reader = make_user()
    # when the reader likes it twice
    with db.write() as session:
        first = engagement.react(session, reader, note.id, "like")
    with db.write() as session:
        second = engagement.react(session, reader, note.id, "like")
    # then there is one reaction, one like counted and one event
    assert (first.changed, second.changed) == (True, False)
    assert _counts(db, note.id) == (1, 0, 0)
    with db.read() as session:
        assert session.query(Reaction).count() == 1
        assert session.query(Event).filter_by(kind="like", target_id=note.id).count() == 1


def test_like_and_save_are_counted_separately_and_taken_back(db, make_user, make_note):
    note = make_note()
    reader = make_user()
    with db.write() as session:
        engagement.react(session, reader, note.id, "like")
        engagement.react(session, reader, note.id, "save")
    assert _counts(db, note.id) == (1, 1, 0)
    # when the like is taken back twice
    with db.write() as session:
        assert engagement.unreact(session, reader, note.id, "like").changed is True
        assert engagement.unreact(session, reader, note.id, "like").changed is False
    # then only the save remains
    assert _counts(db, note.id) == (0, 1, 0)


def test_many_readers_each_add_one(db, make_user, make_note):
    note = make_note()
    for _ in range(4):
        reader = make_user()
        with db.write() as session:
            engagement.react(session, reader, note.id, "save")
    assert _counts(db, note.id) == (0, 4, 0)


def test_unknown_reaction_kind_is_refused(db, make_user, make_note):
    note = make_note()
    with pytest.raises(InvalidInput, match="kind must be one of"), db.write() as session:
        engagement.react(session, make_user(), note.id, "love")


def test_hidden_notes_take_no_reactions_or_comments(db, make_user, make_note):
    note = make_note(status="hidden")
    reader = make_user()
    with pytest.raises(NotFound), db.write() as session:
        engagement.react(session, reader, note.id, "like")
    with pytest.raises(NotFound), db.write() as session:
        engagement.add_comment(session, reader, note.id, "hello")


def test_comment_bumps_the_count_and_logs_an_event(db, make_user, make_note):
    note = make_note()
    reader = make_user()
    with db.write() as session:
        comment = engagement.add_comment(session, reader, note.id, "  Which size did you take?  ")
    assert comment.body == "Which size did you take?"
    assert _counts(db, note.id) == (0, 0, 1)
    with db.read() as session:
        assert session.query(Event).filter_by(kind="comment", user_id=reader.id).count() == 1


@pytest.mark.parametrize(("body", "message"), [("", "must not be empty"), ("x" * 2001, "at most 2000")])
def test_comment_length_is_bounded(db, make_user, make_note, body, message):
    note = make_note()
    with pytest.raises(InvalidInput, match=message), db.write() as session:
        engagement.add_comment(session, make_user(), note.id, body)
    assert _counts(db, note.id) == (0, 0, 0)


@pytest.mark.parametrize("who", ["comment author", "note author", "moderator"])
def test_who_may_delete_a_comment(db, make_user, make_note, who):
    # given a comment by a reader on someone's note
    author = make_user()
    commenter = make_user()
    note = make_note(author=author)
    with db.write() as session:
        comment = engagement.add_comment(session, commenter, note.id, "nice")
    deleter = {
        "comment author": commenter,
        "note author": author,
        "moderator": make_user(roles=["moderator"]),
    }[who]
    # when that person deletes it
    with db.write() as session:
        engagement.delete_comment(session, deleter, comment.id)
    # then it is gone from the list and the count
    with db.read() as session:
        assert engagement.list_comments(session, note.id, None).items == []
        assert session.get(Comment, comment.id).status == "deleted"
    assert _counts(db, note.id) == (0, 0, 0)


def test_a_stranger_may_not_delete_a_comment(db, make_user, make_note):
    note = make_note()
    with db.write() as session:
        comment = engagement.add_comment(session, make_user(), note.id, "nice")
    with pytest.raises(Forbidden), db.write() as session:
        engagement.delete_comment(session, make_user(), comment.id)
    assert _counts(db, note.id) == (0, 0, 1)


def test_concurrent_reactions_lose_no_increment_and_never_double_count(db, make_user, make_note):
    # given a note, six readers, and one reader who double-taps four times at once
    note = make_note()
    readers = [make_user() for _ in range(6)]
    eager = make_user()

    def like(user):
        with db.write() as session:
            return engagement.react(session, user, note.id, "like").changed

    # when all of them like the note in parallel
    with ThreadPoolExecutor(max_workers=5) as pool:
        changed = list(pool.map(like, readers + [eager] * 4))
    # then every distinct reader counted once, and the double-taps once in total
    assert changed[:6] == [True] * 6
    assert sum(changed[6:]) == 1
    assert _counts(db, note.id) == (7, 0, 0)
    with db.read() as session:
        assert session.query(Reaction).count() == 7
