"""Who hears of an alarm: analysts subscribed to its area × crime type, through the inbox.

An area subscription (`subscriptions/targets.py`) holds ``state|municipality|crime_type``
with ``*`` for "any". An alarm reaches:

* a subscription to its municipality, or to its state with any municipality (a state analyst
  follows the state's municipalities too), for its subtipo or for any crime type;
* for an alarm at tipo or bien jurídico level, only subscriptions to any crime type (a
  subscription names a subtipo; a rise of the whole tipo is not necessarily a rise of it);
* nobody for a national alarm (no subscription covers the nation): it is on the dashboard.

Each recipient is judged by the policy as they are now (`policy.can_view_trends`, with the
subscription's purpose): an officer subscribed to an area gets its incidents, not its
alarms, and a desk subscription (read by everyone of the agency, officers included) gets
none. An alarm is aggregate data of the incidents every agency may read, so no marking rule
applies, and the notice carries the alarm's figures, no incident's content. Each notice is
audited as a NOTIFICATION in the transaction that delivers it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from plataforma.realtime.inbox import Notification, NotificationKind
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent
from plataforma.subscriptions import repository
from plataforma.subscriptions.notify import Outgoing
from plataforma.subscriptions.principals import Recipients
from plataforma.subscriptions.targets import ANY, AREA, Key, area_value
from plataforma.trends.alarm_store import StoredAlarm

__all__ = ["ALARM_RECORD_TYPE", "alarm_keys", "alarm_notices"]

#: What the audit log names an alarm notice's object (it is no record).
ALARM_RECORD_TYPE = "trend_alarm"


def alarm_keys(alarm: StoredAlarm) -> list[Key]:
    """The subscription keys that follow ``alarm``."""
    crimes = [ANY] + ([alarm.crime_type] if alarm.crime_level == "subtipo" else [])
    if alarm.area_level == "state":
        places = [(alarm.area, ANY)]
    elif alarm.area_level == "municipality":
        places = [(alarm.area[:2], alarm.area), (alarm.area[:2], ANY)]
    else:
        return []
    return [(AREA, area_value(s, m, c)) for s, m in places for c in crimes]


def _notification(alarm: StoredAlarm, subscription: repository.Subscription) -> Notification:
    return Notification(
        kind=NotificationKind.TREND_ALARM,
        dedupe_key=f"alarm:{subscription.id}:{alarm.id}",
        recipient_user=None if subscription.desk else subscription.owner_user,
        recipient_agency=subscription.agency if subscription.desk else None,
        ref_id=alarm.id,
        summary={
            "subscription": subscription.label,
            "grain": alarm.grain,
            "area_level": alarm.area_level,
            "area": alarm.area,
            "crime_level": alarm.crime_level,
            "crime_type": alarm.crime_type,
            "period_start": alarm.period_start.isoformat(),
            "observed": alarm.observed,
            "expected": round(alarm.expected, 2),
            "method": alarm.method,
            "reason": alarm.reason,
        },
    )


def alarm_notices(conn: Connection, alarms: Sequence[StoredAlarm]) -> list[Outgoing]:
    """The notices of ``alarms`` for the subscribers allowed to read trends."""
    recipients = Recipients(conn)
    out: list[Outgoing] = []
    for alarm in alarms:
        keys = alarm_keys(alarm)
        if not keys:
            continue
        for subscription, _key in repository.matching(conn, keys):
            principal = (
                recipients.desk(subscription.agency)
                if subscription.desk
                else recipients.user(subscription.owner_user)
            )
            purpose = policy.Purpose(subscription.purpose)
            if principal is None or not policy.can_view_trends(principal, purpose):
                continue
            event = AuditEvent.of(
                principal,
                AuditAction.NOTIFICATION,
                record_type=ALARM_RECORD_TYPE,
                record_id=alarm.id,
                purpose=purpose,
                detail={"kind": str(NotificationKind.TREND_ALARM), "ref": subscription.id},
            )
            out.append(Outgoing(_notification(alarm, subscription), event))
    return out
