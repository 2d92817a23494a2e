"""The bundled campaign is the seed notice, word for word; broken campaign files are refused."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.campaign import CampaignError, load_campaign
from bot.config import BUNDLED_CAMPAIGN

SEED = Path(__file__).parent.parent / "fixtures" / "seed_notice.txt"


def seed_checklist() -> list[dict]:
    """The rows of 附件1 as the notice prints them: 序号, 项目, 检查内容, 具体要求, 检查方式."""
    rows = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 5 and cells[0] in ("一", "二", "三"):
            reqs = re.split(r"(?:^|\s|<p>)([1-9])\.(?=\D)", cells[3].strip())
            texts = [re.sub(r"</?p>", "", t).strip() for t in reqs[2::2]]
            rows.append({"seq": cells[0], "title": cells[1], "content": cells[2], "requirements": texts,
                         "method": cells[4]})
    return rows


def test_bundled_campaign_has_the_seed_checklist_word_for_word():
    campaign = load_campaign(BUNDLED_CAMPAIGN)
    seed = seed_checklist()
    assert len(seed) == 3 and len(campaign.checklist.items) == 3
    for item, row in zip(campaign.checklist.items, seed):
        assert item.seq == row["seq"]
        assert item.title == row["title"]
        assert " ".join(item.content) == row["content"]
        assert item.method == row["method"]
        assert [r.text for r in item.requirements] == row["requirements"]
    assert len(campaign.requirements) == 9
    assert campaign.checklist.title in SEED.read_text(encoding="utf-8")


def test_bundled_campaign_holds_the_notice_facts():
    c = load_campaign(BUNDLED_CAMPAIGN)
    assert (c.period.start.isoformat(), c.period.end.isoformat()) == ("2023-05-04", "2023-06-04")
    assert c.report_deadline.isoformat() == "2023-06-10"
    assert c.target_industries == ["煤矿", "非煤矿山", "危险化学品", "金属冶炼"]
    assert (c.quotas.county.enterprises, c.quotas.city.enterprises) == (10, 6)
    assert (c.quotas.county.typical_cases, c.quotas.city.typical_cases) == (1, 1)
    assert [b.short for b in c.bureaus] == ["市局", "城区", "泽州县", "高平市", "阳城县", "陵川县", "沁水县"]
    assert [b.level for b in c.bureaus].count("city") == 1
    assert {b.article for b in c.legal_basis.values()} == {
        f"第九十七条第（{n}）项" for n in ("二", "三", "四", "七")}
    assert all("2021年修正" in b.law for b in c.legal_basis.values())
    assert {c.legal_basis[r.legal_basis].article for r in c.requirements} >= {"第九十七条第（三）项",
                                                                              "第九十七条第（四）项"}
    # The document number and the quoted text come from the notice itself.
    seed = SEED.read_text(encoding="utf-8")
    assert c.document_no in seed and "2023年6月10日前" in seed


def _broken(tmp_path: Path, mutate) -> Path:
    raw = yaml.safe_load(BUNDLED_CAMPAIGN.read_text(encoding="utf-8"))
    mutate(raw)
    path = tmp_path / "campaign.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("mutate, field", [
    (lambda r: r["period"].update(end="2023-04-01"), "period"),
    (lambda r: r.pop("quotas"), "quotas"),
    (lambda r: r["checklist"]["items"][0]["requirements"][0].update(legal_basis="nope"), "legal_basis"),
    (lambda r: r["checklist"]["items"][1]["requirements"][0].pop("text"), "checklist.items.1.requirements.0.text"),
    (lambda r: r["quotas"]["county"].update(enterprises=-1), "quotas.county.enterprises"),
    (lambda r: r.update(report_deadline="not a date"), "report_deadline"),
])
def test_broken_campaign_is_refused_naming_file_and_field(tmp_path, mutate, field):
    path = _broken(tmp_path, mutate)
    with pytest.raises(CampaignError) as err:
        load_campaign(path)
    assert str(path) in str(err.value) and field in str(err.value)


def test_another_campaign_file_needs_no_code_change(tmp_path):
    path = _broken(tmp_path, lambda r: (r.update(id="jincheng-2024", period={"start": "2024-05-01",
                                                                              "end": "2024-05-31"},
                                                 report_deadline="2024-06-05"),
                                        r["quotas"]["county"].update(enterprises=12)))
    c = load_campaign(path)
    assert c.id == "jincheng-2024" and c.quotas.county.enterprises == 12


def test_cli_refuses_a_broken_campaign_with_status_2(tmp_path):
    path = _broken(tmp_path, lambda r: r.pop("checklist"))
    env = {"INSPECTOR_BOT_CAMPAIGN_FILE": str(path), "INSPECTOR_BOT_DATABASE_URL":
           f"sqlite+aiosqlite:///{tmp_path}/x.db", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert str(path) in proc.stderr and "checklist" in proc.stderr
    assert not (tmp_path / "x.db").exists()  # nothing written
