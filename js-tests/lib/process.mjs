// Starting the servers the Node suites talk to (examples, the CLI's receiver, Redis): one
// child process, its stdout lines collected, and its address once it says it is ready.
import { spawn } from 'node:child_process';

/** The line a payhook example prints when it listens. */
export const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * Starts `command args` in `cwd` with `env` added to this process's. `url` resolves with the
 * first capture of `ready` (or `true` when it has none) once a stdout line matches, and
 * rejects if the process exits first or stays silent for `timeoutMs` (20 s).
 * `group: true` starts it in a process group of its own (for `npm start`, whose server is a
 * grandchild): `stop()` ends the whole group; otherwise it kills the child.
 */
export function startServer(command, args, { cwd, env = {}, ready = LISTENING, timeoutMs = 20_000, group = false } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: group });
  const lines = [];
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: not ready within ${timeoutMs / 1000} s: ${stderr}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        lines.push(line);
        const found = line.match(ready);
        if (found) {
          clearTimeout(timer);
          resolve(found[1] ?? true);
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (group) process.kill(-child.pid, 'SIGTERM');
      else child.kill();
    } catch {} // already gone
  };
  return { child, url, lines, stop, stderr: () => stderr };
}
