import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { DEFAULT_KEY_DAYS } from '../../services/accounts/accounts-service.ts';
import type { ApiServices } from '../api-services.ts';
import { permit, principalOf } from '../auth.ts';
import {
  AccountName, AdminClient, AdminKey, AdminUser, CreatedUser, GalleryName, IssuedKey, KeyPrefix, KeyRequest, NewClient, NewUser, PageLimit, RolesChange, SecondFactor,
} from '../admin-schemas.ts';
import { errorResponses, Gallery } from '../schemas.ts';

const tags = ['admin'];
const UserParam = Type.Object({ user: AccountName });
const GrantParams = Type.Object({ client: AccountName, gallery: GalleryName });

// A key's secret must not stay in a cache on the way back.
const secret = (reply: FastifyReply) => reply.header('cache-control', 'no-store').status(201);

/**
 * Accounts over HTTP for the controller's admins (docs/architecture.md, "Accounts over HTTP"):
 * clients and their gallery grants, users and their roles, API keys. Authenticated like every
 * route of /v1; each route's action is decided before its body is read, and again by the use case.
 */
export const adminRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  const admin = services.accountsAdmin;
  const read = { onRequest: permit(services.authoriser, 'accounts.read') };
  const write = { onRequest: permit(services.authoriser, 'accounts.write') };

  app.get('/admin/clients', {
    ...read,
    schema: { tags, operationId: 'listClients', summary: 'List client organisations with the galleries each is granted', response: { 200: Type.Array(AdminClient), ...errorResponses(401, 403) } },
  }, async (request) => admin.listClients(principalOf(request)));

  app.post('/admin/clients', {
    ...write,
    schema: { tags, operationId: 'createClient', summary: 'Add a client organisation', body: NewClient, response: { 201: AdminClient, ...errorResponses(400, 401, 403, 409) } },
  }, async (request, reply) => reply.status(201).send(await admin.addClient(principalOf(request), request.body)));

  app.get('/admin/galleries', {
    ...read,
    schema: { tags, operationId: 'listGrantableGalleries', summary: 'List the galleries a client can be granted', response: { 200: Type.Array(Gallery), ...errorResponses(401, 403) } },
  }, async (request) => admin.listGalleries(principalOf(request)));

  app.put('/admin/clients/:client/galleries/:gallery', {
    ...write,
    schema: { tags, operationId: 'grantGallery', summary: 'Let a client\'s users search a gallery', params: GrantParams, response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) } },
  }, async (request, reply) => {
    await admin.grantGallery(principalOf(request), request.params.client, request.params.gallery);
    return reply.status(204).send(null);
  });

  app.delete('/admin/clients/:client/galleries/:gallery', {
    ...write,
    schema: { tags, operationId: 'revokeGallery', summary: 'Withdraw a client\'s grant of a gallery', params: GrantParams, response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) } },
  }, async (request, reply) => {
    await admin.revokeGallery(principalOf(request), request.params.client, request.params.gallery);
    return reply.status(204).send(null);
  });

  app.get('/admin/users', {
    ...read,
    schema: {
      tags, operationId: 'listUsers', summary: 'List users by name, a page at a time',
      querystring: Type.Object({ client: Type.Optional(AccountName), after: Type.Optional(AccountName), limit: PageLimit }),
      response: { 200: Type.Array(AdminUser), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => admin.listUsers(principalOf(request), request.query));

  app.post('/admin/users', {
    ...write,
    schema: {
      tags, operationId: 'createUser', summary: 'Add a user with roles and issue their first API key (in this answer only)',
      body: NewUser, response: { 201: CreatedUser, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    const created = await admin.addUser(principalOf(request), request.body);
    return secret(reply).send({ ...created, user: { ...created.user, clientName: created.client.name } });
  });

  app.put('/admin/users/:user/roles', {
    ...write,
    schema: {
      tags, operationId: 'setUserRoles', summary: 'Replace a user\'s roles', params: UserParam, body: RolesChange,
      response: { 200: AdminUser, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (request) => admin.setRoles(principalOf(request), request.params.user, request.body.roles));

  app.post('/admin/users/:user/disable', {
    ...write,
    schema: { tags, operationId: 'disableUser', summary: 'Disable a user: none of their keys authenticates', params: UserParam, response: { 200: AdminUser, ...errorResponses(400, 401, 403, 404, 409) } },
  }, async (request) => admin.setDisabled(principalOf(request), request.params.user, true));

  app.post('/admin/users/:user/enable', {
    ...write,
    schema: { tags, operationId: 'enableUser', summary: 'Enable a disabled user again', params: UserParam, response: { 200: AdminUser, ...errorResponses(400, 401, 403, 404, 409) } },
  }, async (request) => admin.setDisabled(principalOf(request), request.params.user, false));

  app.delete('/admin/users/:user', {
    ...write,
    schema: {
      tags, operationId: 'deleteUser', summary: 'Delete a user who made no search, watch or review, with their keys',
      params: UserParam, response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    await admin.deleteUser(principalOf(request), request.params.user);
    return reply.status(204).send(null);
  });

  app.get('/admin/keys', {
    ...read,
    schema: {
      tags, operationId: 'listKeys', summary: 'List API keys of a user, or by prefix (never a secret)',
      querystring: Type.Object({ user: Type.Optional(AccountName), prefix: Type.Optional(Type.String({ pattern: '^[0-9a-f]{1,12}$' })), limit: PageLimit }),
      response: { 200: Type.Array(AdminKey), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => admin.listKeys(principalOf(request), request.query));

  app.post('/admin/users/:user/keys', {
    ...write,
    schema: {
      tags, operationId: 'issueKey', summary: 'Issue another API key to a user (in this answer only)',
      params: UserParam, body: Type.Optional(KeyRequest), response: { 201: IssuedKey, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => secret(reply).send(await admin.issueKey(principalOf(request), request.params.user, request.body?.days ?? DEFAULT_KEY_DAYS)));

  app.post('/admin/users/:user/second-factor', {
    ...write,
    schema: {
      tags, operationId: 'resetSecondFactor', summary: 'Replace a user\'s second factor (a lost phone): the new secret and recovery codes in this answer only; the old ones and the user\'s sessions end',
      params: UserParam, response: { 201: SecondFactor, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const { secret: totpSecret, uri, recoveryCodes } = await admin.resetSecondFactor(principalOf(request), request.params.user);
    return secret(reply).send({ secret: totpSecret, uri, recoveryCodes });
  });

  app.delete('/admin/keys/:prefix', {
    ...write,
    schema: { tags, operationId: 'revokeKey', summary: 'Revoke an API key at once', params: Type.Object({ prefix: KeyPrefix }), response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    await admin.revokeKey(principalOf(request), request.params.prefix);
    return reply.status(204).send(null);
  });
};
