/** Entry of the `terra` command. Subcommands live one per file beside it. */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { TerraError } from '../api/errors';
import { runInfo } from './info';
import { runServe } from './serve';
import { runSimulate } from './simulate';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be an integer 0-65535');
  return port;
}

const program = new Command('terra')
  .description('Terra Twin: flood and weather scenarios over real terrain, offline')
  .version(pkg.version, '-v, --version')
  .showHelpAfterError();

program
  .command('info')
  .description('show versions and compute backends (WebGPU adapter, tfjs backend, CPU threads)')
  .option('--json', 'print JSON')
  .action((opts: { json?: boolean }) => runInfo(pkg.version, opts.json === true));

program
  .command('serve')
  .description('serve the app and its engine to a browser on this machine')
  .option('-p, --port <n>', 'port (0 picks a free one)', portNumber, 8420)
  .option('--host <address>', 'address to bind', '127.0.0.1')
  .option('--lan', 'allow binding beyond loopback (LAN access with the token)', false)
  .option('--token <token>', 'use this access token instead of a random one')
  .action((opts: { port: number; host: string; lan: boolean; token?: string }) => runServe(opts));

program
  .command('simulate')
  .description('run a flood scenario (SCENARIO.json, see DESIGN.md) and write its outputs')
  .argument('<scenario>', 'scenario JSON file')
  .requiredOption('-o, --out <dir>', 'output folder (created if missing)')
  .option('-t, --threads <n>', 'CPU worker threads', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
    return n;
  })
  .option('-q, --quiet', 'no progress output')
  .action((scenario: string, opts: { out: string; threads?: number; quiet?: boolean }) => runSimulate(scenario, opts.out, opts));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const message = err instanceof TerraError ? `${err.code}: ${err.message}` : (err as Error).message;
  console.error(`terra: ${message}`);
  process.exitCode = 1;
}
