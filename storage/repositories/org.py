"""Bureaus, members, channel identities and group bindings."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AccessRequest, Bureau, GroupBinding, Identity, Member, utcnow

from .audit import AuditRepo


# Every bureau's full name is its place name and this suffix.
BUREAU_SUFFIX = "应急管理局"


class OrgRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self.session = session
        self.audit = audit

    # ---- bureaus
    async def upsert_bureau(self, name: str, short_name: str, level: str) -> Bureau:
        bureau = await self.session.scalar(select(Bureau).where(Bureau.name == name))
        if bureau is None:
            bureau = Bureau(name=name, short_name=short_name, level=level)
            self.session.add(bureau)
            await self.session.flush()
            self.audit.record(None, "bureau", bureau.id, "created", None, name)
        else:
            self.audit.changed(None, bureau, "bureau", short_name=short_name, level=level)
        return bureau

    async def bureau(self, name: str) -> Bureau | None:
        """By full name (泽州县应急管理局), short name (泽州县, 市局) or place name (晋城市)."""
        name = name.strip()
        return await self.session.scalar(select(Bureau).where(
            or_(Bureau.name == name, Bureau.short_name == name, Bureau.name == name + BUREAU_SUFFIX)))

    async def bureau_by_id(self, bureau_id: int) -> Bureau | None:
        return await self.session.get(Bureau, bureau_id)

    async def bureaus(self) -> list[Bureau]:
        return list((await self.session.scalars(select(Bureau).order_by(Bureau.id))).all())

    # ---- members
    async def member(self, member_id: int) -> Member | None:
        return await self.session.get(Member, member_id)

    async def member_by_identity(self, channel: str, external_id: str) -> Member | None:
        return await self.session.scalar(
            select(Member).join(Identity).where(Identity.channel == channel, Identity.external_id == external_id))

    async def members_named(self, name: str, bureau_id: int | None = None) -> list[Member]:
        query = select(Member).where(Member.name == name.strip(), Member.active.is_(True))
        if bureau_id is not None:
            query = query.where(Member.bureau_id == bureau_id)
        return list((await self.session.scalars(query)).all())

    async def admins(self) -> list[Member]:
        query = select(Member).where(Member.role == "admin", Member.active.is_(True)).order_by(Member.id)
        return list((await self.session.scalars(query)).all())

    async def add_member(self, name: str, bureau: Bureau, role: str, phone: str = "", badge_no: str = "") -> Member:
        member = Member(name=name, bureau_id=bureau.id, role=role, phone=phone, badge_no=badge_no)
        self.session.add(member)
        await self.session.flush()
        self.audit.record(None, "member", member.id, "created", None, f"{name}/{bureau.short_name}/{role}")
        await self.session.refresh(member, ["bureau"])
        return member

    def update_member(self, member: Member, actor_id: int | None = None, **values) -> None:
        self.audit.changed(actor_id, member, "member", **values)

    async def link_identity(self, member: Member, channel: str, external_id: str) -> None:
        identity = await self.session.scalar(
            select(Identity).where(Identity.channel == channel, Identity.external_id == external_id))
        if identity is None:
            self.session.add(Identity(member_id=member.id, channel=channel, external_id=external_id))
            self.audit.record(None, "member", member.id, f"identity:{channel}", None, external_id)
        elif identity.member_id != member.id:
            self.audit.record(None, "member", member.id, f"identity:{channel}", identity.member_id, external_id)
            identity.member_id = member.id
        await self.session.flush()

    async def identities_of(self, member_id: int, channel: str | None = None) -> list[Identity]:
        query = select(Identity).where(Identity.member_id == member_id)
        if channel:
            query = query.where(Identity.channel == channel)
        return list((await self.session.scalars(query)).all())

    async def roles_on(self, channel: str) -> list[tuple[str, str]]:
        """(external id, role) of every active member with an identity on `channel`."""
        rows = await self.session.execute(
            select(Identity.external_id, Member.role).join(Member, Member.id == Identity.member_id)
            .where(Identity.channel == channel, Member.active.is_(True)).order_by(Identity.id))
        return [(ext, role) for ext, role in rows.all()]

    def set_active_inspection(self, member: Member, inspection_id: int | None) -> None:
        member.active_inspection_id = inspection_id

    # ---- group bindings
    async def bind_group(self, bureau: Bureau, channel: str, chat_id: str, title: str = "",
                         actor_id: int | None = None) -> GroupBinding:
        binding = await self.session.scalar(
            select(GroupBinding).where(GroupBinding.channel == channel, GroupBinding.chat_id == chat_id))
        if binding is None:
            binding = GroupBinding(bureau_id=bureau.id, channel=channel, chat_id=chat_id, title=title)
            self.session.add(binding)
            await self.session.flush()
            self.audit.record(actor_id, "group_binding", binding.id, "bureau_id", None, bureau.id)
        else:
            self.audit.changed(actor_id, binding, "group_binding", bureau_id=bureau.id, title=title)
        return binding

    async def binding(self, channel: str, chat_id: str) -> GroupBinding | None:
        return await self.session.scalar(
            select(GroupBinding).where(GroupBinding.channel == channel, GroupBinding.chat_id == chat_id))

    async def bindings(self) -> list[GroupBinding]:
        return list((await self.session.scalars(select(GroupBinding).order_by(GroupBinding.id))).all())

    # ---- access requests
    async def note_unregistered(self, channel: str, external_id: str) -> bool:
        """Record a request from someone not registered; True the first time they ask."""
        request = await self.session.scalar(select(AccessRequest).where(
            AccessRequest.channel == channel, AccessRequest.external_id == external_id))
        if request is None:
            self.session.add(AccessRequest(channel=channel, external_id=external_id))
            await self.session.flush()
            return True
        request.count += 1
        request.last_at = utcnow()
        return False
