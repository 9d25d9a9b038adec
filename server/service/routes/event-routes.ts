import type { Access, RouteTable } from '../../shared/route-table';
import { callerOf } from '../authentication';
import { type Events, parseCursor, parseFeedLimit } from '../domain/events';

/** `GET /api/v1/events?since=CURSOR&limit=N`: the events the caller may see, oldest first. */
export function eventRoutes(routes: RouteTable, events: Events, signedIn: Access): void {
  routes.get('/api/v1/events', signedIn, async (req, res) => {
    const since = parseCursor(req.query.since);
    const limit = parseFeedLimit(req.query.limit);
    res.json(await events.feed(callerOf(res.locals), since, limit));
  });
}
