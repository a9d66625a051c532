/**
 * Polls a real condition (never a fixed sleep) until it gives a value, with a generous bound for a slow,
 * shared machine; the bound only turns a hang into a named failure.
 */
export async function until<T>(what: string, probe: () => Promise<T | null | false> | T | null | false, boundMs = 90_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
