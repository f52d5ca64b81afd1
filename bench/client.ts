/**
 * `pnpm bench client`: the Python client (clients/python) against a server in this process.
 * 1. Cost of one `run.log({loss, lr}, step)` call: median ns per call over chunks of 1,000 calls,
 *    minus the same loop without the logger (baseline, interleaved in the same run); target < 5 µs.
 *    The run sends to the server in the background meanwhile, as in training.
 * 2. Sustained push rate from one process: 500k steps (2 metrics each) logged as fast as possible,
 *    timed until the server has stored them all; target 100k points/s.
 * Wall figures depend on machine load; the CPU seconds of both sides are printed next to them.
 * Needs python3 (any 3.9+); $RUNCAST_PYTHON picks another interpreter.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '../packages/api/src/index';
import { saveBenchJson } from './lib/measure';

interface Overhead {
  baselineNs: number;
  logNs: number;
  overheadNs: number;
  chunks: number;
}
interface Push {
  steps: number;
  accepted: number;
  allStored: boolean;
  logSeconds: number;
  storedSeconds: number;
  clientCpuSeconds: number;
}

const dir = mkdtempSync(join(tmpdir(), 'runcast-bench-client-'));
const server = await createServer({ db: join(dir, 'bench.db'), port: 0, calibration: false });
const token = (await server.services.tokens.create({ name: 'bench', scope: 'write' })).secret;
const script = fileURLToPath(new URL('./client.py', import.meta.url));

/** Runs one phase of client.py; returns its figures and this process's (the server's) CPU seconds. */
async function phase<T>(name: 'overhead' | 'push'): Promise<{ figures: T; serverCpu: number }> {
  const cpu0 = process.cpuUsage();
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.env.RUNCAST_PYTHON ?? 'python3',
      [script, server.url, token, join(dir, 'spool'), name],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`client.py ${name} exited ${code}`)),
    );
  });
  const cpu = process.cpuUsage(cpu0);
  return { figures: JSON.parse(out) as T, serverCpu: (cpu.user + cpu.system) / 1e6 };
}

try {
  const { figures: o } = await phase<Overhead>('overhead');
  const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`;
  console.log(
    `log() per call: ${us(o.logNs)} median; the same loop without it ${us(o.baselineNs)}`,
  );
  console.log(
    `  overhead ${us(o.overheadNs)} per call (target < 5 µs): ${o.overheadNs < 5000 ? 'met' : 'NOT met'}`,
  );
  const { figures: p, serverCpu } = await phase<Push>('push');
  const wallRate = p.steps / p.storedSeconds;
  // Client and server run in parallel: on a machine with a core each, the busier one bounds it.
  const cpuRate = p.steps / Math.max(p.clientCpuSeconds, serverCpu);
  console.log(
    `push: ${p.steps.toLocaleString('en-US')} points (2 metrics each) logged in ${p.logSeconds.toFixed(2)} s, all stored after ${p.storedSeconds.toFixed(2)} s (all stored: ${p.allStored}, accepted ${p.accepted.toLocaleString('en-US')})`,
  );
  console.log(
    `  ${Math.round(wallRate).toLocaleString('en-US')} points/s wall (target 100k points/s): ${wallRate >= 100_000 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `  CPU: client ${p.clientCpuSeconds.toFixed(2)} s, server ${serverCpu.toFixed(2)} s -> ${Math.round(cpuRate).toLocaleString('en-US')} points/s with a free core each (wall depends on machine load)`,
  );
  console.log(
    `wrote ${saveBenchJson('client', { perCall: o, push: { ...p, serverCpuSeconds: serverCpu, wallPointsPerSecond: wallRate, cpuBoundPointsPerSecond: cpuRate } })}`,
  );
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
