import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * Plays the user's browser against oidc-provider's login and consent pages: follows redirects,
 * keeps cookies, fills the forms, and finally posts the form_post response to MSAL's loopback
 * server exactly as a browser's auto-submitting form would.
 */
export class FakeBrowser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly ca: string) {}

  async signIn(authorizeUrl: string, login: string, options: { cancel?: boolean } = {}): Promise<void> {
    let page = await this.follow(authorizeUrl, 'GET');
    for (let step = 0; step < 10; step++) {
      const form = parseForm(page.body);
      if (!form) throw new Error(`no form on page ${page.url}: ${page.body.replace(/<style[\s\S]*?<\/style>/, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 400)}`);
      if (form.action.startsWith('http://localhost') || form.action.startsWith('http://127.0.0.1')) {
        // form_post response: hand the code (or error) to MSAL's loopback listener.
        await this.send(form.action, 'POST', new URLSearchParams(form.fields).toString());
        return;
      }
      const isLogin = form.fields.prompt === 'login';
      if (options.cancel && isLogin) {
        const abort = new URL(`${form.action}/abort`, page.url).toString();
        page = await this.follow(abort, 'GET');
        continue;
      }
      if (isLogin) {
        form.fields.login = login;
        form.fields.password = 'letmein';
      }
      page = await this.follow(new URL(form.action, page.url).toString(), 'POST', new URLSearchParams(form.fields).toString());
    }
    throw new Error('sign-in did not finish');
  }

  /** Device code flow: the user opens the verification page elsewhere and types the code. */
  async enterDeviceCode(verificationUri: string, userCode: string, login: string): Promise<void> {
    let page = await this.follow(verificationUri, 'GET');
    for (let step = 0; step < 10; step++) {
      const form = parseForm(page.body);
      if (!form) {
        if (/success|signed in|you can close/i.test(page.body)) return;
        throw new Error(`no form on ${page.url}: ${page.body.slice(0, 300)}`);
      }
      if ('user_code' in form.fields) form.fields.user_code = userCode;
      if (form.fields.prompt === 'login') {
        form.fields.login = login;
        form.fields.password = 'letmein';
      }
      page = await this.follow(new URL(form.action, page.url).toString(), 'POST', new URLSearchParams(form.fields).toString());
    }
    throw new Error('device sign-in did not finish');
  }

  private async follow(url: string, method: string, body?: string): Promise<{ url: string; body: string }> {
    let current = url;
    let res = await this.send(current, method, body);
    for (let hops = 0; res.status >= 300 && res.status < 400 && res.location; hops++) {
      if (hops > 20) throw new Error('too many redirects');
      current = new URL(res.location, current).toString();
      res = await this.send(current, 'GET');
    }
    return { url: current, body: res.body };
  }

  private send(url: string, method: string, body?: string): Promise<{ status: number; location: string | undefined; body: string }> {
    const u = new URL(url);
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const make = u.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = make(u, { method, headers, ...(u.protocol === 'https:' ? { ca: this.ca } : {}) }, (res) => {
        for (const c of res.headers['set-cookie'] ?? []) {
          const [pair] = c.split(';');
          const eq = pair!.indexOf('=');
          this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
        }
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: text }));
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

function decode(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x2F;/g, '/');
}

function parseForm(html: string): { action: string; fields: Record<string, string> } | null {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input([^>]*)>/gi)) {
    const attrs = input[1]!;
    const name = /name="([^"]*)"/i.exec(attrs)?.[1];
    if (!name) continue;
    fields[decode(name)] = decode(/value="([^"]*)"/i.exec(attrs)?.[1] ?? '');
  }
  return { action: decode(form[1]!), fields };
}
