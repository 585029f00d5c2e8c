import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { presentDecision, presentRules } from './presenter.ts';
import { reportabilityLifecycle } from './reportability.lifecycle.ts';
import { rulesLifecycle } from './rules.lifecycle.ts';
import { allRules, rulesOf } from './rules.ts';
import {
  addJurisdiction,
  changeRules,
  getDecision,
  listDecisions,
  openDecision,
  performDecisionAction,
} from './service.ts';
import {
  CalendarBody,
  DecideBody,
  DecisionQuery,
  JurisdictionParams,
  NewJurisdictionBody,
  OpenBody,
  RemoveRowBody,
  RowParams,
  SetRowBody,
  SubmissionBody,
} from './schema.ts';
import { now as clockNow } from '../../platform/clock.ts';

const tag = 'reporting';

export function reportingRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });

  // ---- the rules (data, not code) ----
  route(
    r,
    {
      method: 'get',
      path: '/reporting/rules',
      tag,
      summary: 'Reporting rules of every jurisdiction',
      access: 'records.read',
    },
    async ({ user }) => (await allRules(s)).map((x) => presentRules(x, user)),
  );
  route(
    r,
    {
      method: 'get',
      path: '/reporting/rules/:jurisdiction',
      tag,
      summary: "One jurisdiction's reporting rules",
      access: 'records.read',
      params: JurisdictionParams,
    },
    async ({ params, user }) => presentRules(await rulesOf(s, params.jurisdiction), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/reporting/rules',
      tag,
      summary: "Add a jurisdiction's reporting rules",
      access: 'reporting.rules',
      body: NewJurisdictionBody,
      status: 201,
    },
    async ({ body, user }, ctx) => {
      const added = await addJurisdiction(s, user, body);
      ctx.status = 201;
      return presentRules(added, user);
    },
  );
  route(
    r,
    {
      method: 'put',
      path: '/reporting/rules/:jurisdiction/rows/:code',
      tag,
      summary: 'Add or change one rule row (severity → clock)',
      access: 'reporting.rules',
      params: RowParams,
      body: SetRowBody,
    },
    async ({ params, body, user }) => {
      const { version, reason, ...row } = body;
      const input = { version, reason, row: { code: params.code, ...row } };
      return presentRules(await changeRules(s, user, params.jurisdiction, 'set_rule', input), user);
    },
  );
  route(
    r,
    {
      method: 'delete',
      path: '/reporting/rules/:jurisdiction/rows/:code',
      tag,
      summary: 'Remove one rule row',
      access: 'reporting.rules',
      params: RowParams,
      body: RemoveRowBody,
      errors: [422],
    },
    async ({ params, body, user }) =>
      presentRules(
        await changeRules(s, user, params.jurisdiction, 'remove_rule', { ...body, code: params.code }),
        user,
      ),
  );
  route(
    r,
    {
      method: 'put',
      path: '/reporting/rules/:jurisdiction/calendar',
      tag,
      summary: 'Set the working-day calendar (time zone, weekend, public holidays)',
      access: 'reporting.rules',
      params: JurisdictionParams,
      body: CalendarBody,
    },
    async ({ params, body, user }) =>
      presentRules(await changeRules(s, user, params.jurisdiction, 'set_calendar', body), user),
  );

  // ---- reportability decisions ----
  route(
    r,
    {
      method: 'get',
      path: '/reporting/decisions',
      tag,
      summary: 'Reportability decisions, with their clocks',
      access: 'records.read',
      query: DecisionQuery,
    },
    async ({ query, user }) => {
      const now = clockNow();
      return (await listDecisions(s, query)).map((d) => presentDecision(d, user, now));
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/reporting/decisions/:id',
      tag,
      summary: 'A reportability decision (days remaining computed now)',
      access: 'records.read',
      params: IdParams,
    },
    async ({ params, user }) => presentDecision(await getDecision(s, params.id), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/reporting/decisions',
      tag,
      summary: 'Open a reportability decision for a complaint in a jurisdiction',
      access: 'reporting.decide',
      body: OpenBody,
      errors: [422],
      status: 201,
    },
    async ({ body, user }, ctx) => {
      const opened = await openDecision(s, user, body);
      ctx.status = 201;
      return presentDecision(opened, user);
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/reporting/decisions/:id/decide',
      tag,
      summary: 'Decide: reportable or not, with rationale; e-signature "approved"; a yes starts the clock',
      access: 'authenticated',
      params: IdParams,
      body: DecideBody,
      errors: [422],
    },
    async ({ params, body, user }) =>
      presentDecision(await performDecisionAction(s, user, params.id, 'decide', body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/reporting/decisions/:id/submission',
      tag,
      summary: 'Record the submission of the report (date, reference)',
      access: 'authenticated',
      params: IdParams,
      body: SubmissionBody,
      errors: [422],
    },
    async ({ params, body, user }) =>
      presentDecision(await performDecisionAction(s, user, params.id, 'record_submission', body), user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/reportability',
      tag,
      summary: 'The reportability decision lifecycle',
      access: 'authenticated',
    },
    async () => describeLifecycle(reportabilityLifecycle),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/reporting_rules',
      tag,
      summary: 'The reporting rules lifecycle',
      access: 'authenticated',
    },
    async () => describeLifecycle(rulesLifecycle),
  );
  return r;
}
