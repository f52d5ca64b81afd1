import type { Command } from 'commander';
import { type GlobalOptions, withBackend } from '../backend';
import { UsageError } from '../exit-codes';
import { formatAgo } from '../format-number';
import { formatTable } from '../format-table';
import { printJson, say, style } from '../output';
import { parsePositiveInt } from '../parse-args';

const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;

export function addTokenCommand(program: Command): void {
  const token = program.command('token').description('API tokens for the HTTP API (stored hashed)');
  token
    .command('create')
    .description('create a token; the secret is printed once')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--scope <scope>', 'read (reads), write (push, edit runs), admin (tokens)', 'read')
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions & { name: string; scope: string }>();
      const scope = TOKEN_SCOPES.find((s) => s === opts.scope);
      if (scope === undefined) {
        throw new UsageError(`--scope must be read, write or admin (got "${opts.scope}")`);
      }
      const created = await withBackend(opts, ({ api }) =>
        api.tokens.create({ name: opts.name, scope }),
      );
      if (opts.json) {
        printJson(created);
        return;
      }
      say(
        `Created ${created.scope} token #${created.id} "${created.name}". The secret (shown once):`,
      );
      process.stdout.write(`${created.secret}\n`);
      say(style.dim('Send it as: Authorization: Bearer <secret>'));
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const tokens = await withBackend(opts, ({ api }) => api.tokens.list());
      if (opts.json) {
        printJson(tokens);
        return;
      }
      if (tokens.length === 0) {
        say('No tokens. Create one: runcast token create --name ci --scope write');
        return;
      }
      say(
        formatTable(tokens, [
          { title: 'ID', value: (t) => String(t.id), align: 'right' },
          { title: 'NAME', value: (t) => t.name },
          { title: 'SCOPE', value: (t) => t.scope },
          { title: 'STATE', value: (t) => (t.revoked ? style.red('revoked') : 'active') },
          { title: 'CREATED', value: (t) => formatAgo(t.createdAt) },
          { title: 'LAST USED', value: (t) => (t.lastUsedAt ? formatAgo(t.lastUsedAt) : 'never') },
        ]),
      );
    });
  token
    .command('revoke')
    .description('revoke a token by id')
    .argument('<id>', 'token id (see token list)', parsePositiveInt)
    .action(async (id: number, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const result = await withBackend(opts, ({ api }) => api.tokens.revoke({ id }));
      if (opts.json) printJson(result);
      else say(`Revoked token #${id}.`);
    });
}
