/**
 * The real PostgreSQL and Redis on this machine, when there. A suite that needs one and cannot
 * reach it is skipped with a printed reason; with REQUIRE_SERVICES=1 (CI) it fails instead, so a
 * missing server can never pass silently.
 */
import net from 'node:net';

export const POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

async function availability(name: string, url: string, port: number): Promise<string | undefined> {
  if (await reachable(url, port)) return url;
  const reason = `${name} is not reachable at ${new URL(url).host}`;
  if (process.env.REQUIRE_SERVICES === '1') {
    throw new Error(`${reason}, and REQUIRE_SERVICES=1 requires it`);
  }
  console.warn(
    `SKIPPED: ${reason}; its tests are skipped (set TEST_${name === 'PostgreSQL' ? 'DATABASE' : 'REDIS'}_URL to point elsewhere)`,
  );
  return undefined;
}

export const postgresUrl = await availability('PostgreSQL', POSTGRES_URL, 5432);
export const redisUrl = await availability('Redis', REDIS_URL, 6379);

/** Waits until a Redis store answers (its client connects asynchronously). */
export async function untilConnected(store: { ping(): Promise<void> }): Promise<void> {
  for (const deadline = Date.now() + 5000; ;) {
    try {
      return await store.ping();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
