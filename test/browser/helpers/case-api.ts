import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { UiServer } from './ui-server.ts';

// What the other people of a case do through the API while the test drives one of them in the
// browser: file and approve a watch, upload a photo, file a subject request, read the audit log.

export const WATCHES_ON = 'watches:\n  enabled: true\n';

function photo(path: string): Blob {
  return new Blob([readFileSync(path)], { type: 'image/jpeg' });
}

async function call<T>(server: UiServer, key: string, method: string, path: string, body?: FormData | object, expected = 200): Promise<T> {
  const json = body !== undefined && !(body instanceof FormData);
  const res = await fetch(`${server.origin}${path}`, {
    method, body: json ? JSON.stringify(body) : body as FormData | undefined,
    headers: { authorization: `Bearer ${key}`, ...(json ? { 'content-type': 'application/json' } : {}) },
  });
  assert.equal(res.status, expected, `${method} ${path}: ${await res.clone().text()}`);
  return await res.json() as T;
}

/** A watch filed by the investigator with one photo and approved by the supervisor: active from now. */
export async function activeWatch(server: UiServer, photoPath: string, caseNumber: string, purpose: string): Promise<string> {
  const form = new FormData();
  form.append('image', photo(photoPath), basename(photoPath));
  form.append('caseNumber', caseNumber);
  form.append('purpose', purpose);
  form.append('expiresInDays', '30');
  const { id } = await call<{ id: string }>(server, server.keys.investigator, 'POST', '/v1/watches', form, 201);
  await call(server, server.keys.overseer, 'POST', `/v1/watches/${id}/approve`);
  return id;
}

/** A photo uploaded by the operator into the upload source: one more face in the gallery, matched against the active watches. */
export async function uploadPhoto(server: UiServer, photoPath: string): Promise<string[]> {
  const form = new FormData();
  form.append('images', photo(photoPath), basename(photoPath));
  const result = await call<{ images: Array<{ faces: Array<{ id: string }> }> }>(server, server.keys.operator, 'POST', '/v1/sources/operator-uploads/images', form, 201);
  return result.images.flatMap((i) => i.faces.map((f) => f.id));
}

/** A subject request as the data subject files it, with a selfie and no account. */
export async function subjectRequest(server: UiServer, kind: string, selfiePath: string): Promise<string> {
  const form = new FormData();
  form.append('kind', kind);
  form.append('contact', 'subject@example.org');
  form.append('selfie', photo(selfiePath), 'selfie.jpg');
  const res = await fetch(`${server.origin}/v1/subject-requests`, { method: 'POST', body: form });
  assert.equal(res.status, 202, await res.clone().text());
  return (await res.json() as { requestId: string }).requestId;
}

/** Approves a subject request as the DPO, with a reason in case the selfie failed verification. */
export async function approveRequest(server: UiServer, id: string): Promise<void> {
  await call(server, server.keys.dpo, 'POST', `/v1/dpo/requests/${id}/approve`, { reason: 'identity checked by video call' });
}

export interface AuditRow { seq: number; actor: string; action: string; target: string | null; details: Record<string, unknown> }

/** The audit entries of the client as its auditor reads them through the API, newest first. */
export function auditEntries(server: UiServer, query: string): Promise<AuditRow[]> {
  return call<AuditRow[]>(server, server.keys.overseer, 'GET', `/v1/audit?${query}`);
}

export async function userId(server: UiServer, key: string): Promise<string> {
  return (await call<{ user: { id: string } }>(server, key, 'GET', '/v1/me')).user.id;
}

export function asJson<T>(server: UiServer, key: string, path: string): Promise<T> {
  return call<T>(server, key, 'GET', path);
}
