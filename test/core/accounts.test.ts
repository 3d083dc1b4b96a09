// Accounts: sign-up, sign-in, sign-out, who-am-I, and sign-in rate limits.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Client, newPersonalToken, newUser } from '../helpers/client.ts';
import { forEachDatabase } from '../helpers/server.ts';

forEachDatabase('accounts', (ctx) => {
  const client = () => new Client(ctx.server.url);

  it('signs up with 201, a session cookie, and no password in the answer', async () => {
    const c = client();
    const reply = await c.post('/api/auth/signup', { json: { email: 'Ada@Example.com', password: 'analytical engine', name: 'Ada' } });
    assert.equal(reply.status, 201);
    assert.deepEqual(Object.keys(reply.body).sort(), ['email', 'id', 'name']);
    assert.equal(reply.body.email, 'ada@example.com');
    const cookie = reply.headers.getSetCookie().find((line) => line.startsWith('steep_session='))!;
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /steep_session=stp_ss_/);
    const me = await c.get('/api/auth/user/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.name, 'Ada');
  });

  it('refuses a taken email with 409, whatever its case', async () => {
    const reply = await client().post('/api/auth/signup', { json: { email: 'ADA@example.com', password: 'something else' } });
    assert.equal(reply.status, 409);
    assert.equal(reply.body.code, 'conflict');
  });

  it('validates sign-up fields and names them', async () => {
    for (const [body, path] of [
      [{ email: 'not-an-email', password: '12345678' }, 'email'],
      [{ email: 'short@example.com', password: '1234567' }, 'password'],
      [{ email: 'long@example.com', password: 'x'.repeat(129) }, 'password'],
      [{ password: '12345678' }, 'email'],
    ] as const) {
      const reply = await client().post('/api/auth/signup', { json: body });
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.equal(reply.body.code, 'validation_failed');
      assert.equal(reply.body.details[0].path, path);
      assert.match(reply.body.message, new RegExp(`^${path}: `));
    }
  });

  it('signs in, and answers an unknown email exactly like a wrong password', async () => {
    const ok = await client().post('/api/auth/signin', { json: { email: 'ada@example.com', password: 'analytical engine' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.email, 'ada@example.com');
    const wrong = await client().post('/api/auth/signin', { json: { email: 'ada@example.com', password: 'difference engine' } });
    const unknown = await client().post('/api/auth/signin', { json: { email: 'nobody@example.com', password: 'difference engine' } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
  });

  it('signs out: the cookie is cleared and the session is dead server-side', async () => {
    const { client: c } = await newUser(ctx.server.url);
    const stolen = c.cookies.get('steep_session')!;
    const out = await c.post('/api/auth/signout');
    assert.equal(out.status, 200);
    assert.equal(c.cookies.has('steep_session'), false);
    const replay = await client().get('/api/auth/user/me', { headers: { cookie: `steep_session=${stolen}` } });
    assert.equal(replay.status, 401);
  });

  it('answers /api/auth/user for a session and a PAT, and 401 without credentials', async () => {
    const { client: c, email } = await newUser(ctx.server.url);
    const token = await newPersonalToken(c);
    assert.equal((await c.get('/api/auth/user')).body.email, email);
    const byToken = await client().get('/api/auth/user', { token });
    assert.equal(byToken.status, 200);
    assert.equal(byToken.body.email, email);
    assert.equal((await client().get('/api/auth/user/me', { token })).status, 200);
    assert.equal((await client().get('/api/auth/user')).status, 401);
    assert.equal((await client().get('/api/auth/user', { token: 'stp_pat_unknown' })).status, 401);
    assert.equal((await client().get('/api/auth/user', { headers: { authorization: 'Basic abc' } })).status, 401);
  });

  it('refuses a session-cookie write from another site', async () => {
    const { client: c } = await newUser(ctx.server.url);
    const reply = await c.post('/api/auth/signout', { headers: { origin: 'https://evil.example' } });
    assert.equal(reply.status, 403);
    assert.equal((await c.get('/api/auth/user/me')).status, 200);
  });

  it('backs off sign-in for an account from one address after 10 failures, with Retry-After, until the window ends', async () => {
    const { email, password } = await newUser(ctx.server.url);
    for (let i = 0; i < 10; i++) {
      assert.equal((await client().post('/api/auth/signin', { json: { email, password: 'wrong password' } })).status, 401);
    }
    const limited = await client().post('/api/auth/signin', { json: { email, password } });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) > 0 && Number(limited.headers.get('retry-after')) <= 900);
    ctx.server.clock.advance(15 * 60);
    assert.equal((await client().post('/api/auth/signin', { json: { email, password } })).status, 200);
  });
});
