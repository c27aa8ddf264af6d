"""Report endpoints."""

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from ...db.session import get_session
from ...services import cache, geocoder

router = APIRouter()


class RegionReport(BaseModel):
    region: str
    orders: int


@router.get("/region", response_model=RegionReport)
async def region_report(address: str, request: Request, session: AsyncSession = Depends(get_session)):
    region = await geocoder.region_of(address)
    cached = await cache.get_report(region)
    if cached is not None:
        return cached
    with request.app.state.tracer.start_as_current_span("region_report"):
        result = await session.execute(
            text("SELECT count(*) FROM orders WHERE region = :region"), {"region": region}
        )
    report = {"region": region, "orders": result.scalar_one()}
    await cache.put_report(region, report)
    return report
