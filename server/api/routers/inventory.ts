import { FacilityCodeInput, getFacilityPools, listFacilityPools } from "../../domain/inventory/list-facility-pools";
import { createTRPCRouter, permissionProcedure } from "../trpc";

export const inventoryRouter = createTRPCRouter({
  /** Every facility the user may see, with each pool's counters and inventory_version. */
  facilities: permissionProcedure("inventory.read").query(({ ctx }) => listFacilityPools(ctx.actor)),

  /** One facility; NOT_FOUND when it does not exist or is outside the user's facilities. */
  facility: permissionProcedure("inventory.read")
    .input(FacilityCodeInput)
    .query(({ ctx, input }) => getFacilityPools(ctx.actor, input.facilityCode)),
});
