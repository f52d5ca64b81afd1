/**
 * Child process for the crash test: ingests one file into a store and prints the points
 * committed after each chunk ("points <n>") so the parent can SIGKILL it mid-way.
 * Usage: node --import tsx test/ingest-child.ts <db> <file> [chunkBytes]
 */
import { openSqliteStore } from '@runcast/db';
// biome-ignore lint/style/noRestrictedImports: the test injects the real plugins, as the CLI does
import { createCsvPlugin } from '@runcast/plugin-csv';
// biome-ignore lint/style/noRestrictedImports: the test injects the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
import { ingestPaths } from '../src/index';

const [dbPath, file, chunk] = process.argv.slice(2);
const db = openSqliteStore({ path: dbPath! });
const summary = await ingestPaths({
  db,
  plugins: [createJsonlPlugin(), createCsvPlugin()],
  paths: [file!],
  chunkSize: Number(chunk ?? 1 << 20),
  onProgress: (p) => process.stdout.write(`points ${p.points}\n`),
});
await db.close();
process.stdout.write(`done ${summary.points}\n`);
