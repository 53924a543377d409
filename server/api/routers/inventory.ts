import { FacilityBoardInput, getFacilityBoard } from "../../domain/inventory/facility-board";
import { ListActiveHoldsInput, listActiveHolds } from "../../domain/inventory/list-active-holds";
import { FacilityCodeInput, getFacilityPools, listFacilityPools } from "../../domain/inventory/list-facility-pools";
import { ListUnitBlocksInput, listUnitBlocks } from "../../domain/inventory/list-unit-blocks";
import { getUnitHistory, UnitHistoryInput } from "../../domain/inventory/unit-history";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/**
 * The inventory screens' reads. Every procedure takes the user's facility scope from the
 * actor, so a facility (or unit, or hold) outside a site manager's facilities is NOT_FOUND.
 */
export const inventoryRouter = createTRPCRouter({
  /** Every facility the user may see, with each pool's counters and inventory_version. */
  facilities: permissionProcedure("inventory.read").query(({ ctx }) => listFacilityPools(ctx.actor)),

  /** One facility; NOT_FOUND when it does not exist or is outside the user's facilities. */
  facility: permissionProcedure("inventory.read")
    .input(FacilityCodeInput)
    .query(({ ctx, input }) => getFacilityPools(ctx.actor, input.facilityCode)),

  /** The facility board: pools with counters, and units filtered by type and status. */
  board: permissionProcedure("inventory.read")
    .input(FacilityBoardInput)
    .query(({ ctx, input }) => getFacilityBoard(ctx.actor, input)),

  /** Active (unexpired) holds at a facility, soonest expiry first. */
  holds: permissionProcedure("inventory.read")
    .input(ListActiveHoldsInput)
    .query(({ ctx, input }) => listActiveHolds(ctx.actor, input)),

  /** One unit's bookings, blocks and events. */
  unit: permissionProcedure("inventory.read")
    .input(UnitHistoryInput)
    .query(({ ctx, input }) => getUnitHistory(ctx.actor, input)),

  /** A facility's maintenance blocks, newest first (filter by status, unit). */
  blocks: permissionProcedure("inventory.read")
    .input(ListUnitBlocksInput)
    .query(({ ctx, input }) => listUnitBlocks(input, ctx.actor)),
});
