/**
 * The app registration a desktop build carries: `CUTOVER_CLIENT_ID` at bundle time becomes this
 * constant (esbuild `define`, src/main/bundle-app.ts). Unbundled runs (CLI, web host, tests) have none.
 */
declare const __CUTOVER_BUILT_IN_CLIENT_ID__: string | undefined;

export function builtInClientId(): string | null {
  return typeof __CUTOVER_BUILT_IN_CLIENT_ID__ === 'string' && __CUTOVER_BUILT_IN_CLIENT_ID__ !== '' ? __CUTOVER_BUILT_IN_CLIENT_ID__ : null;
}
