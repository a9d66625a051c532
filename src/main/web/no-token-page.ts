/**
 * What a browser gets for the app's address without its secret (an old bookmark, a restarted
 * host, the address typed by hand): how to open the app, instead of a page that never loads.
 * Static text: nothing from the request is echoed.
 */
export function noTokenPage(): string {
  return page(
    'Cutover needs its full address',
    `<p>For your safety, Cutover only opens from the address it printed when it started. That address ends with <code>?token=</code> and a long key, for example <code>http://127.0.0.1:8080/?token=…</code>.</p>
<p>Copy it from the window where Cutover is running (<code>npm run web</code>) and open it here. If Cutover was started again since, its key changed: use the new address.</p>`,
  );
}

/** For a page asked for under an address that is not Cutover's own (a tunnel to another local port, a foreign name). */
export function wrongAddressPage(): string {
  return page(
    'Cutover answers only on its own address',
    `<p>Cutover accepts pages only from the address it printed when it started (127.0.0.1, localhost or [::1] with its port), so other web pages cannot reach it.</p>
<p>If you reach it through an SSH tunnel whose local port differs from Cutover's, start Cutover with <code>--public-origin http://localhost:LOCAL-PORT</code> and open the address it prints under "Through the tunnel".</p>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Cutover: ${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}code{font-size:.95em}</style>
</head>
<body>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}
