"""What the bot checks on its own in the certificate register (item 二)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot import texts
from bot.campaign import Campaign
from storage.models import Certificate


@dataclass(frozen=True)
class Problem:
    requirement_id: str
    description: str
    legal_basis: str


def certificate_problems(campaign: Campaign, cert: Certificate, industry: str, visit: date) -> list[Problem]:
    rules = campaign.certificates
    position = campaign.position(cert.position) if cert.position else None
    if position is None:
        return []
    problems: list[Problem] = []
    required = position.required
    validity, platform = rules.validity_requirement, rules.platform_requirement
    applies = not position.high_risk_only or industry in campaign.target_industries
    if cert.cert_type == rules.no_certificate:
        # One fact: the person holds no certificate. Nothing to look up, nothing to expire.
        if applies:
            problems.append(Problem(validity, texts.CERT_NONE_HELD.format(
                name=cert.person_name, position=position.name, required=required), position.legal_basis))
        return problems
    if applies and cert.cert_type != required:
        problems.append(Problem(validity, texts.CERT_WRONG_TYPE.format(
            name=cert.person_name, position=position.name, required=required, actual=cert.cert_type),
            position.legal_basis))
    if cert.expiry_date is not None:
        days = (cert.expiry_date - visit).days
        if days < 0:
            problems.append(Problem(validity, texts.CERT_EXPIRED.format(
                name=cert.person_name, type=cert.cert_type, expiry=cert.expiry_date.isoformat()),
                position.legal_basis))
        elif days <= rules.expiry_warning_days:
            problems.append(Problem(validity, texts.CERT_EXPIRING.format(
                name=cert.person_name, type=cert.cert_type, expiry=cert.expiry_date.isoformat(), days=days),
                position.legal_basis))
    if cert.platform_confirmed is False:
        problems.append(Problem(platform, texts.CERT_NOT_ON_PLATFORM.format(name=cert.person_name,
                                                                            type=cert.cert_type),
                                position.legal_basis))
    return problems
