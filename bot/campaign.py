"""The campaign as data: checklist, period, quotas, bureaus and legal basis, validated on load."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class CampaignError(Exception):
    """A campaign file that cannot be used; the message names the file and the field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(_Model):
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end < self.start:
            raise ValueError("end is before start")
        return self

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


class Quota(_Model):
    enterprises: int = Field(ge=0)
    typical_cases: int = Field(ge=0)


class Quotas(_Model):
    city: Quota
    county: Quota


class BureauDef(_Model):
    name: str = Field(min_length=1)
    short: str = Field(min_length=1)
    level: Literal["city", "county"]


class LegalBasis(_Model):
    law: str
    article: str
    text: str
    measure: str
    escalation: str = ""

    @property
    def citation(self) -> str:
        return f"《{self.law}》{self.article}"


class Requirement(_Model):
    id: str = Field(pattern=r"^\d+\.\d+$")
    text: str = Field(min_length=1)
    evidence: list[str] = Field(min_length=1)
    legal_basis: str
    method: str | None = None


class Item(_Model):
    seq: str
    title: str
    content: list[str] = Field(min_length=1)
    method: str
    requirements: list[Requirement] = Field(min_length=1)
    certificate_register_after: str | None = None

    @model_validator(mode="after")
    def _register_anchor(self) -> "Item":
        ids = [r.id for r in self.requirements]
        if self.certificate_register_after and self.certificate_register_after not in ids:
            raise ValueError(f"certificate_register_after {self.certificate_register_after!r} is not one of {ids}")
        return self


class Checklist(_Model):
    title: str
    items: list[Item] = Field(min_length=1)


class Position(_Model):
    name: str
    required: str
    high_risk_only: bool
    legal_basis: str


class CertificateRules(_Model):
    expiry_warning_days: int = Field(ge=0)
    positions: list[Position] = Field(min_length=1)
    types: list[str] = Field(min_length=1)
    # The requirement a finding of the register is recorded under: a certificate of the wrong
    # kind, missing or out of date (validity), and one not found on the national platform.
    validity_requirement: str
    platform_requirement: str
    # The entry of `types` that means "holds no certificate".
    no_certificate: str = "无证"


class TypicalCaseRules(_Model):
    key_points: list[str] = Field(min_length=1)
    keywords: dict[Literal["min", "max"], int]
    officers: int = Field(ge=1)


class Integrity(_Model):
    min_seconds_per_requirement: float = Field(ge=0)
    max_capture_days: int = Field(default=3, ge=0)  # photo EXIF date vs visit date
    max_distance_km: float = Field(default=5.0, gt=0)  # photo GPS vs enterprise / shared location


class Campaign(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    document_no: str
    issuer: str
    period: Period
    report_deadline: date
    report_to: str
    target_industries: list[str] = Field(min_length=1)
    quotas: Quotas
    quota_counts: Literal["submitted", "approved"] = "submitted"
    bureaus: list[BureauDef] = Field(min_length=1)
    legal_basis: dict[str, LegalBasis]
    checklist: Checklist
    certificates: CertificateRules
    typical_case: TypicalCaseRules
    integrity: Integrity

    @model_validator(mode="after")
    def _consistent(self) -> "Campaign":
        ids = [r.id for item in self.checklist.items for r in item.requirements]
        if len(ids) != len(set(ids)):
            raise ValueError("requirement ids are not unique")
        refs = [r.legal_basis for item in self.checklist.items for r in item.requirements]
        refs += [p.legal_basis for p in self.certificates.positions]
        missing = sorted(set(refs) - set(self.legal_basis))
        if missing:
            raise ValueError(f"legal_basis keys not defined: {missing}")
        if self.report_deadline < self.period.end:
            raise ValueError("report_deadline is before the end of the period")
        if sum(b.level == "city" for b in self.bureaus) != 1:
            raise ValueError("bureaus need exactly one of level 'city'")
        rules = self.certificates
        for field in ("validity_requirement", "platform_requirement"):
            if getattr(rules, field) not in ids:
                raise ValueError(f"certificates.{field} {getattr(rules, field)!r} is not one of {ids}")
        if rules.no_certificate not in rules.types:
            raise ValueError(f"certificates.no_certificate {rules.no_certificate!r} is not one of the types")
        return self

    @cached_property
    def requirements(self) -> list[Requirement]:
        return [r for item in self.checklist.items for r in item.requirements]

    def requirement(self, req_id: str) -> Requirement:
        for r in self.requirements:
            if r.id == req_id:
                return r
        raise KeyError(req_id)

    def item_of(self, req_id: str) -> Item:
        for item in self.checklist.items:
            if any(r.id == req_id for r in item.requirements):
                return item
        raise KeyError(req_id)

    def method_of(self, req: Requirement) -> str:
        return req.method or self.item_of(req.id).method

    def position(self, name: str) -> Position:
        for p in self.certificates.positions:
            if p.name == name:
                return p
        raise KeyError(name)

    def quota_for(self, level: str) -> Quota:
        return self.quotas.city if level == "city" else self.quotas.county

    @property
    def register_after(self) -> str | None:
        for item in self.checklist.items:
            if item.certificate_register_after:
                return item.certificate_register_after
        return None


def load_campaign(path: Path | str) -> Campaign:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CampaignError(f"{path}: cannot read campaign file: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise CampaignError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise CampaignError(f"{path}: a campaign file must be a mapping")
    try:
        return Campaign.model_validate(raw)
    except ValidationError as exc:
        raise CampaignError(f"{path}: {format_validation_error(exc)}") from exc


def format_validation_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"field {where}: {err['msg']}")
    return "; ".join(parts)
