"""API shapes for the signed-in user, their stores and store members."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from aftersales.models import Role


class StoreOut(BaseModel):
    id: int
    name: str
    region: str = Field(description="NA, EU or FE")
    role: Role = Field(description="Your role in this store")


class MeOut(BaseModel):
    id: int
    email: str
    display_name: str | None
    locale: str | None
    stores: list[StoreOut]


class MemberOut(BaseModel):
    user_id: int
    email: str
    display_name: str | None
    role: Role
    since: datetime
