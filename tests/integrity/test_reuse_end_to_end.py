"""End to end (issue 15): three inspections in three bureaus, each with its own page of the same
printed sign-in sheet and its own person's certificate of the same layout, raise no reuse flag; a
screenshot of an earlier inspection's photo does."""

from __future__ import annotations

from tests.conversations.test_inspection import begin, records
from tests.integrity.corpus import certificate_card, form_page, framing, jpeg, photograph, png, screenshot
from tests.integrity.test_chat import photo, register_person
from storage.models import Evidence, IntegrityFlag
from storage.repositories.integrity import IntegrityRepo

BUREAUS = [("insp_cq", "城区", "城区甲煤业有限公司"), ("insp_zz", "泽州县", "泽州县乙煤业有限公司"),
           ("insp_gp", "高平市", "高平市丙化工有限公司")]


async def test_same_template_pages_and_certificates_are_not_reuse_but_a_screenshot_is(bot, tmp_path):
    sheets = [photograph(form_page("sign_in", 40 + i), framing(f"e2e-sheet{i}")) for i in range(3)]
    cards, holders = [], []
    for i in range(3):
        card, holder = certificate_card(40 + i)
        cards.append(photograph(card, framing(f"e2e-card{i}")))
        holders.append(holder)
    for i, (user, bureau, enterprise) in enumerate(BUREAUS):
        await bot.register(user, name=f"检查员{i}", bureau=bureau)
        await begin(bot, enterprise)
        reply = await bot.say(f"/photo {photo(tmp_path, f'sheet{i}', jpeg(sheets[i], 88))} 签到表")
        assert "照片已保存" in reply and "⚠️" not in reply
        # each holder as the card says (with the `ocr` extra the card's photo is read and checked)
        reply = await register_person(bot, holders[i]["name"], holders[i]["number"])
        assert "⚠️" not in reply
        reply = await bot.say(f"/photo {photo(tmp_path, f'card{i}', jpeg(cards[i], 88))}")
        assert "⚠️" not in reply
        await bot.say("暂停")
    assert await records(bot, IntegrityFlag) == []
    ids = [e.id for e in await records(bot, Evidence)]
    assert len(await bot.query(lambda r: IntegrityRepo(r.session).fingerprints(ids))) == len(ids) == 6

    # A fourth inspection passes off a screenshot of the second inspection's sign-in sheet.
    await bot.register("insp_yc", name="检查员3", bureau="阳城县")
    await begin(bot, "阳城县丁矿业有限公司")
    reply = await bot.say(f"/photo {photo(tmp_path, 'shot', png(screenshot(sheets[1])))}")
    assert f"⚠️ 这张照片与 2023-05-10 检查{BUREAUS[1][2]}时的照片几乎相同" in reply
    [flag] = await records(bot, IntegrityFlag)
    assert flag.kind == "photo_reused" and BUREAUS[1][2] in flag.reason
