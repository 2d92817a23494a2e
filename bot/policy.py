"""Who may do what: every "may member X do Y to inspection or bureau Z" decision, in one place.

Pure functions over the records already loaded (no queries, no replies): the callers fetch what is
decided on and choose the words of a refusal from the decision's reason. Roles: an inspector does
their own work; a supervisor or admin also oversees their bureau (the city bureau's: every bureau);
only admins bind group chats. Nobody reviews their own work."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Bureau, Inspection, Member

OVERSEER_ROLES = frozenset({"supervisor", "admin"})  # review, close flags, see and report on a bureau
BINDER_ROLES = frozenset({"admin"})

# Why a decision says no.
ROLE = "role"  # the member's role does not do this
SCOPE = "scope"  # the inspection or bureau is outside the bureaus the member oversees
TOOK_PART = "took_part"  # the member took part in the inspection: someone else decides on it


@dataclass(frozen=True)
class Decision:
    """Truthy when allowed; otherwise `reason` is one of ROLE, SCOPE, TOOK_PART."""

    reason: str = ""

    def __bool__(self) -> bool:
        return not self.reason


ALLOWED = Decision()


# ---- who the member is
def is_overseer(member: Member) -> bool:
    return member.role in OVERSEER_ROLES


def in_city_bureau(member: Member) -> bool:
    return member.bureau.level == "city"


def city_wide(member: Member) -> bool:
    """An overseer of the city bureau: every bureau is theirs to oversee."""
    return is_overseer(member) and in_city_bureau(member)


def oversight(member: Member) -> list[int] | None:
    """The bureaus whose work this member oversees (when an overseer): None for the city bureau (all)."""
    return None if in_city_bureau(member) else [member.bureau_id]


def oversees(member: Member, bureau_id: int) -> bool:
    bureaus = oversight(member)
    return is_overseer(member) and (bureaus is None or bureau_id in bureaus)


def took_part(member: Member, inspection: Inspection) -> bool:
    """Created the inspection or is listed among its inspectors."""
    return member.id == inspection.created_by or member.id in {i.member_id for i in inspection.inspectors}


# ---- an inspection
def may_amend(member: Member, inspection: Inspection) -> bool:
    return took_part(member, inspection)


def may_issue_orders(member: Member, inspection: Inspection) -> bool:
    """Rectification orders and follow-up visits: the inspection's own inspectors."""
    return took_part(member, inspection)


def may_export(member: Member, inspection: Inspection) -> bool:
    """The filled checklist: the inspection's inspectors, or an overseer of its bureau."""
    return took_part(member, inspection) or oversees(member, inspection.bureau_id)


def may_review(member: Member, inspection: Inspection) -> Decision:
    """Approve or return (审核) a submitted inspection."""
    return _oversight_of(member, inspection)


def may_resolve_flag(member: Member, inspection: Inspection) -> Decision:
    """Close (核实) an evidence-integrity flag raised on this inspection."""
    return _oversight_of(member, inspection)


def _oversight_of(member: Member, inspection: Inspection) -> Decision:
    if not is_overseer(member):
        return Decision(ROLE)
    if not oversees(member, inspection.bureau_id):
        return Decision(SCOPE)
    if took_part(member, inspection):
        return Decision(TOOK_PART)
    return ALLOWED


# ---- a bureau
def may_see_progress(member: Member, bureau: Bureau) -> bool:
    """Everyone sees their own bureau's progress (an inspector: its totals); the city overseers all."""
    return city_wide(member) or bureau.id == member.bureau_id


def may_report_on(member: Member, bureau: Bureau) -> Decision:
    """The written report and the spreadsheet of a bureau."""
    if not is_overseer(member):
        return Decision(ROLE)
    return ALLOWED if oversees(member, bureau.id) else Decision(SCOPE)


def binds_groups(member: Member) -> bool:
    return member.role in BINDER_ROLES


def may_bind_group(member: Member, bureau: Bureau) -> Decision:
    """Bind a group chat to a bureau: an admin, to their own bureau; the city bureau's admins, any."""
    if not binds_groups(member):
        return Decision(ROLE)
    if not in_city_bureau(member) and bureau.id != member.bureau_id:
        return Decision(SCOPE)
    return ALLOWED
