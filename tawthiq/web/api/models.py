"""What the API answers and accepts, as pydantic models (they make the OpenAPI document)."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a listing; pass ``next_cursor`` as ``cursor`` for the next (``null``: this is the last page)."""

    items: list[T]
    next_cursor: str | None
    limit: int


class Document(BaseModel):
    id: int
    sha256: str
    title: str
    source: str
    source_type: str
    url: str
    language: str
    media_type: str
    published_at: str | None
    published_prec: int | None
    copy_of: str | None = Field(description="sha256 of the document this one republishes")
    text_length: int
    claims: int


class DocumentDetail(Document):
    copies: list[int] = Field(description="ids of documents that republish this one")
    claim_ids: list[int]
    text: str | None = Field(None, description="the cleaned text, with include_text=true")


class Decision(BaseModel):
    id: int
    claim_id: int
    claim_version: int = Field(description="the version the decision was taken on")
    action: Literal["confirm", "correct", "reject", "attach"]
    reason: str
    changes: dict[str, list[Any]] = Field(description="for a correction: {field: [before, after]}")
    incident_key: str | None
    user_name: str
    decided_at: str


class Claim(BaseModel):
    id: int
    document_id: int
    seq: int
    kind: str
    outcome: str | None
    population: str | None
    low: int | None
    best: int | None
    high: int | None
    qualifier: str | None
    date_start: str | None
    date_end: str | None
    date_prec: int | None
    place: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    attributed_to: str | None
    caveat: str | None
    event_type: str | None
    sentence: str
    version: int = Field(description="send this version with a review decision")


class ClaimDetail(Claim):
    status: str | None = Field(description="the latest verdict (confirm, correct, reject), or null: unreviewed")
    incident_ids: list[int]
    history: list[Decision]


class Incident(BaseModel):
    id: int
    key: str
    title: str
    event_type: str | None
    date_start: str | None
    date_end: str | None
    date_prec: int | None
    admin1: list[str]
    independent_sources: int
    claims: int
    contradictions: int
    grade: str | None


class Grade(BaseModel):
    grade: Literal["confirmed", "fair", "weak", "contested", "discounted"]
    reason: str
    user_name: str
    decided_at: str


class Note(BaseModel):
    body: str
    user_name: str
    created_at: str


class Speaker(BaseModel):
    speaker: str
    claim_ids: list[int]


class IncidentDetail(Incident):
    claim_ids: list[int]
    tolls: list[Speaker] = Field(description="each speaker's casualty figures, the highest toll of killed first")
    independent_documents: int = Field(description="distinct publishers of original documents among the claims")
    disagreements: dict[int, list[int]] = Field(
        description="claim id -> ids of other speakers' claims for the same count that cannot both be true")
    grades: list[Grade] = Field(description="latest first; the first is in force")
    notes: list[Note]


class Victim(BaseModel):
    id: int
    list_name: str
    name_ar: str | None
    name_latin: str | None
    sex: str | None
    age: str | None
    date_of_death: str | None
    place_of_death: str | None
    governorate: str | None
    status: str | None
    person_id: int | None
    more: dict[str, Any] = Field(default_factory=dict, description="the extra fields asked for with `fields`")


class Person(BaseModel):
    id: int
    confirmed: bool
    records: list[dict[str, Any]]
    decisions: list[dict[str, Any]]


class Hit(BaseModel):
    kind: Literal["document", "claim", "incident", "victim"]
    id: int
    title: str
    snippet: str = Field(description="plain text around the match")


class SearchResult(BaseModel):
    q: str
    hits: dict[str, list[Hit]]


class DecisionIn(BaseModel):
    """A review decision on the claim ``version`` you read."""

    action: Literal["confirm", "correct", "reject", "attach"]
    version: int = Field(ge=1)
    reason: str = Field("", max_length=2000, description="required to reject")
    fields: dict[str, str | int | None] = Field(
        default_factory=dict,
        description="for correct: the fields to change (others keep their value; null clears one)")
    incident_id: int | None = Field(None, description="for attach")


class DecisionOut(BaseModel):
    decision_id: int
    claim_id: int
    version: int = Field(description="the claim's version now")


class Conflict(BaseModel):
    detail: str
    claim_id: int
    seen: int
    current: int
    since: list[Decision] = Field(description="the decisions taken since the version you saw")
    claim: Claim = Field(description="the claim as it is now")


class Problems(BaseModel):
    detail: str
    problems: list[tuple[str, str]]


class GradeIn(BaseModel):
    grade: Literal["confirmed", "fair", "weak", "contested", "discounted"]
    reason: str = Field("", max_length=2000)


class NoteIn(BaseModel):
    body: str = Field(min_length=1, max_length=10_000)


class Created(BaseModel):
    id: int


class Me(BaseModel):
    user: str
    role: str
    token_id: int


class Token(BaseModel):
    id: int
    user_name: str
    name: str
    prefix: str
    rate_per_minute: int | None
    created_at: str
    created_by: str
    last_used_at: str | None
    revoked_at: str | None
    revoked_by: str | None
    active: bool


class TokenIn(BaseModel):
    name: str = Field("", max_length=120)


class TokenCreated(Token):
    token: str = Field(description="shown this once; only its hash is kept")
