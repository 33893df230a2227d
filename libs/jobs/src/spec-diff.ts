// Comparing a spec with the one stored with a job, for `pairgrid run --resume`: validated specs
// (defaults filled in, data paths absolute) compared as JSON values, so comments, key order and
// formatting in the file do not matter but any setting that changes results does.

/** Path of the first difference between two JSON values (`params.z_entry`), or null if equal. */
export function firstDifference(a: unknown, b: unknown, path = ""): string | null {
  if (Object.is(a, b)) return null;
  const here = path || "(spec)";
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return here;
  if (Array.isArray(a) !== Array.isArray(b)) return here;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  for (const k of keys) {
    const d = firstDifference(ra[k], rb[k], path ? `${path}.${k}` : k);
    if (d !== null) return d;
  }
  return null;
}

/** The spec as stored: a JSON round trip drops undefined fields, as the database does. */
export function storedForm(spec: unknown): unknown {
  return JSON.parse(JSON.stringify(spec));
}
