import pytest

from nichely.activity.models import Event
from nichely.community import collections, people
from nichely.errors import Conflict, Forbidden, InvalidInput, NotFound


def test_collection_holds_published_notes_only(db, make_user, make_note):
    # given a collection with two notes, one later hidden
    owner = make_user()
    kept, later_hidden = make_note(), make_note()
    with db.write() as session:
        shelf = collections.create_collection(session, owner, name="Trail kit")
        collections.add_to_collection(session, owner, shelf.id, kept.id)
        collections.add_to_collection(session, owner, shelf.id, later_hidden.id)
    with db.write() as session:
        from nichely.community.models import Note

        session.get(Note, later_hidden.id).status = "hidden"
    # when anyone views it, then only the published note shows and is counted
    with db.read() as session:
        view = collections.collection_view(session, shelf.id, None)
        assert [n.id for n in view.notes] == [kept.id]
        assert view.note_count == 1


def test_adding_twice_is_one_item_and_removing_is_idempotent(db, make_user, make_note):
    owner = make_user()
    note = make_note()
    with db.write() as session:
        shelf = collections.create_collection(session, owner, name="x")
        assert collections.add_to_collection(session, owner, shelf.id, note.id) is True
        assert collections.add_to_collection(session, owner, shelf.id, note.id) is False
        assert collections.remove_from_collection(session, owner, shelf.id, note.id) is True
        assert collections.remove_from_collection(session, owner, shelf.id, note.id) is False


def test_private_collections_do_not_exist_for_others(db, make_user):
    owner, other = make_user(), make_user()
    with db.write() as session:
        secret = collections.create_collection(session, owner, name="Gifts", is_public=False)
    with db.read() as session:
        with pytest.raises(NotFound):
            collections.collection_view(session, secret.id, other)
        assert collections.list_collections(session, owner.id, other) == []
        assert [c.id for c, _ in collections.list_collections(session, owner.id, owner)] == [secret.id]


def test_others_may_not_change_a_public_collection(db, make_user, make_note):
    owner, other = make_user(), make_user()
    note = make_note()
    with db.write() as session:
        shelf = collections.create_collection(session, owner, name="Open")
    with pytest.raises(Forbidden), db.write() as session:
        collections.add_to_collection(session, other, shelf.id, note.id)


def test_collection_names_are_required_and_unique_per_owner(db, make_user):
    owner = make_user()
    with db.write() as session:
        collections.create_collection(session, owner, name="Shoes")
    with pytest.raises(Conflict), db.write() as session:
        collections.create_collection(session, owner, name=" Shoes ")
    with pytest.raises(InvalidInput), db.write() as session:
        collections.create_collection(session, owner, name="")
    with db.write() as session:
        collections.create_collection(session, make_user(), name="Shoes")


def test_follow_logs_an_event_once_and_counts(db, make_user):
    fan, star = make_user(), make_user()
    with db.write() as session:
        assert people.follow_user(session, fan, star.id) is True
    with db.write() as session:
        assert people.follow_user(session, fan, star.id) is False
    with db.read() as session:
        profile = people.profile(session, star.id, fan)
        assert (profile.user.follower_count, profile.followed_by_me, profile.follows_me) == (1, True, False)
        assert session.query(Event).filter_by(kind="follow", target_id=star.id).count() == 1
        assert [u.id for u in people.list_followers(session, star.id).items] == [fan.id]
        assert [u.id for u in people.list_following(session, fan.id).items] == [star.id]
    with db.write() as session:
        assert people.unfollow_user(session, fan, star.id) is True
    with db.read() as session:
        assert people.profile(session, star.id, fan).user.follower_count == 0


def test_profile_languages_must_be_known(db, make_user):
    me = make_user()
    with pytest.raises(InvalidInput, match="unknown languages"), db.write() as session:
        people.update_my_profile(session, me, languages=["zh", "fr"])
