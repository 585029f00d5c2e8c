import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import {
  changeEquipmentStatus,
  getEquipment,
  listEquipment,
  recordCalibration,
  recordMaintenance,
  recordRepair,
  registerEquipment,
  reportBreakdown,
  setMaintenancePlan,
} from './service.ts';
import { presentEquipment } from './presenter.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { equipmentLifecycle } from './equipment.lifecycle.ts';
import {
  BreakdownBody,
  MaintenanceBody,
  MaintenancePlanBody,
  RepairBody,
  CalibrationBody,
  EquipmentQuery,
  EquipmentStatusBody,
  EquipmentView,
  RegisterEquipmentBody,
} from './schema.ts';

// Each write names one action of equipment.lifecycle.ts (the `actions` every equipment view carries).
export function equipmentRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/equipment',
      tag: 'equipment',
      summary: 'The equipment lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(equipmentLifecycle),
  );
  route(
    r,
    {
      method: 'get',
      path: '/equipment',
      tag: 'equipment',
      summary: 'List equipment (filter by type or status)',
      access: 'records.read',
      query: EquipmentQuery,
      response: z.array(EquipmentView),
    },
    async ({ query, user }) => (await listEquipment(s, query)).map((q) => presentEquipment(q, user)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/equipment',
      tag: 'equipment',
      summary: 'Register a piece of equipment',
      access: 'equipment.manage',
      status: 201,
      body: RegisterEquipmentBody,
      response: EquipmentView,
    },
    async ({ body, user }, ctx) => {
      ctx.status = 201;
      return presentEquipment(await registerEquipment(s, user, body), user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/equipment/:id',
      tag: 'equipment',
      summary: 'Get a piece of equipment with its calibrations',
      access: 'records.read',
      params: IdParams,
      response: EquipmentView,
    },
    async ({ params, user }) => presentEquipment(await getEquipment(s, params.id), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/equipment/:id/calibrations',
      tag: 'equipment',
      summary: 'Record a calibration (a failed one takes the equipment out of service)',
      access: 'equipment.calibrate',
      params: IdParams,
      body: CalibrationBody,
      response: EquipmentView,
    },
    async ({ params, body, user }) => presentEquipment(await recordCalibration(s, user, params.id, body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/equipment/:id/status',
      tag: 'equipment',
      summary: 'Change the status of a piece of equipment',
      access: 'equipment.manage',
      params: IdParams,
      body: EquipmentStatusBody,
      response: EquipmentView,
    },
    async ({ params, body, user }) =>
      presentEquipment(await changeEquipmentStatus(s, user, params.id, body.status, body.reason, body.version), user),
  );
  route(
    r,
    {
      method: 'put',
      path: '/equipment/:id/maintenance-plan',
      tag: 'equipment',
      summary: 'Set the preventive maintenance plan: interval in days and checklist (ISO 13485:2016 6.3)',
      access: 'equipment.manage',
      params: IdParams,
      body: MaintenancePlanBody,
      response: EquipmentView,
    },
    async ({ params, body, user }) => presentEquipment(await setMaintenancePlan(s, user, params.id, body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/equipment/:id/maintenance',
      tag: 'equipment',
      summary:
        'Record preventive maintenance, signed "performed" (every checklist item answered; moves the due date on)',
      access: 'equipment.maintain',
      params: IdParams,
      body: MaintenanceBody,
      response: EquipmentView,
    },
    async ({ params, body, user }) => presentEquipment(await recordMaintenance(s, user, params.id, body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/equipment/:id/breakdowns',
      tag: 'equipment',
      summary: 'Report a breakdown: the equipment is out of service until repaired',
      access: 'records.read',
      params: IdParams,
      body: BreakdownBody,
      response: EquipmentView,
    },
    async ({ params, body, user }) => presentEquipment(await reportBreakdown(s, user, params.id, body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/equipment/:id/repairs',
      tag: 'equipment',
      summary: 'Record the repair of the open breakdown, signed "performed"; the equipment returns to service',
      access: 'equipment.maintain',
      params: IdParams,
      body: RepairBody,
      response: EquipmentView,
    },
    async ({ params, body, user }) => presentEquipment(await recordRepair(s, user, params.id, body), user),
  );
  return r;
}
