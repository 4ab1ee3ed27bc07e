"""kombu's Redis transport, made to survive a Redis restart while the worker holds tasks.

A worker holds the tasks it has received but not acknowledged: those with a countdown or
ETA (the portal's own retries of e-mails, Teams calls and reports) and the one running
(late acknowledgement). When Redis goes away, kombu 5.7 closes the channel and tries to
push those tasks back onto their queue. Redis is down, so that fails; on the second
close (Celery's consumer closes the connection after collecting it) the channel no longer
knows its connection, and the restore dies with ``AttributeError: 'NoneType' object has
no attribute 'hostname'``. Celery counts an AttributeError as unrecoverable and the
worker exits.

Here a restore that cannot reach Redis keeps the held tasks in memory instead, and the
next channel that consumes once Redis is back pushes them onto their queue again. Their
copy in Redis's unacknowledged set (gone anyway when Redis restarted without its data)
is removed in the same transaction, so a task comes back once, not twice. Tasks are
idempotent, so the rare duplicate after a crash does the work once.

Selected by ``CELERY_BROKER_TRANSPORT`` for redis:// brokers (bbportal.settings.base).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from kombu.transport import redis

logger = logging.getLogger(__name__)

# delivery tag -> (payload, exchange, routing key) of tasks a lost connection still held
_carried: dict[str, tuple[dict, str, str]] = {}
_carried_lock = threading.Lock()


class QoS(redis.QoS):
    def restore_unacked(self, client=None):
        try:
            return super().restore_unacked(client)
        except Exception as exc:  # Redis is unreachable, or the channel already detached
            assert self._delivered is not None  # set in QoS.__init__, never unset
            held = {
                tag: (
                    message._raw,
                    message.delivery_info["exchange"],
                    message.delivery_info["routing_key"],
                )
                for tag, message in self._delivered.items()
            }
            with _carried_lock:
                _carried.update(held)
            self._delivered.clear()
            logger.warning(
                "Redis is unreachable (%r): %d held task(s) will be queued again once it is back",
                exc,
                len(held),
            )
            return None


class Channel(redis.Channel):
    QoS = QoS

    if TYPE_CHECKING:
        # kombu's Redis channel has these at runtime; kombu-stubs leaves them out.
        connection_errors: tuple[type[Exception], ...]

        def _do_restore_message(
            self,
            payload: Any,
            exchange: str,
            routing_key: str,
            pipe: Any,
            leftmost: bool = False,
        ) -> None: ...

    def basic_consume(self, queue, *args, **kwargs):
        result = super().basic_consume(queue, *args, **kwargs)
        if _carried:
            self._requeue_carried()
        return result

    def _requeue_carried(self) -> None:
        with _carried_lock:
            pending = dict(_carried)
        done = []
        for tag, (payload, exchange, routing_key) in pending.items():
            if exchange and not self.get_table(exchange):
                continue  # its queue is not bound yet: the consumer that binds it requeues it
            try:
                with self.conn_or_acquire() as client:
                    pipe = client.pipeline()
                    pipe.hdel(self.unacked_key, tag)
                    pipe.zrem(self.unacked_index_key, tag)
                    self._do_restore_message(payload, exchange, routing_key, pipe, leftmost=True)
                    pipe.execute()
            except self.connection_errors as exc:
                logger.warning("Could not queue a held task again yet: %r", exc)
                break
            done.append(tag)
        with _carried_lock:
            for tag in done:
                _carried.pop(tag, None)
        if done:
            logger.info("Queued %d task(s) held across a Redis outage again", len(done))


class Transport(redis.Transport):
    Channel = Channel
