"use server";

import { z } from "zod";
import { addUnit, AddUnitInput } from "../domain/catalogue/add-unit";
import { changeUnitTypeRate, ChangeUnitTypeRateInput } from "../domain/catalogue/change-unit-type-rate";
import { createFacility, CreateFacilityInput } from "../domain/catalogue/create-facility";
import { createUnitType, CreateUnitTypeInput } from "../domain/catalogue/create-unit-type";
import { applyImport, ApplyImportInput } from "../domain/catalogue/imports/apply-import";
import { cancelImport, CancelImportInput } from "../domain/catalogue/imports/cancel-import";
import { createImport } from "../domain/catalogue/imports/create-import";
import { retireUnit, RetireUnitInput } from "../domain/catalogue/retire-unit";
import { retypeUnit, RetypeUnitInput } from "../domain/catalogue/retype-unit";
import { updateFacility, UpdateFacilityInput } from "../domain/catalogue/update-facility";
import { updateUnitType, UpdateUnitTypeInput } from "../domain/catalogue/update-unit-type";
import { consoleAction } from "./console-action";
import { importFileInput } from "./import-upload";

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

/** The upload form's input: the facility and the file as the browser sent it. */
const CreateImportUpload = z
  .object({
    facility_code: z.string().trim().min(1).max(32),
    file: z.instanceof(File, { message: "Choose a CSV or JSON file." }),
  })
  .strict();

/**
 * Uploads a file of units for a dry run (docs/domain.md#catalogue-imports): the file is
 * read here (./import-upload decides CSV or JSON), createImport refuses one that cannot be
 * read and plans the rest; the import waits in PLANNED until applied.
 */
export const createImportAction = consoleAction(
  { action: "catalogue.import", permission: "catalogue.manage", input: CreateImportUpload, target: facilityTarget },
  async ({ actor, input }) => {
    const file = importFileInput({ name: input.file.name, type: input.file.type, size: input.file.size, text: await input.file.text() });
    return createImport({ facility_code: input.facility_code, ...file, dry_run: true, file_name: input.file.name.slice(0, 200) || undefined }, actor);
  },
);

export const applyImportAction = consoleAction(
  { action: "catalogue.import.apply", permission: "catalogue.manage", input: ApplyImportInput, target: (input) => ({ type: "import", id: input.import_id }) },
  async ({ actor, input }) => applyImport(input, actor),
);

export const cancelImportAction = consoleAction(
  { action: "catalogue.import.cancel", permission: "catalogue.manage", input: CancelImportInput, target: (input) => ({ type: "import", id: input.import_id }) },
  async ({ actor, input }) => cancelImport(input, actor),
);
