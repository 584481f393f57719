"""Photos on notes: checked by decoding them, re-encoded without metadata, stored under random names.

The uploader's file name and declared content type are ignored: Pillow decides what the bytes are.
Re-encoding drops EXIF (phone photos carry GPS coordinates of people's homes) and anything
smuggled after the image data, so what we serve under /media is only ever a plain image.
"""

from __future__ import annotations

import io
import secrets
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.community.models import Note, NotePhoto
from nichely.community.service import require_own_note
from nichely.errors import Conflict, InvalidInput, NotFound
from nichely.storage.ids import get_by_id

MAX_PHOTOS = 9
MEDIA_PREFIX = "/media/"
PHOTO_DIR = "notes"
# Pillow format name -> (file extension, content type); the registry is also the error text.
FORMATS = {"JPEG": (".jpg", "image/jpeg"), "PNG": (".png", "image/png"), "WEBP": (".webp", "image/webp")}


class TooLarge(InvalidInput):
    status = 413
    title = "Payload too large"


class UnsupportedImage(InvalidInput):
    status = 415
    title = "Unsupported media type"


def photo_url(photo: NotePhoto) -> str:
    """Where a stored photo is served."""
    return MEDIA_PREFIX + photo.path


def clean_image(data: bytes, max_bytes: int) -> tuple[bytes, str]:
    """Decode, check and re-encode an upload; returns the clean bytes and the Pillow format name."""
    if len(data) > max_bytes:
        raise TooLarge(f"the photo is larger than {max_bytes} bytes", max_bytes=max_bytes)
    if not data:
        raise UnsupportedImage("the upload is empty")
    try:
        with warnings.catch_warnings():
            # A decompression bomb is refused like any other bad image, not merely warned about.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format or ""
                probe.verify()
            if kind not in FORMATS:
                raise UnsupportedImage(
                    f"photos must be one of {sorted(FORMATS)}, got {kind or 'an unknown format'}"
                )
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                if kind == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
                    upright = upright.convert("RGB")
                out = io.BytesIO()
                options = {"quality": 90} if kind in ("JPEG", "WEBP") else {}
                upright.save(out, format=kind, **options)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise UnsupportedImage(f"the upload is not a readable image; send one of {sorted(FORMATS)}") from None
    return out.getvalue(), kind


def add_photo(
    session: Session, user: User, note_id: int, data: bytes, media_dir: Path, max_bytes: int
) -> NotePhoto:
    """Attach a photo to a note its author wrote; at most MAX_PHOTOS per note."""
    require_own_note(session, note_id, user)
    clean, kind = clean_image(data, max_bytes)
    # Lock the note row (PostgreSQL; SQLite writers are already serial) so two uploads cannot both be the 10th.
    session.execute(select(Note.id).where(Note.id == note_id).with_for_update())
    count, last = session.execute(
        select(func.count(NotePhoto.id), func.max(NotePhoto.position)).where(NotePhoto.note_id == note_id)
    ).one()
    if count >= MAX_PHOTOS:
        raise Conflict(f"a note may have at most {MAX_PHOTOS} photos")
    ext, content_type = FORMATS[kind]
    relative = f"{PHOTO_DIR}/{secrets.token_urlsafe(18)}{ext}"
    photo = NotePhoto(
        note_id=note_id, path=relative, content_type=content_type, position=(last + 1 if count else 0)
    )
    session.add(photo)
    session.flush()
    target = media_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written last: if the file cannot be written the row rolls back with the request.
    target.write_bytes(clean)
    return photo


def remove_photo(session: Session, user: User, note_id: int, photo_id: int, media_dir: Path) -> None:
    """Take a photo off a note its author wrote; delete the file once no note shows it any more."""
    require_own_note(session, note_id, user)
    photo = get_by_id(session, NotePhoto, photo_id)
    if photo is None or photo.note_id != note_id:
        raise NotFound(f"photo {photo_id} is not on note {note_id}")
    session.delete(photo)
    session.flush()
    # Imported and demo notes may share one file; only the last reference removes it.
    still_used = session.scalar(select(NotePhoto.id).where(NotePhoto.path == photo.path).limit(1))
    if still_used is None:
        (media_dir / photo.path).unlink(missing_ok=True)
