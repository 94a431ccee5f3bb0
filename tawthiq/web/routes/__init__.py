"""One router per page; each route states the role it needs through ``require``."""

from fastapi import APIRouter

from tawthiq.web.routes import admin, atlas, documents, incidents, review, search, session, victims

# the incident pages first: the most requested, and each request is matched against the routes in this order
ROUTERS: tuple[APIRouter, ...] = (
    incidents.router, session.router, review.router, documents.router, victims.router, atlas.router, search.router,
    admin.router,
)
