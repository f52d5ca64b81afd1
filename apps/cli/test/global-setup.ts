import { buildCli } from './run-cli';

/** Builds dist/runcast.js once before the CLI test files run (they spawn the built binary). */
export default function setup(): void {
  buildCli();
}
