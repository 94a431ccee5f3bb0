"""One router per page; each route states the role it needs through ``require``."""

from fastapi import APIRouter

from tawthiq.web.routes import admin, atlas, documents, incidents, review, search, session, victims

ROUTERS: tuple[APIRouter, ...] = (
    session.router, review.router, incidents.router, documents.router, victims.router, atlas.router, search.router,
    admin.router,
)
