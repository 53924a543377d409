"use server";

import { addUnit, AddUnitInput } from "../domain/catalogue/add-unit";
import { changeUnitTypeRate, ChangeUnitTypeRateInput } from "../domain/catalogue/change-unit-type-rate";
import { createFacility, CreateFacilityInput } from "../domain/catalogue/create-facility";
import { createUnitType, CreateUnitTypeInput } from "../domain/catalogue/create-unit-type";
import { retireUnit, RetireUnitInput } from "../domain/catalogue/retire-unit";
import { retypeUnit, RetypeUnitInput } from "../domain/catalogue/retype-unit";
import { updateFacility, UpdateFacilityInput } from "../domain/catalogue/update-facility";
import { updateUnitType, UpdateUnitTypeInput } from "../domain/catalogue/update-unit-type";
import { consoleAction } from "./console-action";

/**
 * The catalogue screen's changes (docs/domain.md#catalogue), permission
 * "catalogue.manage" (ops leads, admins). Each checks session, permission and input
 * itself (./console-action) and calls the domain service every transport shares; the
 * service audits what it did and emits its events.
 */

const facilityTarget = (input: { facility_code?: string; code?: string }) => ({ type: "facility", id: input.facility_code ?? input.code ?? null });

export const createFacilityAction = consoleAction(
  { action: "facility.create", permission: "catalogue.manage", input: CreateFacilityInput, target: facilityTarget },
  async ({ actor, input }) => createFacility(input, actor),
);

export const updateFacilityAction = consoleAction(
  { action: "facility.update", permission: "catalogue.manage", input: UpdateFacilityInput, target: facilityTarget },
  async ({ actor, input }) => updateFacility(input, actor),
);

export const createUnitTypeAction = consoleAction(
  {
    action: "unit_type.create",
    permission: "catalogue.manage",
    input: CreateUnitTypeInput,
    target: (input) => ({ type: "unit_type", id: `${input.facility_code}/${input.code}` }),
  },
  async ({ actor, input }) => createUnitType(input, actor),
);

export const updateUnitTypeAction = consoleAction(
  {
    action: "unit_type.update",
    permission: "catalogue.manage",
    input: UpdateUnitTypeInput,
    target: (input) => ({ type: "unit_type", id: `${input.facility_code}/${input.unit_type_code}` }),
  },
  async ({ actor, input }) => updateUnitType(input, actor),
);

export const changeUnitTypeRateAction = consoleAction(
  {
    action: "unit_type.rate_change",
    permission: "catalogue.manage",
    input: ChangeUnitTypeRateInput,
    target: (input) => ({ type: "unit_type", id: `${input.facility_code}/${input.unit_type_code}` }),
  },
  async ({ actor, input }) => changeUnitTypeRate(input, actor),
);

export const addUnitAction = consoleAction(
  { action: "unit.add", permission: "catalogue.manage", input: AddUnitInput, target: (input) => ({ type: "unit", id: `${input.facility_code}/${input.code}` }) },
  async ({ actor, input }) => addUnit(input, actor),
);

export const retireUnitAction = consoleAction(
  {
    action: "unit.retire",
    permission: "catalogue.manage",
    input: RetireUnitInput,
    target: (input) => ({ type: "unit", id: `${input.facility_code}/${input.unit_code}` }),
  },
  async ({ actor, input }) => retireUnit(input, actor),
);

export const retypeUnitAction = consoleAction(
  {
    action: "unit.retype",
    permission: "catalogue.manage",
    input: RetypeUnitInput,
    target: (input) => ({ type: "unit", id: `${input.facility_code}/${input.unit_code}` }),
  },
  async ({ actor, input }) => retypeUnit(input, actor),
);
