// Run as a second local user: reads every /proc/<pid>/cmdline over and over, as the red
// team's attacker did to find the sign-in URL Latchkey handed to xdg-open and the
// browser, and prints each distinct command line that names a URL as one JSON line.
//   node cmdline-watcher.mjs
import { readdirSync, readFileSync } from 'node:fs';

const seen = new Set();
console.log(JSON.stringify({ event: 'ready' }));
function scan() {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let cmdline;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ');
    } catch {
      continue;
    }
    if (!cmdline.includes('http') || seen.has(`${pid} ${cmdline}`)) continue;
    seen.add(`${pid} ${cmdline}`);
    console.log(JSON.stringify({ event: 'cmdline', pid: Number(pid), cmdline }));
  }
  setTimeout(scan, 2);
}
scan();
