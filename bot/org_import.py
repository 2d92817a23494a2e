"""`inspector-bot org import FILE`: bureaus, members, roles, channel ids and group bindings from
YAML. Idempotent (members are keyed by bureau and name); all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.campaign import format_validation_error
from storage.repositories import Repos


class OrgError(Exception):
    pass


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BureauIn(_M):
    name: str = Field(min_length=1)
    short: str = Field(min_length=1)
    level: Literal["city", "county"]


class MemberIn(_M):
    name: str = Field(min_length=1, max_length=50)
    bureau: str
    role: Literal["inspector", "supervisor", "admin"] = "inspector"
    phone: str = ""
    badge_no: str = ""
    active: bool = True
    wecom: str | None = None
    telegram: int | str | None = None
    console: str | None = None


class GroupIn(_M):
    bureau: str
    wecom_chat: str | None = None
    wecom_robot: str | None = None
    telegram: int | str | None = None
    title: str = ""


class OrgFile(_M):
    bureaus: list[BureauIn] = []
    members: list[MemberIn] = []
    groups: list[GroupIn] = []


def read_org_file(path: Path) -> OrgFile:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise OrgError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise OrgError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return OrgFile.model_validate(raw or {})
    except ValidationError as exc:
        raise OrgError(f"{path}: {format_validation_error(exc)}") from exc


async def import_org(repos: Repos, org: OrgFile, path: Path) -> dict[str, int]:
    """Apply the file in the session; raises OrgError (and the caller rolls back) on a bad reference."""
    counts = {"bureaus": 0, "members": 0, "groups": 0}
    for b in org.bureaus:
        await repos.org.upsert_bureau(b.name, b.short, b.level)
        counts["bureaus"] += 1
    for i, m in enumerate(org.members):
        bureau = await repos.org.bureau(m.bureau)
        if bureau is None:
            raise OrgError(f"{path}: field members.{i}.bureau: unknown bureau {m.bureau!r}")
        found = await repos.org.members_named(m.name, bureau.id)
        if found:
            member = found[0]
            repos.org.update_member(member, role=m.role, phone=m.phone, badge_no=m.badge_no, active=m.active)
        else:
            member = await repos.org.add_member(m.name, bureau, m.role, m.phone, m.badge_no)
            member.active = m.active
        for channel in ("wecom", "telegram", "console"):
            external = getattr(m, channel)
            if external is not None:
                await repos.org.link_identity(member, channel, str(external))
        counts["members"] += 1
    for i, g in enumerate(org.groups):
        bureau = await repos.org.bureau(g.bureau)
        if bureau is None:
            raise OrgError(f"{path}: field groups.{i}.bureau: unknown bureau {g.bureau!r}")
        targets = [("wecom", g.wecom_chat), ("wecom_robot", g.wecom_robot), ("telegram", g.telegram)]
        if not any(t for _, t in targets):
            raise OrgError(f"{path}: field groups.{i}: names no chat (wecom_chat, wecom_robot or telegram)")
        for channel, chat in targets:
            if chat is not None:
                await repos.org.bind_group(bureau, channel, str(chat), g.title)
                counts["groups"] += 1
    return counts
