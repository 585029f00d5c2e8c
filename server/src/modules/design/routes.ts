import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { designElementLifecycle } from './element.lifecycle.ts';
import { designLinkLifecycle } from './link.lifecycle.ts';
import { designProjectLifecycle } from './project.lifecycle.ts';
import { presentElement, presentLink, presentProject } from './presenter.ts';
import {
  ActionBody,
  ConfirmBody,
  CreateElementBody,
  CreateLinkBody,
  CreateProjectBody,
  ElementActionParams,
  LinkParams,
  ProjectActionParams,
} from './schema.ts';
import * as design from './service.ts';

// Design controls over HTTP (ISO 13485:2016 7.3): projects and their plan, elements, trace
// links, the live trace matrix and its gaps.
export function designRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  const tag = 'design';
  route(
    r,
    { method: 'get', path: '/design-projects', tag, summary: 'Design projects', access: 'design.read' },
    async ({ user }) => (await design.listProjects(s)).map((p) => presentProject(p, user)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/design-projects',
      tag,
      summary: 'Open the design project of a device',
      access: 'design.write',
      status: 201,
      body: CreateProjectBody,
    },
    async ({ body, user }, ctx) => {
      const p = await design.createProject(s, user, body);
      ctx.status = 201;
      return presentProject(p, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/design-projects/:id',
      tag,
      summary: 'A design project',
      access: 'design.read',
      params: IdParams,
    },
    async ({ params, user }) => presentProject(await design.getProject(s, params.id), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/design-projects/:id/actions/:action',
      tag,
      summary: 'Edit, approve (signature) or revise the design plan',
      access: 'design.read',
      params: ProjectActionParams,
      body: ActionBody,
    },
    async ({ params, body, user }) =>
      presentProject(await design.projectAction(s, user, params.id, params.action, body), user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/design-projects/:id/elements',
      tag,
      summary: "A project's design elements",
      access: 'design.read',
      params: IdParams,
    },
    async ({ params, user }) => {
      await design.getProject(s, params.id);
      return (await design.listElements(s, params.id)).map((e) => presentElement(e, user));
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/design-projects/:id/elements',
      tag,
      summary: 'Add a design element (need, input, output, verification, validation, review, transfer)',
      access: 'design.write',
      status: 201,
      errors: [422], // a reference to an element not in this project (DESIGN_ELEMENT_NOT_IN_PROJECT)
      params: IdParams,
      body: CreateElementBody,
    },
    async ({ params, body, user }, ctx) => {
      const e = await design.createElement(s, user, params.id, body);
      ctx.status = 201;
      return presentElement(e, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/design-elements/:id',
      tag,
      summary: 'A design element',
      access: 'design.read',
      params: IdParams,
    },
    async ({ params, user }) => presentElement(await design.getElement(s, params.id), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/design-elements/:id/actions/:action',
      tag,
      summary: 'Edit, approve (signature) or revise a design element',
      access: 'design.read',
      errors: [422], // an edit naming an element not in this project (DESIGN_ELEMENT_NOT_IN_PROJECT)
      params: ElementActionParams,
      body: ActionBody,
    },
    async ({ params, body, user }) =>
      presentElement(await design.elementAction(s, user, params.id, params.action, body), user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/design-projects/:id/links',
      tag,
      summary: "A project's trace links",
      access: 'design.read',
      params: IdParams,
    },
    async ({ params, user }) => {
      await design.getProject(s, params.id);
      return (await design.listLinks(s, params.id)).map((l) => presentLink(l, user));
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/design-projects/:id/links',
      tag,
      summary: 'Trace one element to the next (no cross-project link, no cycle)',
      access: 'design.write',
      status: 201,
      errors: [422], // an element that is not in this project (DESIGN_ELEMENT_NOT_IN_PROJECT)
      params: IdParams,
      body: CreateLinkBody,
    },
    async ({ params, body, user }, ctx) => {
      const l = await design.addLink(s, user, params.id, body.from, body.to);
      ctx.status = 201;
      return presentLink(l, user);
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/design-projects/:id/links/:linkId/confirm',
      tag,
      summary: 'Re-confirm a suspect link (signature "verified")',
      access: 'design.read',
      params: LinkParams,
      body: ConfirmBody,
    },
    async ({ params, body, user }) =>
      presentLink(await design.confirmLink(s, user, params.id, params.linkId, body), user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/design-projects/:id/trace-matrix',
      tag,
      summary: 'The live trace matrix',
      access: 'design.read',
      params: IdParams,
    },
    async ({ params }) => design.matrixOf(s, params.id),
  );
  route(
    r,
    {
      method: 'get',
      path: '/design-projects/:id/gaps',
      tag,
      summary: 'Open trace gaps of the project',
      access: 'design.read',
      params: IdParams,
    },
    async ({ params }) => design.gapsOf(s, params.id),
  );
  for (const [name, decl] of [
    ['designproject', designProjectLifecycle],
    ['designelement', designElementLifecycle],
    ['designlink', designLinkLifecycle],
  ] as const)
    route(
      r,
      {
        method: 'get',
        path: `/lifecycles/${name}`,
        tag,
        summary: `The ${name} lifecycle declaration`,
        access: 'authenticated',
      },
      async () => describeLifecycle(decl as Parameters<typeof describeLifecycle>[0]),
    );
  return r;
}
