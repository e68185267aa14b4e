/** One answer as a browser sees it before following anything. */
export interface BrowserAnswer {
  readonly status: number;
  readonly location?: string;
  readonly text: string;
  readonly setCookies: string[];
}

/**
 * A minimal browser over fetch: keeps cookies per host (honouring Max-Age=0), never follows redirects
 * by itself, so tests see and can tamper with every hop of a sign-in.
 */
export class CookieBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name);
  }

  setCookie(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)!.set(name, value);
  }

  async request(method: string, url: string, options: { form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<BrowserAnswer> {
    const host = new URL(url).host;
    const cookies = [...(this.jar.get(host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { ...(cookies ? { cookie: cookies } : {}), ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...options.headers },
      ...(options.form ? { body: new URLSearchParams(options.form).toString() } : {}),
    });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
      if (!this.jar.has(host)) this.jar.set(host, new Map());
      if (expired || value === '') this.jar.get(host)!.delete(name);
      else this.jar.get(host)!.set(name, value);
    }
    const location = res.headers.get('location');
    return { status: res.status, ...(location ? { location: new URL(location, url).href } : {}), text: await res.text(), setCookies };
  }

  /** Follows redirects until an answer that is not one, or until `stop` says to stop at a URL. */
  async follow(url: string, stop: (url: string) => boolean = () => false): Promise<BrowserAnswer & { url: string }> {
    let current = url;
    for (let hops = 0; hops < 20; hops++) {
      if (hops > 0 && stop(current)) return { status: 0, text: '', setCookies: [], url: current };
      const answer = await this.request('GET', current);
      if (answer.status < 300 || answer.status >= 400 || !answer.location) return { ...answer, url: current };
      current = answer.location;
    }
    throw new Error(`too many redirects from ${url}`);
  }
}
