"""The 检查情况 cell says each fact once (one fact, one finding): a finding of the certificate
register and the inspector's 不符合 on the same requirement are one problem; a note adds to it or
records a verdict kept against it."""

from __future__ import annotations

from types import SimpleNamespace

from bot import texts
from bot.campaign import load_campaign
from bot.config import BUNDLED_CAMPAIGN
from bot.documents.checklist_docx import verdict_lines
from bot.documents.records import InspectionRecord

CAMPAIGN = load_campaign(BUNDLED_CAMPAIGN)
EXPIRED = "李四的特种作业操作证已于 2023-01-31 过期"


def record(verdict: str, note: str, findings: list[str]) -> InspectionRecord:
    return InspectionRecord(
        inspection=SimpleNamespace(), bureau=SimpleNamespace(),
        answers={"2.3": SimpleNamespace(verdict=verdict, note=note)},
        findings=[SimpleNamespace(id=n, requirement_id="2.3", description=d, legal_basis="aqf97-7", confirmed=True,
                                  source="certificate", certificate_id=1) for n, d in enumerate(findings, 1)],
        certificates=[], evidence=[])


def test_the_register_finding_once_whatever_the_note_says():
    cell = verdict_lines(CAMPAIGN, record("fail", texts.NOTE_SEE_REGISTER, [EXPIRED]), "2.3", {})
    assert cell == ["不符合", f"问题：{EXPIRED}", "依据：《中华人民共和国安全生产法》第九十七条第（七）项"]
    cell = verdict_lines(CAMPAIGN, record("fail", "李四仍在岗作业", [EXPIRED]), "2.3", {})
    assert cell[:3] == ["不符合", f"问题：{EXPIRED}", "说明：李四仍在岗作业"]
    cell = verdict_lines(CAMPAIGN, record("fail", EXPIRED, [EXPIRED]), "2.3", {})
    assert sum(EXPIRED in line for line in cell) == 1


def test_a_verdict_kept_against_a_confirmed_finding_is_said_once():
    note = texts.CONTRADICTION_NOTE.format(verdict="符合", findings=EXPIRED)
    cell = verdict_lines(CAMPAIGN, record("pass", note, [EXPIRED]), "2.3", {})
    assert cell[:3] == ["符合", f"问题：{EXPIRED}", "说明：检查员判定“符合”，与上述发现不一致"]
    assert sum(EXPIRED in line for line in cell) == 1


def test_an_inspectors_own_finding_is_its_note():
    cell = verdict_lines(CAMPAIGN, record("fail", "考勤表有代签", ["考勤表有代签"]), "2.3", {})
    assert cell[:2] == ["不符合", "问题：考勤表有代签"] and sum("考勤表有代签" in x for x in cell) == 1
