// Signing a reviewer in over HTTP, as a browser does: GET /login (pre-session cookie + hidden _csrf),
// POST /login (form) -> session cookie, then GET / for the page's <meta name="csrf-token">.
// Every step that does not go as expected throws with the status and what came back, so that a
// problem in the server's sign-in shows up as such.

export const SESSION_COOKIE = 'copydesk_session';
export const PRE_SESSION_COOKIE = 'copydesk_presession';

export interface Session {
  username: string;
  /** "copydesk_session=…", ready for a Cookie header. */
  cookie: string;
  /** The session's CSRF token (X-CSRF-Token on writes). */
  csrf: string;
}

export class SignInError extends Error {}

/** name=value of the named cookie among the response's Set-Cookie headers. */
function setCookie(res: Response, name: string): string | undefined {
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(';', 1)[0]!.trim();
    const i = pair.indexOf('=');
    if (i > 0 && pair.slice(0, i) === name && pair.slice(i + 1) !== '') return pair;
  }
  return undefined;
}

function decodeHtml(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The value of <input … name="NAME" … value="…"> (attribute order free). */
export function hiddenField(html: string, name: string): string | undefined {
  for (const m of html.matchAll(/<input\b[^>]*>/gi)) {
    const tag = m[0];
    if (!new RegExp(`\\bname=["']${name}["']`).test(tag)) continue;
    const v = /\bvalue=(["'])(.*?)\1/.exec(tag);
    if (v) return decodeHtml(v[2]!);
  }
  return undefined;
}

/** The content of <meta name="csrf-token" content="…">. */
export function metaCsrf(html: string): string | undefined {
  for (const m of html.matchAll(/<meta\b[^>]*>/gi)) {
    if (!/\bname=["']csrf-token["']/.test(m[0])) continue;
    const v = /\bcontent=(["'])(.*?)\1/.exec(m[0]);
    if (v) return decodeHtml(v[2]!);
  }
  return undefined;
}

function snippet(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 300 ? `${t.slice(0, 297)}…` : t;
}

/** Sign one user in; throws SignInError naming the step that failed. */
export async function signIn(base: string, username: string, password: string): Promise<Session> {
  const timeout = () => AbortSignal.timeout(30_000);
  const form = await fetch(`${base}/login`, { redirect: 'manual', headers: { accept: 'text/html' }, signal: timeout() });
  const formHtml = await form.text();
  if (form.status !== 200) throw new SignInError(`GET /login answered ${form.status} (expected 200): ${snippet(formHtml)}`);
  const pre = setCookie(form, PRE_SESSION_COOKIE);
  const csrfField = hiddenField(formHtml, '_csrf');
  if (!pre) throw new SignInError(`GET /login set no ${PRE_SESSION_COOKIE} cookie (Set-Cookie: ${JSON.stringify(form.headers.getSetCookie())})`);
  if (!csrfField) throw new SignInError('GET /login: the sign-in form has no hidden _csrf field');

  const body = new URLSearchParams({ _csrf: csrfField, next: '/', username, password });
  const post = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: pre },
    body: body.toString(),
    signal: timeout(),
  });
  const postText = await post.text();
  if (post.status !== 303 && post.status !== 302) {
    throw new SignInError(`POST /login as ${username} answered ${post.status} (expected a 303 redirect): ${snippet(postText)}`);
  }
  const cookie = setCookie(post, SESSION_COOKIE);
  if (!cookie) throw new SignInError(`POST /login as ${username} redirected to ${post.headers.get('location')} without setting ${SESSION_COOKIE}`);

  const page = await fetch(`${base}/`, { redirect: 'manual', headers: { accept: 'text/html', cookie }, signal: timeout() });
  const pageHtml = await page.text();
  if (page.status !== 200) {
    throw new SignInError(`GET / with the new session of ${username} answered ${page.status}${page.headers.get('location') ? ` -> ${page.headers.get('location')}` : ''} (expected 200): ${snippet(pageHtml)}`);
  }
  const csrf = metaCsrf(pageHtml);
  if (!csrf) throw new SignInError(`GET / signed in as ${username}: the page has no <meta name="csrf-token" content="…">`);
  return { username, cookie, csrf };
}

/**
 * Sign many users in, a few at a time: the server counts an attempt as a failure until its password
 * check has passed, and throttles an address with many failures at once, so a burst of sign-ins
 * from one address must stay small.
 */
export async function signInAll(base: string, users: readonly { username: string; password: string }[], concurrency = 4): Promise<Session[]> {
  const out: Session[] = new Array(users.length);
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const i = next++;
      out[i] = await signIn(base, users[i]!.username, users[i]!.password);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, worker));
  return out;
}
