import type { MetricLabels, MetricsSink, PlainHistogram, RouteRecord } from '@serv/core';
import type { Rooms } from '../rooms/rooms';
import type { WebSocketRouteCounters } from './route-counters';

type Series<V> = Iterable<[MetricLabels, V]>;

/**
 * The WebSocket protocol's metrics, added to the app's registry at startup (`ProtocolRuntime.registerMetrics`): per
 * route counters read from plain fields, this instance's rooms and members, and the broker and store latencies.
 */
export function registerWebSocketMetrics(sink: MetricsSink, byRoute: ReadonlyMap<RouteRecord, WebSocketRouteCounters>, rooms: Rooms): void {
  const routes = (): WebSocketRouteCounters[] => [...byRoute.values()];
  const perRoute = (field: 'open' | 'received' | 'sent') => function* read(): Series<number> {
    for (const c of routes()) yield [{ route: c.route }, c[field]];
  };
  sink.gauge({ name: 'serv_websocket_connections', help: 'Open WebSocket connections, by route pattern', labelNames: ['route'], read: perRoute('open') });
  sink.counter({
    name: 'serv_websocket_messages_received_total',
    help: 'WebSocket messages received from clients, by route pattern',
    labelNames: ['route'],
    read: perRoute('received'),
  });
  sink.counter({
    name: 'serv_websocket_messages_sent_total',
    help: 'WebSocket messages sent to clients (sends and rooms fan-out), by route pattern',
    labelNames: ['route'],
    read: perRoute('sent'),
  });
  sink.counter({
    name: 'serv_websocket_closes_total',
    help: 'Closed WebSocket connections, by route pattern and close code',
    labelNames: ['route', 'code'],
    *read(): Series<number> {
      for (const c of routes()) for (const [code, n] of c.closes) yield [{ route: c.route, code }, n];
    },
  });
  sink.gauge({
    name: 'serv_rooms',
    help: 'Rooms with at least one member connected to this process (summed across --workers)',
    labelNames: [],
    *read(): Series<number> {
      yield [{}, rooms._counts().rooms];
    },
  });
  sink.gauge({
    name: 'serv_room_members',
    help: 'Room memberships of connections to this process',
    labelNames: [],
    *read(): Series<number> {
      yield [{}, rooms._counts().members];
    },
  });
  sink.histogram({
    name: 'serv_broker_publish_seconds',
    help: 'Round trip of handing a room message to the broker for other instances (Redis PUBLISH)',
    labelNames: [],
    *read(): Series<PlainHistogram> {
      yield [{}, rooms._brokerPublishSeconds];
    },
  });
  sink.histogram({
    name: 'serv_store_write_seconds',
    help: 'Time of one message-store write (one transaction per batch of rooms.publish() calls)',
    labelNames: [],
    *read(): Series<PlainHistogram> {
      yield [{}, rooms._storeWriteSeconds];
    },
  });
}
