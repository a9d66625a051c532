/**
 * What a browser gets for the app's address without its secret (an old bookmark, a restarted
 * host, the address typed by hand): how to open the app, instead of a page that never loads.
 * Static text: nothing from the request is echoed.
 */
export function noTokenPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Cutover: open the address with its key</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}code{font-size:.95em}</style>
</head>
<body>
<main>
<h1>Cutover needs its full address</h1>
<p>For your safety, Cutover only opens from the address it printed when it started. That address ends with <code>?token=</code> and a long key, for example <code>http://127.0.0.1:8080/?token=…</code>.</p>
<p>Copy it from the window where Cutover is running (<code>npm run web</code>) and open it here. If Cutover was started again since, its key changed: use the new address.</p>
</main>
</body>
</html>
`;
}
