// Runs the real CLI in this process and reports its peak resident memory (maxRSS) on stderr,
// so the benchmark measures exactly what a user runs.
import { main } from '../../src/main/cli/main.js';

const code = await main(process.argv.slice(2));
process.stderr.write(`\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
