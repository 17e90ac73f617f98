"""Korean time: statutory days are Korean calendar days, whatever the server's zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from service.models.types import as_utc

KST = ZoneInfo("Asia/Seoul")


def korea_now() -> datetime:
    return datetime.now(KST)


def korea_today() -> date:
    return korea_now().date()


def in_korea(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(KST)
