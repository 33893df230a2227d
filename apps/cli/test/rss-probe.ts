// Preloaded into a child `pairgrid` (node --import) by tests that bound its memory: on exit it
// writes the process's peak RSS in KiB to the file named by PAIRGRID_RSS_PROBE.
import { writeFileSync } from "node:fs";

const out = process.env.PAIRGRID_RSS_PROBE;
if (out) process.on("exit", () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
