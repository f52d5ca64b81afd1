import pg from 'pg';
import { EVENTS_CHANNEL } from './pg-events';

/**
 * LISTEN on the events channel with a dedicated connection: `onChange` runs after every commit
 * that wrote events (from any server on this database). The connection is re-opened after a
 * loss (with `onChange` called once, since notifications may have been missed meanwhile).
 * Returns stop().
 */
export async function listenEvents(
  url: string,
  onChange: () => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', () => onChange());
    c.on('error', () => reconnect());
    c.on('end', () => reconnect());
    await c.connect();
    await c.query(`LISTEN ${EVENTS_CHANNEL}`);
    client = c;
  };
  const reconnect = () => {
    if (stopped || retry) return;
    client = null;
    retry = setTimeout(() => {
      retry = null;
      connect().then(onChange, reconnect);
    }, 500);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
}
