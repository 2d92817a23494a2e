"""What counts, defined once. Progress answers, the daily digest, the written report and the
spreadsheet's summary all take their figures from `bot.progress.compute` (SQL aggregates built on
these rules); the documents' lists use the predicates below, and the tests check that the lists add
up to the figures (tests/documents/test_counts_agree.py).

The rules (晋市应急教发[2023]90号 四(一)):

- **The campaign's inspections**: submitted (and approved by a supervisor when the campaign file says
  `quota_counts: approved`), dated inside the period. Problems, orders, penalties and visits are
  counted over these, whatever the enterprise's industry.
- **Enterprises toward a quota**: distinct enterprises of the target industries among a bureau's
  campaign inspections. An enterprise inspected by two bureaus counts once for *each* of them: each
  bureau has its own quota. The city's total is the sum of the bureaus' rows (against the sum of
  their quotas), so the rows always add up; the number of distinct enterprises across the city is
  given beside it ("全市检查企业 N 家（去重）").
- **Not counted**: visits dated outside the period (期外), enterprises of other industries (非目标行业).
- **As of a day**: only what had happened by then. Visits dated on or before the day; follow-up
  visits dated on or before it. When the day is in the past, what was recorded after it is left out
  too: inspections submitted, reviews decided, orders issued or closed, typical cases finished and
  integrity flags raised after the day's end (local time). For today, everything recorded so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.campaign import Campaign
    from bot.documents.records import InspectionRecord


@dataclass(frozen=True)
class AsOf:
    """The day figures and documents are made for; `cutoff` (UTC) is the end of that day when it is
    in the past, None when it is today or later (everything recorded so far counts)."""

    day: date
    cutoff: datetime | None = None

    @classmethod
    def of(cls, day: date, now: datetime) -> "AsOf":
        """`now`: aware, in the campaign's time zone."""
        if day >= now.date():
            return cls(day)
        end = datetime.combine(day + timedelta(days=1), time(), tzinfo=now.tzinfo)
        return cls(day, end.astimezone(timezone.utc))

    def recorded(self, moment: datetime | None) -> bool:
        """Whether something stamped `moment` had been recorded by the end of the day. An unknown
        moment counts (older records may lack one)."""
        if self.cutoff is None or moment is None:
            return True
        if moment.tzinfo is None:  # SQLite keeps UTC digits without the offset
            moment = moment.replace(tzinfo=timezone.utc)
        return moment < self.cutoff

    def dated(self, day: date | None) -> bool:
        return day is None or day <= self.day


def in_campaign(campaign: "Campaign", record: "InspectionRecord") -> bool:
    """One of the campaign's inspections: submitted (approved, if the campaign says so), dated in the
    period. The record is already cut to its as-of day (bot.documents.records.load_records)."""
    inspection = record.inspection
    return (inspection.status == "submitted"
            and (campaign.quota_counts != "approved" or record.approved)
            and inspection.inspection_date in campaign.period)


def counts_toward_quota(campaign: "Campaign", record: "InspectionRecord") -> bool:
    """A campaign inspection of an enterprise in a target industry: its enterprise counts."""
    return in_campaign(campaign, record) and record.inspection.enterprise.industry in campaign.target_industries


def outside_period(campaign: "Campaign", record: "InspectionRecord") -> bool:
    """Submitted but dated outside the period (期外): listed, never counted."""
    return record.inspection.status == "submitted" and record.inspection.inspection_date not in campaign.period
