"""The calendar's grid: which days a week or a month view shows. Pure Python."""

import calendar
import datetime

_CALENDAR = calendar.Calendar(firstweekday=calendar.MONDAY)


def week_days(day: datetime.date) -> list[datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return [monday + datetime.timedelta(days=i) for i in range(7)]


def month_weeks(day: datetime.date) -> list[list[datetime.date]]:
    """Whole weeks, Monday first, covering the month of ``day``."""
    return _CALENDAR.monthdatescalendar(day.year, day.month)


def shift(view: str, day: datetime.date, step: int) -> datetime.date:
    """The same view one week or one month before (step=-1) or after (step=1)."""
    if view == "week":
        return day + datetime.timedelta(weeks=step)
    month = day.month - 1 + step
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def span(view: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day shown."""
    if view == "week":
        days = week_days(day)
        return days[0], days[-1]
    weeks = month_weeks(day)
    return weeks[0][0], weeks[-1][-1]
