import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { fakeImage } from '../helpers/fake-face-engine.ts';
import { multipart, type Part } from '../helpers/multipart.ts';

// The clock stands still within a test: the default limit (10 a minute for an investigator) is
// reached by count alone, whatever the time the requests take. Each test moves it on by some
// minutes, so the client's own limit (60 a minute) never speaks for another test's requests.
// docs/architecture.md, "Accountable searches".
const START = Date.parse('2026-03-02T10:00:00.000Z');
const PARALLEL = 30;
const LIMIT = 10;

type Headers = { authorization: string };

describe('HTTP rate limits under concurrency: counted in the transaction that admits the request', () => {
  let h: ApiHarness;
  let origin: string;
  let now = new Date(START);
  let minute = 0;
  let storedFaceId: string;
  const nextMinutes = () => { minute += 5; now = new Date(START + minute * 60_000); };
  before(async () => {
    h = await apiHarness({ clock: { now: () => now } });
    origin = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const declared = await h.app.inject({
      method: 'POST', url: '/v1/sources', headers: h.as.operator,
      payload: { name: 'press', kind: 'upload', uri: 'api', legalBasis: 'legitimate-interests', jurisdictions: ['FR'], retentionDays: 30, specialCategoryCondition: 'substantial-public-interest' },
    });
    assert.equal(declared.statusCode, 201, declared.body);
    const { payload, headers } = multipart([{ name: 'images', filename: '21.png', data: fakeImage(21) }]);
    const uploaded = await h.app.inject({ method: 'POST', url: '/v1/sources/press/images', headers: { ...h.as.operator, ...headers }, payload });
    assert.equal(uploaded.statusCode, 201, uploaded.body);
    storedFaceId = uploaded.json().images[0].faces[0].id;
  });
  after(() => h.close());

  /** Sends the same request `PARALLEL` times at once over loopback; the statuses, sorted. */
  const burst = async (path: string, headers: Headers, parts: () => Part[]): Promise<number[]> => {
    const requests = Array.from({ length: PARALLEL }, () => {
      const body = multipart(parts());
      return fetch(`${origin}${path}`, { method: 'POST', headers: { ...headers, ...body.headers }, body: new Uint8Array(body.payload) });
    });
    const responses = await Promise.all(requests);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    return responses.map((r) => r.status).sort();
  };

  /**
   * A burst in which no probe is read until every request is either answered or inside the face
   * engine (`photos` calls each): all of them are in flight together, so a count taken before the
   * search ran and recorded after it would let every one of them through.
   */
  const heldBurst = async (headers: Headers, photos: number, parts: () => Part[]): Promise<number[]> => {
    const engine = h.engine;
    const analyse = engine.analyse.bind(engine);
    let answered = 0;
    let waiting = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const check = () => { if (answered + waiting / photos >= PARALLEL) release(); };
    engine.analyse = async (...args) => {
      waiting++;
      check();
      await gate;
      return analyse(...args);
    };
    try {
      const requests = Array.from({ length: PARALLEL }, async () => {
        const body = multipart(parts());
        const res = await fetch(`${origin}/v1/search`, { method: 'POST', headers: { ...headers, ...body.headers }, body: new Uint8Array(body.payload) });
        await res.arrayBuffer();
        if (res.status !== 200) answered++;
        check();
        return res.status;
      });
      return (await Promise.all(requests)).sort();
    } finally {
      engine.analyse = analyse;
    }
  };
  const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {});
  const justified = (): Part[] => [{ name: 'caseNumber', value: 'K-30' }, { name: 'purpose', value: 'burst' }];
  const image = (...seeds: number[]): Part => ({ name: 'image', filename: 'p.png', data: fakeImage(...seeds) });
  /** A new investigator of "police", so each test starts from no search of its own. */
  const investigator = async (name: string): Promise<{ headers: Headers; id: string }> => {
    const added = await h.accounts.addUser({ name, client: 'police', roles: ['investigator'] }, 'test');
    return { headers: { authorization: `Bearer ${added.key}` }, id: added.user.id };
  };
  const searchesOf = (userId: string, kind?: 'search' | 'compare' | 'detect') =>
    h.store.accounts.searches.countSince({ userId }, new Date(now.getTime() - 60_000).toISOString(), kind);

  it(`${PARALLEL} parallel searches by one investigator: ${LIMIT} answered, the rest 429, each one audited`, async () => {
    nextMinutes();
    const me = await investigator('ivy');
    const statuses = await heldBurst(me.headers, 1, () => [image(7), ...justified()]);
    assert.deepEqual(tally(statuses), { 200: LIMIT, 429: PARALLEL - LIMIT });
    assert.equal(await searchesOf(me.id), LIMIT);
    const mine = (e: { actor: string }) => e.actor === me.id;
    assert.equal((await h.services.audit.list({ action: 'search', limit: 500 })).filter(mine).length, LIMIT);
    const refused = (await h.services.audit.list({ action: 'search.refused', limit: 500 })).filter(mine);
    assert.equal(refused.length, PARALLEL - LIMIT);
    assert.ok(refused.every((e) => e.details.ruleId === 'user-rate-limit'));
  });

  it(`${PARALLEL} parallel fused searches (two photos each): ${LIMIT} answered`, async () => {
    nextMinutes();
    const me = await investigator('fay');
    const statuses = await heldBurst(me.headers, 2, () => [image(7), image(8), ...justified()]);
    assert.deepEqual(tally(statuses), { 200: LIMIT, 429: PARALLEL - LIMIT });
    assert.equal(await searchesOf(me.id), LIMIT);
  });

  it(`${PARALLEL} parallel pivots from a stored face: ${LIMIT} answered`, async () => {
    nextMinutes();
    const me = await investigator('piet');
    const statuses = await burst('/v1/search', me.headers, () => [{ name: 'faceId', value: storedFaceId }, ...justified()]);
    assert.deepEqual(tally(statuses), { 200: LIMIT, 429: PARALLEL - LIMIT });
    assert.equal(await searchesOf(me.id), LIMIT);
  });

  it(`${PARALLEL} parallel group photos of 2 faces: each face is a search, so ${LIMIT / 2} photos are answered`, async () => {
    nextMinutes();
    const me = await investigator('greta');
    const statuses = await burst('/v1/search', me.headers, () => [image(7, 8), { name: 'faces', value: 'all' }, ...justified()]);
    assert.deepEqual(tally(statuses), { 200: LIMIT / 2, 429: PARALLEL - LIMIT / 2 });
    assert.equal(await searchesOf(me.id), LIMIT);
    // Finding the faces is admitted as a detection, counted apart: no more than the limit of those either.
    assert.equal(await searchesOf(me.id, 'detect'), LIMIT);
  });

  it('a group photo whose faces do not all fit under the limit is refused whole, and no face of it is searched', async () => {
    nextMinutes();
    const me = await investigator('gus');
    const search = async (parts: Part[]) => {
      const body = multipart(parts);
      return h.app.inject({ method: 'POST', url: '/v1/search', headers: { ...me.headers, ...body.headers }, payload: body.payload });
    };
    for (let i = 0; i < 7; i++) assert.equal((await search([image(7), ...justified()])).statusCode, 200);
    const four = await search([image(7, 8, 9, 10), { name: 'faces', value: 'all' }, ...justified()]);
    assert.equal(four.statusCode, 429, four.body);
    assert.equal(four.json().details.ruleId, 'user-rate-limit');
    assert.match(four.json().message, /made 7 searches in the last minute, 4 more are asked for at once, the limit is 10/);
    assert.equal(await searchesOf(me.id), 7);
    const three = await search([image(7, 8, 9), { name: 'faces', value: 'all' }, ...justified()]);
    assert.equal(three.statusCode, 200, three.body);
    assert.equal(three.json().probes.length, 3);
    assert.equal(await searchesOf(me.id), LIMIT);
  });

  it(`${PARALLEL} parallel comparisons: counted like searches, ${LIMIT} answered`, async () => {
    nextMinutes();
    const me = await investigator('cora');
    const statuses = await burst('/v1/compare', me.headers, () => [
      { name: 'a', filename: 'a.png', data: fakeImage(7) }, { name: 'b', filename: 'b.png', data: fakeImage(7) }, ...justified(),
    ]);
    assert.deepEqual(tally(statuses), { 200: LIMIT, 429: PARALLEL - LIMIT });
    assert.equal(await searchesOf(me.id, 'compare'), LIMIT);
    assert.equal((await h.services.audit.list({ action: 'compare', limit: 500 })).filter((e) => e.actor === me.id).length, LIMIT);
  });

  it(`${PARALLEL} parallel detections: counted like searches, ${LIMIT} answered`, async () => {
    nextMinutes();
    const me = await investigator('dex');
    const statuses = await burst('/v1/detect', me.headers, () => [image(7, 8)]);
    assert.deepEqual(tally(statuses), { 200: LIMIT, 429: PARALLEL - LIMIT });
    const mine = (e: { actor: string }) => e.actor === me.id;
    assert.equal((await h.services.audit.list({ action: 'detect', limit: 500 })).filter(mine).length, LIMIT);
    assert.equal((await h.services.audit.list({ action: 'detect.refused', limit: 500 })).filter(mine).length, PARALLEL - LIMIT);
  });

  it('refuses comparisons and detections to a client granted no gallery, and audits the refusals', async () => {
    nextMinutes();
    const compare = multipart([{ name: 'a', filename: 'a.png', data: fakeImage(7) }, { name: 'b', filename: 'b.png', data: fakeImage(7) }, ...justified()]);
    const compared = await h.app.inject({ method: 'POST', url: '/v1/compare', headers: { ...h.as.outsider, ...compare.headers }, payload: compare.payload });
    assert.equal(compared.statusCode, 403, compared.body);
    assert.equal(compared.json().code, 'LIKENESS_FORBIDDEN');
    const detect = multipart([image(7)]);
    const detected = await h.app.inject({ method: 'POST', url: '/v1/detect', headers: { ...h.as.outsider, ...detect.headers }, payload: detect.payload });
    assert.equal(detected.statusCode, 403, detected.body);
    const [refusedCompare] = await h.services.audit.list({ action: 'compare.refused', limit: 1 });
    const [refusedDetect] = await h.services.audit.list({ action: 'detect.refused', limit: 1 });
    assert.equal(refusedCompare?.details.code, 'LIKENESS_FORBIDDEN');
    assert.equal(refusedDetect?.details.code, 'LIKENESS_FORBIDDEN');
    assert.equal(refusedDetect?.client, refusedCompare?.client);
  });
});
