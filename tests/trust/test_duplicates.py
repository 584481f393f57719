"""Near-duplicates: MinHash LSH over normalised shingles, full rebuild and incremental insert."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash

from nichely.trust import duplicates
from nichely.trust.duplicates import find_groups, shingles, signatures

EN = (
    "I run about 6:10/km on easy days and weigh 84 kg. These shoes are roomy in the toe box and the heel "
    "stays put. After 200 km the sole still grips on wet rock. Verdict: keep them for long easy runs."
)
ZH = "我是宽脚，平时穿41码，这双鞋前掌很宽松，跑了两百公里鞋底还很抓地，下雨天也不滑，推荐给宽脚的朋友。"
ES = (
    "Tengo el pie ancho (un 39, casi 4E) y estas zapatillas no me aprietan nada. Después de 150 km la suela "
    "sigue agarrando en roca mojada y el talón no se mueve. Las volvería a comprar sin dudar."
)
OTHER = "A baby carrier that fits small parents, keeps the baby warm on cold walks and folds into a tote bag."


def test_signatures_are_datasketch_minhashes():
    sig = signatures([EN])[0]
    m = MinHash(num_perm=duplicates.NUM_PERM, seed=duplicates.SEED)
    m.update_batch([s.encode() for s in shingles(EN)])
    assert np.array_equal(sig, m.hashvalues)


def test_chinese_uses_character_shingles_and_others_word_shingles():
    assert all(len(s) == 3 and " " not in s for s in shingles(ZH))
    assert all(len(s.split()) == 3 for s in shingles(ES))


def test_lightly_edited_copies_are_grouped_in_every_language():
    # given originals, copies with a nudged number and an added closing phrase, and unrelated notes
    texts = [
        EN,
        ZH,
        ES,
        OTHER,
        EN.replace("84", "86") + " Totally recommend.",
        ZH.replace("41", "42") + "，真心推荐。",
        ES.replace("150", "152") + " Lo recomiendo.",
        "",
    ]
    groups = find_groups(signatures(texts))
    # then each copy is grouped with its original, and nothing else is
    assert sorted(g.members for g in groups) == [[0, 4], [1, 5], [2, 6]]
    assert all(g.similarity >= duplicates.THRESHOLD for g in groups)


def test_incremental_insert_finds_the_earlier_note(db, make_note):
    # given an indexed note
    first = make_note(title="Wide trail runner", body=EN)
    other = make_note(title="Carrier", body=OTHER)
    with db.write() as session:
        assert duplicates.add_note(session, first.id, first.title, first.body) == []
        assert duplicates.add_note(session, other.id, other.title, other.body) == []
    # when a lightly edited copy arrives
    copy = make_note(title="Wide trail runner", body=EN.replace("200", "210") + "!!")
    with db.write() as session:
        matches = duplicates.add_note(session, copy.id, copy.title, copy.body)
    # then it matches the original only
    assert [m.note_id for m in matches] == [first.id]
    assert matches[0].similarity >= duplicates.THRESHOLD


def test_copy_posted_through_the_api_is_flagged_against_the_original(client, db, make_user, make_token):
    original = client.post(
        "/api/v1/notes", headers=make_token(make_user()), json={"title": "Trail", "body": ES}
    )
    copy = client.post(
        "/api/v1/notes", headers=make_token(make_user()), json={"title": "Trail", "body": ES + " 10/10"}
    )
    from sqlalchemy import select

    from nichely.trust.models import TrustFlag

    with db.read() as session:
        flag = session.scalar(select(TrustFlag).where(TrustFlag.subject_id == copy.json()["id"]))
    assert flag is not None
    assert flag.kind == "near_duplicate"
    assert flag.group_key == f"duplicates:{original.json()['id']}"
    assert f"of note #{original.json()['id']}" in flag.reasons[0]
