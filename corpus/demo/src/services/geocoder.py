"""Client for the internal geocoding service."""

import httpx

from src.core.config import settings


async def region_of(address: str) -> str:
    async with httpx.AsyncClient(base_url=settings.geocoder_url, timeout=5.0) as http:
        response = await http.get("/region", params={"q": address})
        response.raise_for_status()
        return response.json()["region"]
