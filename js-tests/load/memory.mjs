// Resident memory of a receiver process, read from /proc. Linux only. The Worker example is
// node running miniflare, which runs the receiver in a workerd child: that one is found by name.
import { readdirSync, readFileSync } from 'node:fs';

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // the process ended between listing and reading
  }
};

/** The pids of `pid` and every process below it. */
function tree(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
    const stat = read(`/proc/${entry}/stat`);
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!parents.has(ppid)) parents.set(ppid, []);
    parents.get(ppid).push(Number(entry));
  }
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) pids.push(...(parents.get(pids[i]) ?? []));
  return pids;
}

/** VmRSS in bytes of `pid`, or, given `name`, of the processes so named among it and its descendants. */
export function rss(pid, name) {
  let kib = 0;
  for (const p of name ? tree(pid) : [pid]) {
    const status = read(`/proc/${p}/status`);
    if (!name || status.match(/^Name:\s+(.*)$/m)?.[1] === name) kib += Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? 0);
  }
  return kib * 1024;
}
