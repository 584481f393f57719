import io

import pytest
from PIL import Image

from nichely.community import photos
from nichely.community.models import NotePhoto
from nichely.errors import Conflict, Forbidden


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (8, 8), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=kind, **save)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_supported_images_are_reencoded_in_their_own_format(kind):
    clean, found = photos.clean_image(image_bytes(kind), 1_000_000)
    assert found == kind
    assert Image.open(io.BytesIO(clean)).format == kind


def test_gps_metadata_is_stripped():
    # given a JPEG carrying EXIF GPS info
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}
    data = image_bytes("JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825) is not None
    # when it is cleaned, then no EXIF remains
    clean, _ = photos.clean_image(data, 1_000_000)
    assert not Image.open(io.BytesIO(clean)).getexif()


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"GIF89a not really", 415),
        (b"<?php echo 1; ?>", 415),
        (b"", 415),
        (image_bytes("GIF"), 415),
        (image_bytes("PNG")[:20], 415),
    ],
)
def test_non_images_and_other_formats_are_refused(data, status):
    with pytest.raises(photos.UnsupportedImage) as caught:
        photos.clean_image(data, 1_000_000)
    assert caught.value.status == status


def test_too_large_is_413():
    with pytest.raises(photos.TooLarge) as caught:
        photos.clean_image(image_bytes("PNG"), 10)
    assert caught.value.status == 413


def test_add_photo_stores_a_random_name_under_media(db, make_user, make_note, tmp_path):
    author = make_user()
    note = make_note(author=author)
    with db.write() as session:
        photo = photos.add_photo(session, author, note.id, image_bytes("PNG"), tmp_path, 1_000_000)
    assert photo.path.startswith("notes/")
    assert photo.path.endswith(".png")
    assert (tmp_path / photo.path).is_file()
    assert photos.photo_url(photo) == f"/media/{photo.path}"


def test_only_the_author_adds_photos(db, make_user, make_note, tmp_path):
    note = make_note()
    with pytest.raises(Forbidden), db.write() as session:
        photos.add_photo(session, make_user(), note.id, image_bytes(), tmp_path, 1_000_000)
    assert not (tmp_path / "notes").exists()


def test_at_most_nine_photos(db, make_user, make_note, tmp_path):
    author = make_user()
    note = make_note(author=author)
    for _ in range(9):
        with db.write() as session:
            photos.add_photo(session, author, note.id, image_bytes(), tmp_path, 1_000_000)
    with pytest.raises(Conflict, match="at most 9"), db.write() as session:
        photos.add_photo(session, author, note.id, image_bytes(), tmp_path, 1_000_000)
    with db.read() as session:
        assert [p.position for p in session.query(NotePhoto).order_by(NotePhoto.position)] == list(range(9))


def test_a_file_shared_by_two_notes_survives_until_the_last_one_lets_go(db, make_user, make_note, tmp_path):
    # given two notes showing the same stored file (as imported or demo notes do)
    author = make_user()
    first, second = make_note(author=author), make_note(author=author)
    with db.write() as session:
        photo = photos.add_photo(session, author, first.id, image_bytes("PNG"), tmp_path, 1_000_000)
        twin = NotePhoto(note_id=second.id, path=photo.path, content_type="image/png", position=0)
        session.add(twin)
        session.flush()
        twin_id = twin.id
    # when the first note drops it, the file stays for the second
    with db.write() as session:
        photos.remove_photo(session, author, first.id, photo.id, tmp_path)
    assert (tmp_path / photo.path).is_file()
    # and when the second drops it too, the file is gone
    with db.write() as session:
        photos.remove_photo(session, author, second.id, twin_id, tmp_path)
    assert not (tmp_path / photo.path).exists()
