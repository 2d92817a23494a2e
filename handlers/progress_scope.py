"""Who may see what: an inspector sees their own work and their bureau's totals, a county supervisor
(or admin) their county, a supervisor or admin of the city bureau everything (bot.policy)."""

from __future__ import annotations

from dataclasses import dataclass

from bot import policy, texts
from bot.context import Context
from storage.models import Bureau, Member
from storage.repositories.progress import Scope


@dataclass(frozen=True)
class Viewer:
    member: Member
    bureau: Bureau

    @classmethod
    def of(cls, ctx: Context) -> "Viewer":
        assert ctx.member is not None
        return cls(ctx.member, ctx.member.bureau)

    @property
    def inspector(self) -> bool:
        return not policy.is_overseer(self.member)

    @property
    def city_wide(self) -> bool:
        return policy.city_wide(self.member)

    def may_see(self, bureau: Bureau) -> bool:
        return policy.may_see_progress(self.member, bureau)

    def scope(self, ctx: Context) -> Scope:
        """The inspections a list (today, findings, one enterprise) may show."""
        campaign = ctx.campaign.id
        if self.city_wide:
            return Scope(campaign)
        if self.inspector:
            return Scope(campaign, member_id=self.member.id)
        return Scope(campaign, bureau_ids=(self.bureau.id,))

    def scope_label(self) -> str:
        if self.city_wide:
            return texts.PG_TODAY_SCOPE_ALL
        if self.inspector:
            return texts.PG_TODAY_SCOPE_MINE
        return texts.PG_TODAY_SCOPE_BUREAU.format(name=self.bureau.short_name)
